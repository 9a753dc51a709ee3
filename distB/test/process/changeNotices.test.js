/**
 * Change notices between real server processes on one PostgreSQL (src/queue/watchRegistry.ts): a
 * job's notices go to another instance only while it watches the job. Instance B serves a queue
 * nobody uses, so every job runs on A; the test LISTENs on the notice channel itself to see what
 * crosses the wire.
 *
 * - A long-poll, a stream of the job and a stream of many jobs (which has no poll of its own), all
 *   opened on B before A even started, follow the job A runs, its start included: A asked "who
 *   watches?" when it started, B answered, and A sent the job's notices.
 * - With nobody watching elsewhere, A runs a batch of jobs and not one of their notices crosses.
 * - A polls once a minute and backs off further while idle, yet a job enqueued through B, and a job
 *   retried through B for a second later, start on A long before any poll: the database announces
 *   the insert, B announces the due time.
 */
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import postgres from 'postgres';
import { postgresOnly, skipWithoutPostgres } from '../support/databases.js';
import { describeOrSkip } from '../support/describeOrSkip.js';
import { followEvents } from '../support/events.js';
import { enqueueJob, processFixture, waitForJob } from '../support/process.js';
const target = postgresOnly();
/** What crosses the wire on the change notice channel, as a listener of the test's own sees it. */
async function wireListener(database) {
    const sql = postgres(database.databaseUrl, { max: 1, onnotice: () => { } });
    const crossed = [];
    const waiters = new Set();
    await sql.listen('job_runner_jobChanged', (packed) => {
        crossed.push(...packed.split(','));
        for (const wake of waiters)
            wake();
    });
    return {
        crossed,
        /** Sends `marker` down the same channel and resolves when it is back: whatever was sent before it has arrived. */
        async drained(marker) {
            const back = new Promise((resolve) => {
                const check = () => crossed.includes(marker) && (waiters.delete(check), resolve());
                waiters.add(check);
            });
            await sql `select pg_notify('job_runner_jobChanged', ${marker})`;
            await back;
        },
        close: () => sql.end(),
    };
}
describeOrSkip('process: change notices cross only to instances that watch (postgres)', {
    skip: skipWithoutPostgres(),
    timeout: 120_000,
}, () => {
    const fixture = target ? processFixture(target) : undefined;
    let database;
    let wire;
    before(async () => {
        database = await fixture.createDatabase();
        wire = await wireListener(database);
    });
    after(async () => {
        await wire?.close();
    });
    it('sends a job’s notices to the instance whose long-poll and streams watch it, though they began before it started', async () => {
        const b = await fixture.spawn(database, { QUEUES: 'elsewhere' });
        const job = await enqueueJob(b, { type: 'count', payload: { to: 20, stepMs: 100 } });
        // A job that reports no progress: nothing but its change notices tells B it started.
        const quiet = await enqueueJob(b, { type: 'sleep', payload: { ms: 1000 } });
        const first = await b.request(`/v1/jobs/${job.id}`);
        const etag = first.headers.get('etag');
        const stream = followEvents(`${b.url}/v1/jobs/${job.id}/events`, () => b.token());
        const firehose = followEvents(`${b.url}/v1/events`, () => b.token());
        try {
            await stream.waitFor((e) => e.type === 'state');
            // The long-poll holds until the job changes; the first change it can see is A's.
            const longPoll = b.request(`/v1/jobs/${job.id}?wait=60`, { headers: { 'if-none-match': etag } });
            // A stream of many jobs is in its hub once its response has begun: B has said it watches every job.
            if (firehose.source.readyState !== firehose.source.OPEN) {
                await new Promise((resolve) => firehose.source.addEventListener('open', resolve, { once: true }));
            }
            const a = await fixture.spawn(database);
            const changed = (await (await longPoll).json());
            assert.notEqual(changed.state, 'queued');
            await stream.closed(60_000);
            assert.equal(stream.events.filter((e) => e.type === 'state').at(-1).data.state, 'succeeded', 'the stream of the job ends with its outcome');
            const statesOf = (id) => firehose.events
                .filter((e) => e.type === 'state' && e.data.id === id)
                .map((e) => e.data.state);
            for (const { id } of [job, quiet])
                await firehose.waitFor(() => statesOf(id).at(-1) === 'succeeded', 60_000);
            const sawStart = 'the stream of many jobs saw it start on A';
            for (const { id } of [job, quiet])
                assert.deepEqual(statesOf(id).slice(-2), ['running', 'succeeded'], sawStart);
            assert.ok(wire.crossed.includes(job.id), 'A sent the job’s notices over the wire');
            for (const server of [a, b])
                server.kill('SIGTERM');
            for (const server of [a, b])
                assert.equal((await server.exited).code, 0);
        }
        finally {
            stream.close();
            firehose.close();
        }
    });
    it('sends no change notice when nobody elsewhere watches', async () => {
        const a = await fixture.spawn(database);
        const b = await fixture.spawn(database, { QUEUES: 'elsewhere' });
        const response = await a.request('/v1/jobs/batch', {
            method: 'POST',
            body: JSON.stringify({ jobs: Array.from({ length: 50 }, (_, n) => ({ type: 'echo', payload: { n } })) }),
        });
        assert.equal(response.status, 202, await response.clone().text());
        const { jobs } = (await response.json());
        // Waited for on A itself: a watch there does not make A send.
        for (const { id } of jobs)
            await waitForJob(a, id, (j) => j.state === 'succeeded');
        await wire.drained('marker-1');
        const ids = new Set(jobs.map((j) => j.id));
        assert.deepEqual(wire.crossed.filter((id) => ids.has(id)), [], '50 jobs ran with another instance listening: no notice of theirs crossed');
        for (const server of [a, b])
            server.kill('SIGTERM');
        for (const server of [a, b])
            assert.equal((await server.exited).code, 0);
    });
    it('starts a job enqueued, or retried for a second later, through another instance at once though it polls once a minute', async () => {
        const a = await fixture.spawn(database, { POLL_INTERVAL_MS: '60000' });
        const b = await fixture.spawn(database, { QUEUES: 'elsewhere' });
        const now = await enqueueJob(b, { type: 'echo', payload: { now: true } });
        await waitForJob(b, now.id, (j) => j.state === 'succeeded', { timeoutMs: 30_000 });
        // Cancelled while queued for an hour later, then retried for a second later.
        const later = (await (await b.request('/v1/jobs', {
            method: 'POST',
            body: JSON.stringify({ type: 'echo', payload: {}, runAt: new Date(Date.now() + 3_600_000).toISOString() }),
        })).json());
        assert.equal((await b.request(`/v1/jobs/${later.id}/cancel`, { method: 'POST' })).status, 200);
        const retried = await b.request(`/v1/jobs/${later.id}/retry`, {
            method: 'POST',
            body: JSON.stringify({ runAt: new Date(Date.now() + 1000).toISOString() }),
        });
        assert.equal(retried.status, 200, await retried.clone().text());
        await waitForJob(b, later.id, (j) => j.state === 'succeeded', { timeoutMs: 30_000 });
        for (const server of [a, b])
            server.kill('SIGTERM');
        for (const server of [a, b])
            assert.equal((await server.exited).code, 0);
    });
});
//# sourceMappingURL=changeNotices.test.js.map