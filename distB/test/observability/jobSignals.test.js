/**
 * The job view and the served-queues cache on their own: wait reasons in their order, live
 * progress only on running jobs, one read of the instances table per freshness window however many
 * callers, the last answer kept through a failed read, and a view that never fails an answer.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { JobSignals, waitReasonOf } from '../../src/observability/jobSignals.js';
import { LiveProgress } from '../../src/observability/liveProgress.js';
import { ServedQueues } from '../../src/observability/servedQueues.js';
import { toJob } from '../../src/queue/job.js';
import { insertedJobRow } from '../../src/queue/store.js';
import { newJob } from '../support/engine.js';
function job(fields = {}) {
    const row = insertedJobRow('alice', newJob(), {
        id: '1',
        run_at: new Date(Date.now() - 1000).toISOString(),
        created_at: new Date().toISOString(),
    });
    return { ...toJob(row), ...fields };
}
describe('waitReasonOf', () => {
    const now = Date.now();
    const served = new Map([['default', 1]]);
    const future = new Date(now + 60_000).toISOString();
    it('checks no-instance before scheduled, and says nothing of jobs that are not queued', () => {
        assert.equal(waitReasonOf(job({ queue: 'nowhere', runAt: future }), { served, now }), 'no-instance');
        assert.equal(waitReasonOf(job({ runAt: future }), { served, now }), 'scheduled');
        assert.equal(waitReasonOf(job(), { served, now }), null);
        assert.equal(waitReasonOf(job({ queue: 'nowhere', state: 'running' }), { served, now }), null);
        assert.equal(waitReasonOf(job({ queue: 'nowhere' }), { served: undefined, now }), null, 'unknown served queues claim nothing');
    });
});
describe('ServedQueues', () => {
    it('reads once per freshness window, keeps its last answer through a failure', async () => {
        let reads = 0;
        let fail = false;
        const served = new ServedQueues({ liveWithinMs: 1000, freshMs: 50, maxStaleMs: 50 }, {
            async servedQueues() {
                reads += 1;
                if (fail)
                    throw new Error('database down');
                return [{ queue: 'default', instances: 2 }];
            },
        }, () => { });
        const answers = await Promise.all(Array.from({ length: 20 }, () => served.get()));
        assert.equal(reads, 1);
        assert.equal(answers[19].get('default'), 2);
        await new Promise((resolve) => setTimeout(resolve, 60));
        fail = true;
        assert.equal((await served.get()).get('default'), 2, 'the last answer stands');
        assert.equal(reads, 2);
    });
});
describe('JobSignals.view', () => {
    it('merges live progress into running jobs only, and never rejects', async () => {
        const progress = new LiveProgress({ onChange: () => { } });
        progress.accept('1', { fraction: 0.5 });
        const errors = [];
        const signals = new JobSignals({
            served: { get: () => Promise.reject(new Error('down')) },
            progress,
            onError: (e) => errors.push(e),
        });
        const [running] = await signals.view([job({ state: 'running' })]);
        assert.deepEqual(running.progress, { fraction: 0.5 });
        const [queued] = await signals.view([job({ queue: 'nowhere' })]);
        assert.equal(queued.progress, null, 'a queued row is not behind the board');
        assert.equal(queued.waitReason, null);
        assert.equal(errors.length, 1);
    });
});
//# sourceMappingURL=jobSignals.test.js.map