/**
 * Issue 23: pausing one running job across instances, and time slicing.
 *
 * - pause: two real runners in this process on one PostgreSQL, A and B, each with its own pool and
 *   its own Notifier (the pause's NOTIFY really goes through PostgreSQL). A runs `count` jobs (one
 *   step every 10 ms); B's JobService pauses them exactly as `POST /v1/jobs/{id}/pause` does
 *   (store.requestPause, then the notifier). Timed from just before B's call to A's token firing
 *   (one process, one clock), and to A's `job:settled` with outcome `paused` (the checkpoint and the
 *   `paused` state written). Each job is cancelled afterwards, so the next cycle starts alone.
 * - slicing: one runner, 10 slots, 10 long `count` jobs (an hour each: 3,600 steps of 1 s) running,
 *   then 100 short jobs (`sleep` 50 ms) arrive in one batch: each short job's wait, from the
 *   enqueue's return to its `job:start`. With `maxSliceSeconds` (--slice, default 5) and, for
 *   contrast, without it for `--unsliced-window` seconds (how many short jobs started by then).
 *
 *   node --import tsx bench/slicing.ts [--pauses 200] [--slice 5] [--unsliced-window 15]
 *
 * BENCH_DATABASE_URL (default postgres://root@127.0.0.1:5432/test) must allow creating a database;
 * `bench_slicing` is created and dropped.
 */
import { parseArgs } from 'node:util';
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import postgres from 'postgres';
import { defineJob } from '../jobs/defineJob.js';
import { JobRegistry, loadJobRegistry } from '../jobs/registry.js';
import { JobService } from '../src/queue/jobService.js';
import { percentile } from './measure.js';
import { openRunner } from './openRunner.js';
const { values } = parseArgs({
    options: {
        pauses: { type: 'string', default: '200' },
        warmup: { type: 'string', default: '10' },
        slice: { type: 'string', default: '5' },
        'unsliced-window': { type: 'string', default: '15' },
        only: { type: 'string', default: 'pause,slicing' },
    },
});
const adminUrl = process.env.BENCH_DATABASE_URL ?? 'postgres://root@127.0.0.1:5432/test';
const NAME = 'bench_slicing';
const databaseUrl = (() => {
    const url = new URL(adminUrl);
    url.pathname = `/${NAME}`;
    return url.toString();
})();
const only = new Set(values.only.split(','));
const stats = (xs) => ({
    n: xs.length,
    p50: round(percentile(xs, 50)),
    p95: round(percentile(xs, 95)),
    p99: round(percentile(xs, 99)),
    max: round(Math.max(...xs)),
});
const round = (x) => Math.round(x * 10) / 10;
/** One promise per job id, whichever side (the event or the waiter) comes first. */
function byId() {
    const entries = new Map();
    const entry = (id) => {
        let e = entries.get(id);
        if (!e) {
            let resolve;
            const promise = new Promise((r) => (resolve = r));
            entries.set(id, (e = { promise, resolve }));
        }
        return e;
    };
    return {
        resolve: (id, value) => entry(id).resolve(value),
        wait: (id) => entry(id).promise,
    };
}
async function pauseAcrossInstances(ops, warmup) {
    const aborted = byId();
    const started = byId();
    const settled = byId();
    const real = await loadJobRegistry();
    const count = real.get('count');
    const watched = {
        ...count,
        run(ctx) {
            ctx.signal.addEventListener('abort', () => aborted.resolve(ctx.jobId, performance.now()), { once: true });
            return count.run(ctx);
        },
    };
    const registry = new JobRegistry(real.names().map((name) => (name === 'count' ? watched : real.get(name))));
    // A serves `default`; B serves a queue nobody uses, so every job runs on A.
    const a = await openRunner({ databaseUrl }, 10, { registry });
    const b = await openRunner({ databaseUrl }, 10, { registry, env: { QUEUES: 'pause-b' } });
    const jobsB = new JobService(b.store, registry, b.notifier);
    a.runner.events.on('job:start', ({ job }) => started.resolve(job.id, undefined));
    a.runner.events.on('job:settled', ({ job, outcome }) => settled.resolve(job.id, { at: performance.now(), outcome }));
    await a.runner.start();
    await b.runner.start();
    const toAbort = [];
    const toPaused = [];
    const outcomes = {};
    for (let i = 0; i < warmup + ops; i++) {
        const [enqueued] = await jobsB.enqueue({
            owner: 'bench',
            jobs: [{ type: 'count', payload: { to: 1_000_000, stepMs: 10 } }],
        });
        const id = enqueued.job.id;
        await started.wait(id);
        const t0 = performance.now();
        const outcome = await jobsB.pause({ owner: 'bench', id });
        if (outcome.kind !== 'requested')
            throw new Error(`pause of running job ${id} answered ${outcome.kind}`);
        const abortAt = await aborted.wait(id);
        const end = await settled.wait(id);
        await jobsB.cancel({ owner: 'bench', id });
        if (i < warmup)
            continue;
        toAbort.push(abortAt - t0);
        toPaused.push(end.at - t0);
        outcomes[end.outcome] = (outcomes[end.outcome] ?? 0) + 1;
    }
    await b.runner.stop({ graceMs: 2000 });
    await a.runner.stop({ graceMs: 2000 });
    for (const side of [a, b]) {
        await side.notifier.stop();
        await side.db.close();
    }
    return { pauses: ops, toAbortMs: stats(toAbort), toPausedMs: stats(toPaused), outcomes };
}
/** `count` under another name, sliced or not. */
function longCount(count, maxSliceSeconds) {
    return defineJob({
        name: 'longcount',
        payloadSchema: count.payloadSchema,
        ...(maxSliceSeconds === undefined ? {} : { maxSliceSeconds }),
        run: count.run,
    });
}
async function shortJobsBehindLongOnes(maxSliceSeconds, windowMs) {
    const real = await loadJobRegistry();
    const registry = new JobRegistry([longCount(real.get('count'), maxSliceSeconds), real.get('sleep')]);
    const side = await openRunner({ databaseUrl }, 10, { registry });
    const jobs = new JobService(side.store, registry, side.notifier);
    const startedAt = new Map();
    const longStarts = new Set();
    let allLongStarted;
    const longRunning = new Promise((resolve) => (allLongStarted = resolve));
    let shortStarted = 0;
    let allShortStarted;
    const shortRunning = new Promise((resolve) => (allShortStarted = resolve));
    let yields = 0;
    side.runner.events.on('job:start', ({ job }) => {
        if (job.type === 'longcount') {
            longStarts.add(job.id);
            if (longStarts.size === 10)
                allLongStarted();
            return;
        }
        startedAt.set(job.id, performance.now());
        if (++shortStarted === 100)
            allShortStarted();
    });
    side.runner.events.on('job:settled', ({ outcome }) => outcome === 'yielded' && (yields += 1));
    await side.runner.start();
    const long = await jobs.enqueue({
        owner: 'bench',
        jobs: Array.from({ length: 10 }, () => ({ type: 'longcount', payload: { to: 3600, stepMs: 1000 } })),
    });
    await longRunning;
    const short = await jobs.enqueue({
        owner: 'bench',
        jobs: Array.from({ length: 100 }, () => ({ type: 'sleep', payload: { ms: 50 } })),
    });
    const arrived = performance.now();
    const timer = new Promise((resolve) => setTimeout(resolve, windowMs));
    await Promise.race([shortRunning, timer]);
    const waits = short.map(({ job }) => startedAt.get(job.id)).filter((at) => at !== undefined);
    const result = {
        maxSliceSeconds: maxSliceSeconds ?? null,
        shortStarted: waits.length,
        shortWaitS: waits.length ? stats(waits.map((at) => (at - arrived) / 1000)) : null,
        longRunsYielded: yields,
    };
    for (const { job } of long)
        await jobs.cancel({ owner: 'bench', id: job.id });
    await side.runner.stop({ graceMs: 3000 });
    await side.notifier.stop();
    await side.db.close();
    return result;
}
async function main() {
    const admin = postgres(adminUrl, { max: 1, onnotice: () => { } });
    await admin.unsafe(`drop database if exists ${NAME} with (force)`);
    await admin.unsafe(`create database ${NAME}`);
    const report = {
        machine: `${os.cpus().length} cores (${os.cpus()[0]?.model ?? '?'}), Node ${process.version}, load ${os
            .loadavg()
            .map((l) => l.toFixed(1))
            .join(' ')}`,
    };
    try {
        if (only.has('pause'))
            report.pause = await pauseAcrossInstances(Number(values.pauses), Number(values.warmup));
        if (only.has('slicing')) {
            const slice = Number(values.slice);
            report.sliced = await shortJobsBehindLongOnes(slice, slice * 4000);
            report.unsliced = await shortJobsBehindLongOnes(undefined, Number(values['unsliced-window']) * 1000);
        }
    }
    finally {
        await admin.unsafe(`drop database if exists ${NAME} with (force)`);
        await admin.end();
    }
    console.log(JSON.stringify(report, null, 2));
}
await main();
//# sourceMappingURL=slicing.js.map