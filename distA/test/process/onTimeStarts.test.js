/**
 * On-time starts across instances: two real server processes on one PostgreSQL, instance B polling
 * only once a minute. A job enqueued through instance A (which serves another queue) for a second
 * later starts on B without waiting for B's poll: A announces its due time over NOTIFY (`jobsDue`),
 * and B's due timer wakes its claim loop then. (How close to its time: bench/, not here.)
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { postgresOnly, skipWithoutPostgres } from '../support/databases.js';
import { processFixture, waitForJob } from '../support/process.js';
const target = postgresOnly();
describe('process: a job enqueued for later on one instance starts on another when due (postgres)', { timeout: 120_000, skip: skipWithoutPostgres() }, () => {
    const fixture = target ? processFixture(target) : undefined;
    it('wakes the other instance for the due time, not at its poll a minute later', async () => {
        const database = await fixture.createDatabase();
        const a = await fixture.spawn(database, { QUEUES: 'elsewhere' });
        const b = await fixture.spawn(database, { QUEUES: 'default', POLL_INTERVAL_MS: '60000' });
        // B has started (and read the upcoming jobs: none) before the job exists; it can only hear of it.
        const runAt = new Date(Date.now() + 1000).toISOString();
        const response = await a.request('/v1/jobs', {
            method: 'POST',
            body: JSON.stringify({ type: 'echo', payload: { due: runAt }, runAt }),
        });
        assert.equal(response.status, 202, await response.clone().text());
        const { id } = (await response.json());
        const enqueuedAt = Date.now();
        const done = await waitForJob(b, id, (j) => j.state === 'succeeded', { timeoutMs: 30_000 });
        assert.equal(done.attempts, 1);
        assert.ok(Date.now() - enqueuedAt < 30_000, 'started long before the poll');
        for (const server of [a, b])
            server.kill('SIGTERM');
        for (const server of [a, b])
            assert.equal((await server.exited).code, 0);
    });
});
//# sourceMappingURL=onTimeStarts.test.js.map