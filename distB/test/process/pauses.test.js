/**
 * A pause made on one instance stops the work of another, and outlives a restart: two real server
 * processes on one PostgreSQL. Instance A serves no queue of the job; instance B runs a `count` job.
 * A `checkpoint` pause of the job type sent to A reaches B (NOTIFY, or B's periodic read of the
 * pauses), whose token fires with reason `paused`: the job goes back to the queue with its
 * checkpoint, attempt refunded, no interruption counted. B restarted still claims other work but
 * not the paused type; resumed through A, the job finishes from its checkpoint.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { postgresOnly, skipWithoutPostgres } from '../support/databases.js';
import { enqueueJob, processFixture, waitForJob } from '../support/process.js';
const target = postgresOnly();
describe('process: a pause reaches every instance and survives restarts (postgres)', { timeout: 120_000, skip: skipWithoutPostgres() }, () => {
    const fixture = target ? processFixture(target) : undefined;
    it('stops a running job on another instance at its checkpoint, keeps it paused across a restart, resumes it', async () => {
        const database = await fixture.createDatabase();
        const a = await fixture.spawn(database, { QUEUES: 'elsewhere' });
        let b = await fixture.spawn(database, { QUEUES: 'default', CHECKPOINT_INTERVAL_SECONDS: '0.1' });
        const job = await enqueueJob(b, { type: 'count', payload: { to: 400, stepMs: 25 } });
        await waitForJob(b, job.id, (j) => j.state === 'running' && (j.checkpoint?.cursor ?? 0) > 0, {
            description: 'running on B with a checkpoint',
        });
        const paused = await a.request('/v1/admin/job-types/count/pause', {
            method: 'POST',
            body: JSON.stringify({ mode: 'checkpoint' }),
        });
        assert.equal(paused.status, 200, await paused.clone().text());
        const back = (await waitForJob(a, job.id, (j) => j.state === 'queued', {
            description: 'back in the queue',
        }));
        assert.deepEqual([back.attempts, back.interruptions, back.waitReason], [0, 0, 'paused']);
        const cursor = back.checkpoint?.cursor ?? 0;
        assert.ok(cursor > 0, 'its checkpoint was written');
        // B restarts: it claims other work, but not the paused type (the pause is stored).
        b.kill('SIGTERM');
        assert.equal((await b.exited).code, 0);
        b = await fixture.spawn(database, { QUEUES: 'default', CHECKPOINT_INTERVAL_SECONDS: '0.1' });
        const other = await enqueueJob(b, { type: 'echo', payload: { after: 'restart' } });
        await waitForJob(b, other.id, (j) => j.state === 'succeeded');
        const still = (await waitForJob(b, job.id, () => true));
        assert.deepEqual([still.state, still.waitReason], ['queued', 'paused']);
        const resumed = await a.request('/v1/admin/job-types/count/resume', { method: 'POST' });
        assert.equal(resumed.status, 200);
        const done = await waitForJob(b, job.id, (j) => j.state === 'succeeded', { timeoutMs: 60_000 });
        assert.equal(done.result?.resumedFrom, cursor, 'resumed from the checkpoint the pause wrote');
        assert.deepEqual([done.attempts, done.interruptions], [1, 0]);
        for (const server of [a, b])
            server.kill('SIGTERM');
        for (const server of [a, b])
            assert.equal((await server.exited).code, 0);
    });
});
//# sourceMappingURL=pauses.test.js.map