/**
 * A claim behind a backlog it must leave alone: `held` queued jobs of one type at the head of the
 * queue (a paused type's, or a limited type's waiting for its limit), `others` queued jobs behind
 * them, spread over `types` types (`echo`, `echo-1`, …) in turn, VACUUM ANALYZE (as autovacuum leaves a table in production), then `rounds` claims of
 * `limit` jobs timed through JobStore, one of each kind in turn:
 *
 * - plain: the plain claim leaving `held` alone, as the runner's does while that type is paused;
 * - limited: the limited claim of `echo` (a `total` limit that never binds).
 *
 * Each claim's jobs are handed back untimed (`releaseJobs`), so every round meets the same backlog.
 * The database must be migrated (`node dist/bench/ours.js setup`) and hold no job.
 *
 *   node dist/bench/claimBacklog.js '{"databaseUrl":"postgres://…","held":100000,"others":20000,"rounds":15}'
 *
 * Prints one `RESULT {json}` line: each kind's claim times in ms (median, p90) and the jobs per claim.
 */
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { connectDatabase } from '../src/db/connect.js';
import { JobStore } from '../src/queue/store.js';
import { percentile } from './measure.js';
const params = JSON.parse(process.argv[2] ?? '{}');
const { held = 100_000, others = 20_000, rounds = 15, limit = 500, types = 1 } = params;
// (A PostgreSQL server: dataDir is the embedded database's folder, unused here.)
const db = await connectDatabase({ databaseUrl: params.databaseUrl, dataDir: '/tmp' });
const store = new JobStore(db.sql, db.schema);
const jobs = db.sql `${db.sql(db.schema)}.job_runner_jobs`;
// The backlog first, an hour old, so that it stands at the head of the queue in claim order.
await db.sql `
  insert into ${jobs} (owner, type, queue, payload, max_attempts, run_at)
  select 'bench', 'held', 'default', '{}', 3, now() - interval '1 hour' from generate_series(1, ${held})`;
await db.sql `
  insert into ${jobs} (owner, type, queue, payload, max_attempts)
  select 'bench', case when i % ${types} = 0 then 'echo' else 'echo-' || (i % ${types}) end, 'default', '{}', 3
  from generate_series(1, ${others}) as i`;
await db.sql `vacuum analyze ${jobs}`;
const kinds = {
    plain: (instanceId) => store.claimJobs({ instanceId, queues: ['default'], limit, leaseMs: 60_000, exceptTypes: ['held'] }),
    limited: (instanceId) => store.claimLimitedJobs({
        instanceId,
        queues: ['default'],
        limit,
        leaseMs: 60_000,
        types: [{ type: 'echo', perKey: null, total: 1_000_000 }],
    }),
};
const times = { plain: [], limited: [] };
const claimed = { plain: [], limited: [] };
for (let round = 0; round < rounds; round++) {
    for (const kind of Object.keys(kinds)) {
        const instanceId = randomUUID();
        const started = performance.now();
        const taken = await kinds[kind](instanceId);
        times[kind].push(performance.now() - started);
        claimed[kind].push(taken.length);
        if (taken.some((job) => job.type === 'held'))
            throw new Error(`the ${kind} claim took a held job`);
        await store.releaseJobs({ instanceId, claims: taken.map((job) => ({ id: job.id, attempt: job.attempts })) });
    }
}
await db.close();
const summary = (ms) => ({ medianMs: percentile(ms, 50), p90Ms: percentile(ms, 90) });
console.log(`RESULT ${JSON.stringify({
    held,
    others,
    types,
    rounds,
    limit,
    plain: { ...summary(times.plain), jobsPerClaim: percentile(claimed.plain, 50) },
    limited: { ...summary(times.limited), jobsPerClaim: percentile(claimed.limited, 50) },
})}`);
//# sourceMappingURL=claimBacklog.js.map