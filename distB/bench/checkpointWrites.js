/**
 * What the checkpoint history (issue 23) costs the runner's batched checkpoint write: the flusher's
 * one statement for every running job, timed as the statement before the history (kept here as it
 * was), as it is now when no checkpoint changed (progress or log lines only: nothing recorded), and
 * as it is now when every checkpoint changed (one history entry per job, upserted over the oldest
 * slot of its ring).
 *
 *   npx tsc -p bench/tsconfig.json && node dist/bench/checkpointWrites.js [--jobs 1000] [--rounds 40] [--bytes 100]
 *
 * N jobs are claimed by one instance, then each round writes all N checkpoints once in each mode,
 * the modes taking turns so that the machine's noise hits each; the first rounds fill every job's
 * ring of 10 entries, so every entry measured overwrites an older one. Needs
 * BENCH_DATABASE_URL (default postgres://root@127.0.0.1:5432/test; the database bench_checkpoints
 * is created and dropped on it).
 */
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import postgres from 'postgres';
import { connectDatabase } from '../src/db/connect.js';
import { migrate } from '../src/db/migrate.js';
import { JobStore } from '../src/queue/store.js';
import { percentile } from './measure.js';
const args = new Map(process.argv
    .slice(2)
    .join(' ')
    .split(/\s*--/)
    .filter(Boolean)
    .map((pair) => pair.split(/\s+/)));
const jobs = Number(args.get('jobs') ?? 1000);
const rounds = Number(args.get('rounds') ?? 40);
const bytes = Number(args.get('bytes') ?? 100);
const adminUrl = process.env.BENCH_DATABASE_URL ?? 'postgres://root@127.0.0.1:5432/test';
const NAME = 'bench_checkpoints';
const admin = postgres(adminUrl, { max: 1, onnotice: () => { } });
await admin.unsafe(`drop database if exists ${NAME} with (force)`);
await admin.unsafe(`create database ${NAME}`);
const url = new URL(adminUrl);
url.pathname = `/${NAME}`;
const db = await connectDatabase({ databaseUrl: url.toString(), dataDir: '/tmp' });
await migrate(db);
const store = new JobStore(db.sql, db.schema);
const instanceId = randomUUID();
/** The statement before issue 23, for comparison: checkpoint and progress, no version, no history. */
async function writeWithoutHistory(snapshots) {
    const sql = db.sql;
    await sql `
    with x as materialized (select * from jsonb_to_recordset(${sql.json(snapshots)})
      as x(id bigint, checkpoint jsonb, progress jsonb))
    update job_runner_jobs j
    set checkpoint = x.checkpoint, progress = coalesce(x.progress, j.progress), updated_at = now()
    from x
    where j.id = any(array(select id from x)) and j.id = x.id and j.lease_owner = ${instanceId} and j.state = 'running'
    returning j.id`;
}
const modes = {
    before: (s) => writeWithoutHistory(s),
    unchanged: (s) => store.writeCheckpoints({ instanceId, jobs: s.map((x) => ({ ...x, changed: false })) }),
    changed: (s) => store.writeCheckpoints({ instanceId, jobs: s }),
};
const timings = { before: [], unchanged: [], changed: [] };
try {
    await db.sql `
    insert into job_runner_jobs (owner, type, queue, max_attempts)
    select 'bench', 'count', 'bench', 1 from generate_series(1, ${jobs})`;
    const claimed = await store.claimJobs({ instanceId, queues: ['bench'], limit: jobs, leaseMs: 3_600_000 });
    if (claimed.length !== jobs)
        throw new Error(`claimed ${claimed.length} of ${jobs}`);
    await db.sql `vacuum analyze job_runner_jobs`;
    const pad = 'x'.repeat(Math.max(0, bytes - 30));
    for (let round = 1; round <= rounds; round++) {
        const snapshots = claimed.map((job) => ({
            id: job.id,
            attempt: job.attempts,
            checkpoint: { cursor: round, pad },
            checkpointVersion: 1,
            progress: { fraction: round / rounds },
        }));
        for (const mode of Object.keys(modes)) {
            const started = performance.now();
            await modes[mode](snapshots);
            // The first rounds fill the histories: only full ones are measured.
            if (round > 12)
                timings[mode].push(performance.now() - started);
        }
    }
    const [{ entries }] = (await db.sql `select count(*)::int as entries from job_runner_checkpoint_history`);
    console.log(`${jobs} running jobs, checkpoints of ${bytes} bytes, ${rounds - 12} measured rounds per mode`);
    console.log(`history rows at the end: ${entries} (${jobs} × 10 expected)`);
    console.log('mode | ms per statement p50 | p95 | µs per job p50');
    for (const [mode, samples] of Object.entries(timings)) {
        const p50 = percentile(samples, 50);
        console.log(`${mode} | ${p50.toFixed(1)} | ${percentile(samples, 95).toFixed(1)} | ${((p50 * 1000) / jobs).toFixed(1)}`);
    }
}
finally {
    await db.close({ timeoutSeconds: 1 });
    await admin.unsafe(`drop database if exists ${NAME} with (force)`);
    await admin.end();
}
//# sourceMappingURL=checkpointWrites.js.map