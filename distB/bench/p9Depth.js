/**
 * P9: enqueue and claim must not cost more with a deep table. Two databases side by side: one with
 * no finished job, one with `finished` succeeded jobs (inserted with generate_series, then VACUUM
 * ANALYZE), both with the same backlog of `queued` jobs. Every operation alternates between them
 * (empty, deep, empty, deep ...) so the machine's noise hits both. Each round times, through JobStore:
 * claimJobs limit 1 and limit 50 (the claimed jobs are handed back untimed, so the backlog stays the
 * same), then enqueueJobs of one job and of a batch of 100. Last, EXPLAIN (ANALYZE, BUFFERS) of the
 * store's own claim statement (captured from postgres.js, so it cannot drift from store.ts), rolled back.
 * Then the finished-job pruner on the deep table (`pruneDeep`).
 */
import { randomUUID } from 'node:crypto';
import { DEFAULT_DATABASE_SCHEMA } from '../src/config.js';
import { performance } from 'node:perf_hooks';
import postgres, {} from 'postgres';
import { migrate } from '../src/db/migrate.js';
import { JobStore } from '../src/queue/store.js';
import { echoJob } from './echoJob.js';
import { FinishedJobPruner } from '../src/runner/finishedJobPruner.js';
import { createLogger } from '../src/log.js';
import { percentile } from './measure.js';
const LEASE_MS = 60_000;
/** Like src/db/connect.ts's pool, plus a hook that sees every statement's text and parameters. */
function connect(url, onQuery) {
    return postgres(url, {
        max: 2,
        onnotice: () => { },
        fetch_types: false,
        // The service's tables live in their schema (migration 015).
        connection: { search_path: DEFAULT_DATABASE_SCHEMA },
        transform: { undefined: null },
        ...(onQuery
            ? { debug: (_connection, query, parameters) => onQuery(query, parameters) }
            : {}),
    });
}
export async function queueDepth({ databaseUrl, deepDatabaseUrl, finished = 1_000_000, queued = 10_000, ops = 300, rounds = 3, }) {
    const sides = [];
    for (const [name, url] of [
        ['empty', databaseUrl],
        ['deep', deepDatabaseUrl],
    ]) {
        const side = {
            name,
            sql: undefined,
            store: undefined,
            lastQuery: undefined,
        };
        side.sql = connect(url, (query, parameters) => (side.lastQuery = { query, parameters }));
        await migrate({
            sql: side.sql,
            session: side.sql,
            schema: DEFAULT_DATABASE_SCHEMA,
            capabilities: { supportsListen: true, sharedAcrossProcesses: true },
            description: name,
            close: async () => { },
        });
        side.store = new JobStore(side.sql, DEFAULT_DATABASE_SCHEMA);
        await side.sql `truncate job_runner_jobs, job_runner_owner_jobs`;
        sides.push(side);
    }
    const deep = sides[1];
    const fillStarted = performance.now();
    for (let done = 0; done < finished; done += 100_000) {
        const n = Math.min(100_000, finished - done);
        // Finished over the last day, as if they had run, oldest first (ids follow creation, as the
        // pruner expects): the pruner's default retention keeps them all.
        await deep.sql `
      insert into job_runner_jobs (owner, type, queue, state, payload, max_attempts, attempts, run_at, created_at, updated_at, started_at, finished_at, result)
      select 'bench', 'echo', 'default', 'succeeded', '{}'::jsonb, 1, 1, t, t, t, t, t, '{}'::jsonb
      from (select now() - (${finished}::int - ${done}::int - i) * (86400.0 / ${finished}::int) * interval '1 second' as t from generate_series(1, ${n}) as i) s`;
    }
    await deep.sql `vacuum analyze job_runner_jobs`;
    await deep.sql `vacuum analyze job_runner_owner_jobs`;
    const fillMs = performance.now() - fillStarted;
    const instanceId = randomUUID();
    const timed = async (fn) => {
        const started = performance.now();
        await fn();
        return performance.now() - started;
    };
    const measurements = ['claim1', 'claim50', 'enqueue1', 'enqueue100'];
    const samples = { empty: {}, deep: {} };
    const perRound = [];
    for (let round = 0; round < rounds; round++) {
        for (const side of sides)
            await resetBacklog(side.sql, queued);
        const rows = sides.map((side) => ({ round: round + 1, side: side.name }));
        for (const m of measurements) {
            const xs = sides.map(() => []);
            // Operation by operation, alternating the tables, so that a burst of load hits both alike.
            for (let i = 0; i < ops; i++) {
                for (const [s, side] of sides.entries()) {
                    if (m === 'claim1' || m === 'claim50') {
                        let claimed = [];
                        xs[s].push(await timed(async () => (claimed = await side.store.claimJobs({
                            instanceId,
                            queues: ['default'],
                            limit: m === 'claim1' ? 1 : 50,
                            leaseMs: LEASE_MS,
                        }))));
                        if (claimed.length === 0)
                            throw new Error(`${side.name}: the backlog ran dry`);
                        await side.store.requeueInterruptedJobs({
                            instanceId,
                            jobs: claimed.map((j) => ({ id: j.id, attempt: j.attempts, checkpoint: null, progress: null })),
                        });
                    }
                    else {
                        const batch = Array.from({ length: m === 'enqueue1' ? 1 : 100 }, echoJob);
                        xs[s].push(await timed(() => side.store.enqueueJobs({ owner: 'bench', jobs: batch })));
                    }
                }
            }
            for (const [s, side] of sides.entries()) {
                ;
                (samples[side.name][m] ??= []).push(...xs[s]);
                rows[s][`${m}P50`] = percentile(xs[s], 50);
                rows[s][`${m}P99`] = percentile(xs[s], 99);
                // Each kind starts from a vacuumed table, the same on both sides (autovacuum's thresholds differ by table size).
                await side.sql `vacuum analyze job_runner_jobs`;
            }
        }
        perRound.push(...rows);
    }
    // The claim's plan, with the same backlog on both sides.
    const plans = {};
    for (const side of sides) {
        await resetBacklog(side.sql, queued);
        side.lastQuery = undefined;
        const claimed = await side.store.claimJobs({ instanceId, queues: ['default'], limit: 50, leaseMs: LEASE_MS });
        const captured = side.lastQuery;
        await side.store.requeueInterruptedJobs({
            instanceId,
            jobs: claimed.map((j) => ({ id: j.id, attempt: j.attempts, checkpoint: null, progress: null })),
        });
        if (!captured)
            throw new Error('the claim statement was not captured');
        plans[side.name] = await side.sql
            .begin(async (tx) => {
            const rows = await tx.unsafe(`explain (analyze, buffers, costs off) ${captured.query}`, captured.parameters);
            throw new Plan(rows.map((r) => String(r['QUERY PLAN'])).join('\n'));
        })
            .then(() => '', (error) => {
            if (error instanceof Plan)
                return error.text;
            throw error;
        });
    }
    const [counts] = await deep.sql `
    select count(*) filter (where state = 'succeeded')::text as finished, count(*) filter (where state = 'queued')::text as queued from job_runner_jobs`;
    const pruning = await pruneDeep(deep);
    for (const side of sides)
        await side.sql.end({ timeout: 1 });
    const summary = {};
    for (const [name, byM] of Object.entries(samples)) {
        summary[name] = Object.fromEntries(Object.entries(byM).map(([m, xs]) => [m, { p50: percentile(xs, 50), p99: percentile(xs, 99) }]));
    }
    const ratio = Object.fromEntries(measurements.map((m) => [
        m,
        { p50: summary.deep[m].p50 / summary.empty[m].p50, p99: summary.deep[m].p99 / summary.empty[m].p99 },
    ]));
    return {
        finished,
        queued,
        ops,
        rounds,
        fillMs,
        deepTable: { finished: Number(counts.finished), queuedAtEnd: Number(counts.queued) },
        summary,
        ratioDeepToEmpty: ratio,
        perRound,
        plans,
        pruning,
    };
}
/**
 * The pruner on the deep table, last: a run with the default retention (7 days, which keeps every
 * job: they finished within the last day) and one with a retention of an hour, which deletes the
 * ~96 % that finished earlier.
 */
async function pruneDeep(deep) {
    const log = createLogger({ level: 'silent' });
    const run = async (retentionMs) => {
        const pruner = new FinishedJobPruner({ retentionMs }, {
            store: deep.store,
            log,
            onError: (error) => {
                throw error;
            },
        });
        const started = performance.now();
        const pruned = await pruner.prune();
        return { pruned, ms: performance.now() - started };
    };
    const keepAll = await run(7 * 24 * 3600_000);
    const hour = await run(3600_000);
    const [left] = await deep.sql `select count(*)::text as n from job_runner_jobs where state = 'succeeded'`;
    return {
        keepAllRunMs: keepAll.ms,
        keepAllPruned: keepAll.pruned,
        hourRunMs: hour.ms,
        hourPruned: hour.pruned,
        hourJobsPerSec: hour.pruned / (hour.ms / 1000),
        finishedLeft: Number(left.n),
    };
}
/** Exactly `queued` runnable jobs and nothing else unfinished; finished jobs stay. */
async function resetBacklog(sql, queued) {
    await sql `delete from job_runner_jobs where state not in ('succeeded', 'failed', 'cancelled')`;
    await sql `insert into job_runner_jobs (owner, type, queue, payload, max_attempts)
    select 'bench', 'echo', 'default', '{}'::jsonb, 1 from generate_series(1, ${queued})`;
    await sql `vacuum analyze job_runner_jobs`;
}
/** Carries the plan out of the transaction that is rolled back. */
class Plan extends Error {
    text;
    constructor(text) {
        super('rolled back');
        this.text = text;
    }
}
//# sourceMappingURL=p9Depth.js.map