/**
 * job-runner's side of the benchmarks, one mode per fresh process (`bench/run.mjs` spawns it):
 *
 *   node dist/bench/ours.js <mode> '<json params>'    (compiled by bench/run.mjs: bench/tsconfig.json)
 *
 * modes: setup (migrate), drain (P1, also PGlite P7), latency (P2), restart (P7), cancel (P4),
 * flat (P8: memory while many jobs pass through), depth (P9: claim and enqueue cost with a deep table),
 * enqueue (P1bb, P3b: P1's enqueue alone, for a server process started afterwards to drain).
 * Prints one `RESULT {json}` line.
 * The runner is built the way src/service.ts builds it; jobs are enqueued through JobStore.
 */
import { performance } from 'node:perf_hooks';
import { loadConfig } from '../src/config.js';
import { createLogger } from '../src/log.js';
import { connectDatabase } from '../src/db/connect.js';
import { JobStore } from '../src/queue/store.js';
import { echoJob } from './echoJob.js';
import { mintToken } from '../src/auth/devToken.js';
import { dbCounters, machineCpuMs, machineCpuPerJob, percentile, rssMb, settlementCounter } from './measure.js';
import { openRunner } from './openRunner.js';
import { cancelAcrossInstances } from './p4Cancel.js';
import { flatMemory } from './p8Flat.js';
import { queueDepth } from './p9Depth.js';
const [mode = 'drain', rawParams = '{}'] = process.argv.slice(2);
const params = JSON.parse(rawParams);
const log = createLogger({ level: 'silent' });
const open = (concurrency, options) => openRunner(params, concurrency, options);
async function drain() {
    const total = params.jobs ?? 20_000;
    const { config, db, store, notifier, runner } = await open(params.concurrency ?? 10, params.localQueueSize === undefined ? {} : { env: { LOCAL_QUEUE_SIZE: String(params.localQueueSize) } });
    // PostgreSQL 15 reports a backend's commits lazily (up to 10 s late while it idles) and always when
    // it exits: on a server, the jobs are enqueued through connections of their own, closed before the
    // count starts, and the runner's are closed before it ends.
    // (Directly, not through a pooler: the enqueue is not what this measures.)
    const directUrl = params.databaseDirectUrl ?? params.databaseUrl;
    const enqueuer = db.capabilities.sharedAcrossProcesses
        ? await connectDatabase({ databaseUrl: directUrl, dataDir: config.dataDir })
        : db;
    const enqueueStore = enqueuer === db ? store : new JobStore(enqueuer.sql, enqueuer.schema);
    const enqueueStarted = performance.now();
    for (let done = 0; done < total; done += 1000) {
        await enqueueStore.enqueueJobs({
            owner: 'bench',
            jobs: Array.from({ length: Math.min(1000, total - done) }, echoJob),
        });
    }
    const enqueueMs = performance.now() - enqueueStarted;
    if (enqueuer !== db)
        await enqueuer.close();
    const counters = db.capabilities.sharedAcrossProcesses ? dbCounters(directUrl) : undefined;
    const before = await counters?.read();
    const rssBefore = rssMb();
    const { counts, drained } = settlementCounter(runner, total);
    const started = performance.now();
    const cpuBefore = process.cpuUsage();
    const machineBefore = machineCpuMs();
    await runner.start();
    const capped = await drained(params.timeCapMs ?? 60_000);
    const elapsedMs = performance.now() - started;
    const cpu = process.cpuUsage(cpuBefore);
    const machineAfter = machineCpuMs();
    const doneCount = counts.settled;
    const rssAfter = rssMb();
    await runner.stop({ graceMs: 5000 });
    // A drain of failing jobs measures the failure path: it happens when dist/jobs/ is missing.
    if (counts.succeeded !== doneCount)
        throw new Error(`only ${counts.succeeded} of ${doneCount} echo jobs succeeded: is jobs/echo.ts compiled into dist/jobs?`);
    await notifier.stop();
    await db.close();
    const after = await counters?.read();
    await counters?.close();
    return {
        jobs: total,
        completed: doneCount,
        succeeded: counts.succeeded,
        capped,
        elapsedMs,
        jobsPerSec: (doneCount / elapsedMs) * 1000,
        // The worker process's own CPU (user + system) per job while it drained, in microseconds.
        cpuUsPerJob: (cpu.user + cpu.system) / doneCount,
        ...machineCpuPerJob(machineBefore, machineAfter, doneCount),
        enqueueMs,
        rssBeforeMb: rssBefore,
        rssAfterMb: rssAfter,
        ...(before && after
            ? {
                commitsPerJob: (after.commits - before.commits) / doneCount,
                walBytesPerJob: (after.walBytes - before.walBytes) / doneCount,
            }
            : {}),
    };
}
/** P1's enqueue without the drain: `jobs` echo jobs through JobStore in batches of 1,000, connections closed at the end. */
async function enqueue() {
    const total = params.jobs ?? 20_000;
    const db = await connectDatabase({ databaseUrl: params.databaseUrl, dataDir: '' });
    const store = new JobStore(db.sql, db.schema);
    const runAt = params.runAtMs === undefined ? null : new Date(params.runAtMs);
    const started = performance.now();
    for (let done = 0; done < total; done += 1000) {
        await store.enqueueJobs({
            owner: 'bench',
            jobs: Array.from({ length: Math.min(1000, total - done) }, () => echoJob({ runAt })),
        });
    }
    const enqueueMs = performance.now() - started;
    await db.close();
    return { jobs: total, enqueueMs };
}
async function latency() {
    const total = params.jobs ?? 1000;
    // Imported here so that the drain does not load the HTTP app at all.
    const { startService } = await import('../src/service.js');
    const service = await startService({
        config: loadConfig({
            DATABASE_URL: params.databaseUrl,
            JWT_SECRET: 'bench-secret-bench-secret-bench-secret!',
            CONCURRENCY: String(params.concurrency ?? 10),
            PORT: '0',
            LOG_LEVEL: 'silent',
        }),
        log,
    });
    const token = await mintToken({
        secret: 'bench-secret-bench-secret-bench-secret!',
        sub: 'bench',
        audience: 'job-runner',
    });
    const measure = async (enqueue) => {
        const samples = [];
        for (let i = 0; i < total; i++) {
            const started = performance.now();
            const startEvent = service.runner.events.waitFor('job:start');
            const settledEvent = service.runner.events.waitFor('job:settled');
            await enqueue();
            await startEvent;
            samples.push(performance.now() - started);
            await settledEvent;
        }
        return samples;
    };
    // Warm-up: JIT, connections, token verification.
    const direct = () => service.jobs.enqueue({ owner: 'bench', jobs: [{ type: 'echo', payload: {} }] });
    const http = async () => {
        const response = await fetch(`${service.url}/v1/jobs`, {
            method: 'POST',
            headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
            body: '{"type":"echo","payload":{}}',
        });
        if (response.status !== 202)
            throw new Error(`POST /v1/jobs answered ${response.status}`);
        await response.arrayBuffer();
    };
    for (let i = 0; i < 50; i++) {
        await direct();
        await http();
    }
    await new Promise((r) => setTimeout(r, 500));
    const directSamples = await measure(direct);
    const httpSamples = await measure(http);
    await service.lifecycle.shutdown('bench done');
    return {
        jobs: total,
        p50Ms: percentile(directSamples, 50),
        p99Ms: percentile(directSamples, 99),
        httpP50Ms: percentile(httpSamples, 50),
        httpP99Ms: percentile(httpSamples, 99),
    };
}
/** P7: start the whole service on an existing embedded data folder; time to ready, then stop. */
async function restart() {
    const { startService } = await import('../src/service.js');
    const modulesLoadedMs = performance.now();
    const started = performance.now();
    const service = await startService({
        config: loadConfig({ DATA_DIR: params.dataDir, PORT: '0', LOG_LEVEL: 'silent' }),
        log,
    });
    const ready = await fetch(`${service.url}/readyz`);
    const readyMs = performance.now() - started;
    await service.lifecycle.shutdown('bench done');
    // performance.now() counts from process start: node, tsx and every module load are included.
    return { startServiceMs: readyMs, sinceProcessStartMs: modulesLoadedMs + readyMs, readyStatus: ready.status };
}
async function setup() {
    const { db } = await open(1);
    await db.close();
    return { ok: true };
}
const cancel = () => cancelAcrossInstances({ databaseUrl: params.databaseUrl, ...pick('ops', 'warmup') }, open);
const flat = () => flatMemory({ databaseUrl: params.databaseUrl, ...pick('jobs', 'concurrency', 'timeCapMs') }, open);
const depth = () => queueDepth({
    databaseUrl: params.databaseUrl,
    deepDatabaseUrl: params.deepDatabaseUrl,
    ...pick('finished', 'queued', 'ops', 'rounds'),
});
/** The given params among `keys` (exactOptionalPropertyTypes: absent ones are left out, not undefined). */
function pick(...keys) {
    return Object.fromEntries(keys.filter((k) => params[k] !== undefined).map((k) => [k, params[k]]));
}
const modes = {
    drain,
    latency,
    restart,
    setup,
    cancel,
    flat,
    depth,
    enqueue,
};
const run = modes[mode];
if (!run)
    throw new Error(`unknown mode ${mode}`);
const result = await run();
process.stdout.write(`RESULT ${JSON.stringify(result)}\n`);
process.exit(0);
//# sourceMappingURL=ours.js.map