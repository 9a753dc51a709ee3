/**
 * The bulk action's rate: a bulk retry of N failed jobs on PostgreSQL, worked by the real worker
 * (src/bulk/bulkActionWorker.ts) in this process, compiled (dist/), as production runs it.
 *
 *   npx tsc -p bench/tsconfig.json && node dist/bench/bulkRetry.js [--jobs 50000] [--batch 500,2000] [--runs 3]
 *
 * Each run: a fresh table of N failed jobs (inserted in one statement, then VACUUM ANALYZE), the
 * action created as `POST /v1/bulk-actions` creates it (the filter counted: "create"), then timed from
 * the worker's start to its `bulk:completed` event: jobs/s = N ÷ that time. Batch sizes alternate
 * run by run, so the machine's noise hits each. Needs BENCH_DATABASE_URL (default
 * postgres://root@127.0.0.1:5432/test; the database bench_bulk is created and dropped on it).
 */
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import pino from 'pino';
import postgres from 'postgres';
import { BulkActionService } from '../src/bulk/bulkActionService.js';
import { BulkActionStore } from '../src/bulk/bulkActionStore.js';
import { BulkActionWorker } from '../src/bulk/bulkActionWorker.js';
import { connectDatabase } from '../src/db/connect.js';
import { migrate } from '../src/db/migrate.js';
import { loadJobRegistry } from '../jobs/registry.js';
import { JobService } from '../src/queue/jobService.js';
import { Notifier } from '../src/queue/notifier.js';
import { JobStore } from '../src/queue/store.js';
import { percentile } from './measure.js';
const args = new Map(process.argv
    .slice(2)
    .join(' ')
    .split(/\s*--/)
    .filter(Boolean)
    .map((pair) => pair.split(/\s+/)));
const jobs = Number(args.get('jobs') ?? 50_000);
const batchSizes = (args.get('batch') ?? '500,2000').split(',').map(Number);
const runs = Number(args.get('runs') ?? 3);
const adminUrl = process.env.BENCH_DATABASE_URL ?? 'postgres://root@127.0.0.1:5432/test';
const NAME = 'bench_bulk';
const admin = postgres(adminUrl, { max: 1, onnotice: () => { } });
await admin.unsafe(`drop database if exists ${NAME} with (force)`);
await admin.unsafe(`create database ${NAME}`);
const url = new URL(adminUrl);
url.pathname = `/${NAME}`;
const db = await connectDatabase({ databaseUrl: url.toString(), dataDir: '/tmp' });
await migrate(db);
const log = pino({ level: 'warn' });
const notifier = new Notifier(db);
await notifier.start();
const jobService = new JobService(new JobStore(db.sql, db.schema), await loadJobRegistry(), notifier);
const store = new BulkActionStore(db.sql, db.schema);
const results = {};
try {
    for (let run = 1; run <= runs; run++) {
        for (const batchSize of batchSizes) {
            await db.sql `truncate job_runner_jobs, job_runner_owner_jobs, job_runner_bulk_actions`;
            await db.sql `
        insert into job_runner_jobs (owner, type, queue, max_attempts, state, attempts, finished_at, error)
        select 'bench', 'echo', 'parked', 1, 'failed', 1, now(), 'boom' from generate_series(1, ${jobs})`;
            await db.sql `vacuum analyze job_runner_jobs`;
            const worker = new BulkActionWorker({ instanceId: randomUUID(), leaseMs: 30_000, batchSize, pollIntervalMs: 1000 }, { store, announce: jobService, log });
            const service = new BulkActionService(store, worker);
            const createdAt = performance.now();
            const action = await service.create({ owner: 'bench', allOwners: false }, { action: 'retry', filter: { state: 'failed' } });
            const createMs = performance.now() - createdAt;
            const batchMs = [];
            let last = performance.now();
            worker.events.on('bulk:batch', () => {
                const now = performance.now();
                batchMs.push(now - last);
                last = now;
            });
            const completed = worker.events.waitFor('bulk:completed', (e) => e.action.id === action.id);
            const started = performance.now();
            last = started;
            worker.start();
            const { action: done } = await completed;
            const totalMs = performance.now() - started;
            await worker.stop();
            if (done.done !== jobs)
                throw new Error(`retried ${done.done} of ${jobs}`);
            const rate = Math.round(jobs / (totalMs / 1000));
            (results[batchSize] ??= []).push({ rate, totalMs, createMs, batchMs });
            console.log(`run ${run} batch ${batchSize}: ${jobs} jobs in ${Math.round(totalMs)} ms = ${rate} jobs/s ` +
                `(create with its count ${Math.round(createMs)} ms; batch p50 ${percentile(batchMs, 50).toFixed(1)} ms, ` +
                `p99 ${percentile(batchMs, 99).toFixed(1)} ms)`);
        }
    }
    console.log('\nbatch size | jobs/s median (range) | create ms median | batch ms p50 / p99 (all runs)');
    for (const batchSize of batchSizes) {
        const rows = results[batchSize];
        const rates = rows.map((r) => r.rate);
        const allBatches = rows.flatMap((r) => r.batchMs);
        console.log(`${batchSize} | ${percentile(rates, 50)} (${Math.min(...rates)}–${Math.max(...rates)}) | ` +
            `${Math.round(percentile(rows.map((r) => r.createMs), 50))} | ${percentile(allBatches, 50).toFixed(1)} / ${percentile(allBatches, 99).toFixed(1)}`);
    }
}
finally {
    await notifier.stop();
    await db.close({ timeoutSeconds: 1 });
    await admin.unsafe(`drop database if exists ${NAME} with (force)`);
    await admin.end();
}
//# sourceMappingURL=bulkRetry.js.map