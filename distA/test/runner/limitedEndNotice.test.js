/**
 * A limited job's end on one instance frees a place under its limits for every instance: the others
 * hear it (LISTEN) and run their limited claim at once rather than at their next poll. They do not
 * also run the plain claim (types without limits): no limited job's end makes such work claimable,
 * and with limited jobs queued that claim reads past all of them to find nothing. It did, when the end
 * went out as a `jobsAvailable` notice: every write of limited outcomes on any instance opened the
 * plain claim on all the others. PostgreSQL only (two instances, LISTEN/NOTIFY).
 */
import { after, before, it } from 'node:test';
import assert from 'node:assert/strict';
import { postgresOnly, skipWithoutPostgres } from '../support/databases.js';
import { describeOrSkip } from '../support/describeOrSkip.js';
import { openEngine, settled } from '../support/engine.js';
import { countClaims } from '../support/claimCounts.js';
import { gatedJob } from '../support/gatedJob.js';
/** One job of a key at a time, across the instances; each holds its key until the test opens the gate. */
const gated = gatedJob('gated', { perKey: 1 });
const target = postgresOnly();
describeOrSkip("another instance's limited job ending", { skip: skipWithoutPostgres(), timeout: 60_000 }, () => {
    let database;
    const engines = [];
    before(async () => {
        database = await target.create();
    });
    after(async () => {
        for (const engine of engines)
            await engine.close();
        await database?.cleanup();
    });
    it('rings its limited claim, and opens no plain claim', async () => {
        // Instance A serves `default` only; instance B serves `default` and `side`. Both poll once a
        // minute: within the test, only notices make them claim.
        const a = await openEngine(database, { extraJobs: [gated.job] });
        engines.push(a);
        const runnerA = a.newRunner({ queues: ['default'], concurrency: 1, localQueueSize: 0, pollIntervalMs: 60_000 });
        const [first] = await a.jobs.enqueue({ owner: 'alice', jobs: [{ type: 'gated', concurrencyKey: 'k' }] });
        const startedOnA = runnerA.events.waitFor('job:start', (e) => e.job.id === first.job.id);
        await runnerA.start();
        await startedOnA;
        // Same key, in a queue A does not serve: only B may run it, once A's job has ended.
        const [second] = await a.jobs.enqueue({
            owner: 'alice',
            jobs: [{ type: 'gated', queue: 'side', concurrencyKey: 'k' }],
        });
        // B listens from here on: the enqueues' own notices went out before it did.
        const b = await openEngine(database, { extraJobs: [gated.job] });
        engines.push(b);
        const claims = countClaims(b.store);
        const runnerB = b.newRunner({
            queues: ['default', 'side'],
            concurrency: 2,
            localQueueSize: 0,
            pollIntervalMs: 60_000,
        });
        const secondSettled = settled(runnerB, second.job.id);
        await runnerB.start();
        // B's first round: the limited claim finds key k held by A's job, the plain claim finds nothing.
        await claims.firstPlainAnswered;
        const plainBefore = claims.plain;
        const limitedBefore = claims.limited;
        gated.open();
        assert.equal((await settled(runnerA, first.job.id)).outcome, 'succeeded');
        // A's end reached B, whose limited claim took the job behind it; nothing else woke B.
        assert.equal((await secondSettled).outcome, 'succeeded');
        assert.ok(claims.limited > limitedBefore, 'the notice ran B’s limited claim');
        assert.equal(claims.plain, plainBefore, 'the notice opened no plain claim on B');
    });
});
//# sourceMappingURL=limitedEndNotice.test.js.map