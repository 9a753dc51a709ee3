/**
 * `job-runner status --wait` and `enqueue --wait`, spawned for real against a service whose
 * checkpoint interval is an hour: the bar moves step by step (live progress reaches the event stream,
 * not only checkpoint flushes), and a job in a queue no instance serves says so.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { cli } from '../support/cli.js';
import { databaseTargets, onceSkip } from '../support/databases.js';
import { enqueue } from '../support/http.js';
import { startTestService, TEST_SECRET } from '../support/service.js';
for (const target of databaseTargets()) {
    describe(`job-runner follow (${target.name})`, { skip: onceSkip(target, 'a client of the HTTP API') }, () => {
        let db;
        let service;
        let env;
        before(async () => {
            db = await target.create();
            service = await startTestService(db, { CHECKPOINT_INTERVAL_SECONDS: '3600' });
            env = { JWT_SECRET: TEST_SECRET, JOB_RUNNER_URL: service.url };
        });
        after(async () => {
            await service?.close();
            await db?.cleanup();
        });
        it('draws the bar step by step although no checkpoint is flushed meanwhile', async () => {
            const run = await cli(['enqueue', 'count', '{"to": 10, "stepMs": 150}', '--wait'], env);
            assert.equal(run.code, 0, run.stderr);
            const percents = new Set([...run.stderr.matchAll(/\] +([0-9]+)% [0-9]+ of 10 · running/g)].map((m) => Number(m[1])));
            assert.ok(percents.size >= 5, `intermediate steps drawn: ${[...percents].join(', ')}\n${run.stderr}`);
            assert.match(run.stderr, /100% 10 of 10 · succeeded/);
        });
        it('says why a queued job waits', async () => {
            const nowhere = await enqueue(service, { type: 'echo', queue: 'nobody-serves-this' });
            const status = await cli(['status', nowhere.id], env);
            assert.equal(status.code, 0, status.stderr);
            assert.match(status.stdout, /: queued\n {2}waiting: no running instance serves queue nobody-serves-this/);
            const later = await enqueue(service, { type: 'echo', runAt: new Date(Date.now() + 3600_000).toISOString() });
            const scheduled = await cli(['status', later.id], env);
            assert.match(scheduled.stdout, new RegExp(`waiting: scheduled for ${later.runAt}`));
        });
    });
}
//# sourceMappingURL=follow.test.js.map