/**
 * Two runners, each with its own connections, share one PostgreSQL: 10,000 `echo` jobs each
 * succeed exactly once, no job ever runs on both at the same time, and none is left behind.
 * PostgreSQL only (PGlite serves one process); skipped, saying so, without TEST_DATABASE_URL.
 */
import { it, before, after } from 'node:test';
import { describeOrSkip } from '../support/describeOrSkip.js';
import assert from 'node:assert/strict';
import { postgresOnly, skipWithoutPostgres } from '../support/databases.js';
import { newJob, openEngine } from '../support/engine.js';
const JOBS = 10_000;
const BATCH = 1_000;
const CONCURRENCY = 40;
const target = postgresOnly();
describeOrSkip('two runners sharing one PostgreSQL', { skip: skipWithoutPostgres(), timeout: 180_000 }, () => {
    let database;
    const engines = [];
    before(async () => {
        database = await target.create();
        // Two engines: two pools, two LISTEN connections, as two instances would have.
        for (let i = 0; i < 2; i++)
            engines.push(await openEngine(database, { maxConnections: 5 }));
    });
    after(async () => {
        await Promise.allSettled(engines.map((engine) => engine.close()));
        await database?.cleanup();
    });
    it(`runs ${JOBS} echo jobs exactly once each, never twice at the same time`, async () => {
        const [first, second] = engines;
        const runners = [
            first.newRunner({ concurrency: CONCURRENCY, leaseMs: 30_000 }),
            second.newRunner({ concurrency: CONCURRENCY, leaseMs: 30_000 }),
        ];
        const running = new Set();
        const starts = new Map();
        const successes = new Map();
        const startsByRunner = [0, 0];
        const overlaps = [];
        const otherOutcomes = [];
        const errors = [];
        let resolveAll;
        const allSucceeded = new Promise((resolve) => (resolveAll = resolve));
        runners.forEach((runner, index) => {
            runner.events.on('job:start', ({ job }) => {
                if (running.has(job.id))
                    overlaps.push(job.id);
                running.add(job.id);
                starts.set(job.id, (starts.get(job.id) ?? 0) + 1);
                startsByRunner[index] += 1;
            });
            runner.events.on('job:settled', ({ job, outcome }) => {
                running.delete(job.id);
                if (outcome !== 'succeeded')
                    otherOutcomes.push(`${job.id}: ${outcome}`);
                else
                    successes.set(job.id, (successes.get(job.id) ?? 0) + 1);
                if (successes.size === JOBS)
                    resolveAll();
            });
            runner.events.on('runner:error', ({ error, during }) => errors.push(`${during}: ${error.message}`));
        });
        // Both runners are up before the jobs arrive, so both compete for them.
        await Promise.all(runners.map((runner) => runner.start()));
        const ids = [];
        for (let offset = 0; offset < JOBS; offset += BATCH) {
            const jobs = Array.from({ length: BATCH }, (_, n) => newJob({ payload: { n: offset + n } }));
            const enqueued = await first.store.enqueueJobs({ owner: 'scale', jobs });
            ids.push(...enqueued.map((e) => e.job.id));
            await first.notifier.publish('jobsAvailable', 'default');
        }
        assert.equal(new Set(ids).size, JOBS);
        await allSucceeded;
        assert.deepEqual(overlaps, [], 'no job ran on two runners at once');
        assert.deepEqual(otherOutcomes, [], 'every run succeeded');
        assert.deepEqual(errors, []);
        assert.equal(starts.size, JOBS);
        assert.ok([...starts.values()].every((n) => n === 1), 'each job started exactly once');
        assert.ok([...successes.values()].every((n) => n === 1), 'each job succeeded exactly once');
        assert.ok(startsByRunner.every((n) => n > 0), `both runners took jobs (${startsByRunner.join(' / ')})`);
        const rows = await first.db.sql `
      select state, attempts, count(*)::int as n from job_runner.job_runner_jobs group by state, attempts`;
        assert.deepEqual([...rows], [{ state: 'succeeded', attempts: 1, n: JOBS }], 'none left behind, none retried');
        const [mismatch] = await first.db.sql `
      select count(*)::int as n from job_runner.job_runner_jobs where result is distinct from payload`;
        assert.equal(mismatch.n, 0, 'each result is its payload');
    });
});
//# sourceMappingURL=scale.test.js.map