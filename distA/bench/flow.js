/**
 * Flow control benchmarks of issue 19, ours' side, one mode per fresh process (bench/flowRun.mjs
 * spawns it):
 *
 *   node dist/bench/flow.js <mode> '<json params>'
 *
 * modes:
 *   lag       P10: `jobs` echo jobs at random runAt within `spreadMs` (from 2 s ahead); start − runAt.
 *   fairness  owner A enqueues `jobs`, the runner (c=`concurrency`) drains them; every `everyMs`
 *             owner B enqueues 10 jobs, `rounds` times; B's queue wait (enqueue → job start).
 *   rate      a type limited to `limit` per second (burst `burst`), `jobs` queued, `instances` runners,
 *             `durationMs`: starts counted in the window and per second (database clock, started_at).
 *   drain     P1: `jobs` jobs drained at c=`concurrency` by `instances` runners (default 1); with
 *             `keys`, a type with `concurrency: { perKey }` and the jobs spread over `keys`
 *             concurrency keys; with TIMELINE=1 in the environment, every claim and completion
 *             write of the first runner, timed. Reports the CPU a job over the drain: this
 *             process's (`workerCpuUsPerJob`), PostgreSQL's on this machine (`postgresCpuUsPerJob`) and
 *             the machine's (`machineCpuUsPerJob`, `machineIdleShare`).
 *   mixed     `jobs` echo jobs drained at c=`concurrency` beside a backlog of `heldJobs` (10,000) jobs
 *             of one concurrency key of a type with `concurrency: { perKey: 1 }`, each taking `heldMs`
 *             (200): the echo jobs' rate and the claims made while that key is held.
 * Prints one `RESULT {json}` line.
 */
import { performance } from 'node:perf_hooks';
import { defineJob } from '../jobs/defineJob.js';
import echo from '../jobs/echo.js';
import { JobRegistry } from '../jobs/registry.js';
import { echoJob } from './echoJob.js';
import { machineCpuMs, machineCpuPerJob, percentile, postgresCpuMs } from './measure.js';
import { openRunner } from './openRunner.js';
const [mode = 'lag', rawParams = '{}'] = process.argv.slice(2);
const params = JSON.parse(rawParams);
const where = { databaseUrl: params.databaseUrl };
const settledCount = (runners, total) => {
    let n = 0;
    let done;
    const all = new Promise((r) => (done = r));
    for (const runner of runners) {
        runner.events.on('job:settled', () => {
            if (++n === total)
                done();
        });
    }
    return { all, count: () => n };
};
/** Statements of each claim, counted: a keyed drain runs the limited claim, and the plain one beside it. */
function countClaims(stores) {
    const claims = { plain: 0, limited: 0 };
    for (const store of stores) {
        const plainClaim = store.claimJobs.bind(store);
        const limitedClaim = store.claimLimitedJobs.bind(store);
        store.claimJobs = (...args) => (claims.plain++, plainClaim(...args));
        store.claimLimitedJobs = (...args) => (claims.limited++, limitedClaim(...args));
    }
    return claims;
}
async function lag() {
    const total = params.jobs ?? 1000;
    const spreadMs = params.spreadMs ?? 60_000;
    const { db, store, runner, notifier } = await openRunner(where, params.concurrency ?? 10);
    await runner.start();
    const lags = [];
    const done = settledCount([runner], total);
    runner.events.on('job:start', ({ job }) => lags.push(Date.now() - Date.parse(job.runAt)));
    const base = Date.now() + 2000;
    const jobs = Array.from({ length: total }, () => echoJob({ runAt: new Date(base + Math.random() * spreadMs) }));
    // Enqueued in batches of 100, each due time announced as POST /v1/jobs does (JobService's
    // announceDueTimes): the runner hears them as it would from any instance's enqueue.
    for (let i = 0; i < total; i += 100) {
        const enqueued = await store.enqueueJobs({ owner: 'bench', jobs: jobs.slice(i, i + 100) });
        for (const { job } of enqueued)
            notifier.announce('jobsDue', `${job.queue} ${Date.parse(job.runAt)}`);
    }
    await done.all;
    await runner.stop({ graceMs: 5000 });
    await notifier.stop();
    await db.close({ timeoutSeconds: 1 });
    return summary(lags);
}
function summary(samples) {
    return {
        n: samples.length,
        p50Ms: percentile(samples, 50),
        p90Ms: percentile(samples, 90),
        p99Ms: percentile(samples, 99),
        maxMs: Math.max(...samples),
        minMs: Math.min(...samples),
    };
}
async function fairness() {
    const total = params.jobs ?? 100_000;
    const rounds = params.rounds ?? 5;
    const everyMs = params.everyMs ?? 2000;
    const { db, store, runner, notifier } = await openRunner(where, params.concurrency ?? 10);
    for (let done = 0; done < total; done += 1000) {
        await store.enqueueJobs({
            owner: 'owner-a',
            jobs: Array.from({ length: Math.min(1000, total - done) }, () => echoJob()),
        });
    }
    const waits = [];
    const enqueuedAt = new Map();
    let aStarted = 0;
    let bDone;
    const allB = new Promise((r) => (bDone = r));
    runner.events.on('job:start', ({ job }) => {
        const at = enqueuedAt.get(job.id);
        if (at === undefined) {
            aStarted += 1;
            return;
        }
        waits.push(performance.now() - at);
        if (waits.length === rounds * 10)
            bDone();
    });
    const started = performance.now();
    await runner.start();
    const aStartedAtRounds = [];
    for (let round = 0; round < rounds; round++) {
        await new Promise((r) => setTimeout(r, everyMs));
        aStartedAtRounds.push(aStarted);
        const at = performance.now();
        const enqueued = await store.enqueueJobs({ owner: 'owner-b', jobs: Array.from({ length: 10 }, () => echoJob()) });
        for (const { job } of enqueued)
            enqueuedAt.set(job.id, at);
    }
    await allB;
    const elapsedMs = performance.now() - started;
    await runner.stop({ graceMs: 5000 });
    await notifier.stop();
    await db.close({ timeoutSeconds: 1 });
    return { ...summary(waits), aJobs: total, aStartedAtRounds, aStartedByEnd: aStarted, elapsedMs };
}
async function rate() {
    const limit = params.limit ?? 10;
    const burst = params.burst ?? 1;
    const durationMs = params.durationMs ?? 60_000;
    const total = params.jobs ?? Math.ceil((limit * durationMs) / 1000) + 200;
    const rated = defineJob({
        name: 'rated',
        payloadSchema: {},
        rateLimit: { limit, periodMs: 1000, burst },
        async run() {
            return null;
        },
    });
    const registry = new JobRegistry([echo, rated]);
    const opened = [];
    for (let i = 0; i < (params.instances ?? 2); i++)
        opened.push(await openRunner(where, params.concurrency ?? 10, { registry }));
    const { db, store } = opened[0];
    for (let done = 0; done < total; done += 1000) {
        await store.enqueueJobs({
            owner: 'bench',
            jobs: Array.from({ length: Math.min(1000, total - done) }, () => echoJob({ type: 'rated' })),
        });
    }
    for (const { runner } of opened)
        await runner.start();
    await new Promise((r) => setTimeout(r, durationMs + 3000));
    for (const { runner } of opened)
        await runner.stop({ graceMs: 5000 });
    const rows = await db.sql `
    select (extract(epoch from started_at) * 1000)::float8 as ms from job_runner_jobs where started_at is not null order by started_at`;
    const starts = rows.map((r) => Number(r.ms));
    const t0 = starts[0];
    const inWindow = starts.filter((t) => t < t0 + durationMs);
    const perSecond = new Array(Math.ceil(durationMs / 1000)).fill(0);
    for (const t of inWindow)
        perSecond[Math.floor((t - t0) / 1000)] += 1;
    // Also any sliding one-second window, the stricter reading of "no second above 10 + burst".
    let slidingMax = 0;
    for (let i = 0, j = 0; i < inWindow.length; i++) {
        while (inWindow[i] - inWindow[j] >= 1000)
            j++;
        slidingMax = Math.max(slidingMax, i - j + 1);
    }
    const gaps = inWindow.slice(1).map((t, i) => t - inWindow[i]);
    for (const { notifier, db } of opened) {
        await notifier.stop();
        await db.close({ timeoutSeconds: 1 });
    }
    return {
        limit,
        burst,
        instances: opened.length,
        durationMs,
        startsInWindow: inWindow.length,
        maxPerSecond: Math.max(...perSecond),
        minPerSecond: Math.min(...perSecond),
        slidingMaxPerSecond: slidingMax,
        gapP50Ms: percentile(gaps, 50),
        gapMinMs: Math.min(...gaps),
        perSecond,
    };
}
async function drain() {
    const total = params.jobs ?? 50_000;
    const keys = params.keys ?? 0;
    const keyed = defineJob({
        name: 'keyed',
        payloadSchema: {},
        concurrency: { perKey: params.perKey ?? 2 },
        async run({ payload }) {
            return payload;
        },
    });
    // Without keys, echo alone: the plain claim only, as P1 runs it.
    const registry = new JobRegistry(keys > 0 ? [echo, keyed] : [echo]);
    // With `instances`, several runners (each its own pool and LISTEN connection, as instances have)
    // drain the same jobs from this one process.
    const opened = [];
    for (let i = 0; i < (params.instances ?? 1); i++)
        opened.push(await openRunner(where, params.concurrency ?? 10, { registry }));
    const { store } = opened[0];
    for (let done = 0; done < total; done += 1000) {
        const n = Math.min(1000, total - done);
        const jobs = Array.from({ length: n }, (_, i) => keys > 0 ? echoJob({ type: 'keyed', concurrencyKey: `k${(done + i) % keys}` }) : echoJob());
        await store.enqueueJobs({ owner: 'bench', jobs });
    }
    const claims = countClaims(opened.map((o) => o.store));
    if (process.env.TIMELINE)
        traceClaimsAndWrites(store);
    const done = settledCount(opened.map((o) => o.runner), total);
    const machineBefore = machineCpuMs();
    const postgresBefore = postgresCpuMs();
    const cpuBefore = process.cpuUsage();
    const started = performance.now();
    await Promise.all(opened.map(({ runner }) => runner.start()));
    const capped = await Promise.race([
        done.all.then(() => false),
        new Promise((r) => setTimeout(() => r(true), params.timeCapMs ?? 120_000)),
    ]);
    const elapsedMs = performance.now() - started;
    const cpu = process.cpuUsage(cpuBefore);
    const machine = machineCpuPerJob(machineBefore, machineCpuMs(), done.count());
    const postgresAfter = postgresCpuMs();
    const completed = done.count();
    await Promise.all(opened.map(({ runner }) => runner.stop({ graceMs: 5000 })));
    for (const { notifier, db } of opened) {
        await notifier.stop();
        await db.close({ timeoutSeconds: 1 });
    }
    const instances = opened.length;
    return {
        jobs: total,
        keys,
        instances,
        completed,
        capped,
        elapsedMs,
        jobsPerSec: (completed / elapsedMs) * 1000,
        // Over the drain alone: this process (the runners), and the whole machine (PostgreSQL with it).
        workerCpuUsPerJob: (cpu.user + cpu.system) / completed,
        ...machine,
        ...(postgresBefore !== undefined && postgresAfter !== undefined
            ? { postgresCpuUsPerJob: ((postgresAfter - postgresBefore) * 1000) / completed }
            : {}),
        claims,
    };
}
async function mixed() {
    const total = params.jobs ?? 50_000;
    const heldJobs = params.heldJobs ?? 10_000;
    const heldMs = params.heldMs ?? 200;
    const oneAtATime = defineJob({
        name: 'one-at-a-time',
        payloadSchema: {},
        concurrency: { perKey: 1 },
        async run() {
            await new Promise((resolve) => setTimeout(resolve, heldMs));
            return null;
        },
    });
    const registry = new JobRegistry([echo, oneAtATime]);
    const { db, store, runner, notifier } = await openRunner(where, params.concurrency ?? 10, { registry });
    for (let done = 0; done < heldJobs; done += 1000) {
        const jobs = Array.from({ length: Math.min(1000, heldJobs - done) }, () => echoJob({ type: 'one-at-a-time', concurrencyKey: 'tenant-a' }));
        await store.enqueueJobs({ owner: 'bench', jobs });
    }
    for (let done = 0; done < total; done += 1000) {
        await store.enqueueJobs({
            owner: 'bench',
            jobs: Array.from({ length: Math.min(1000, total - done) }, () => echoJob()),
        });
    }
    const claims = countClaims([store]);
    let echoes = 0;
    let allEchoes;
    const echoed = new Promise((resolve) => (allEchoes = resolve));
    runner.events.on('job:settled', ({ job }) => {
        if (job.type === 'echo' && ++echoes === total)
            allEchoes();
    });
    const started = performance.now();
    await runner.start();
    await echoed;
    const elapsedMs = performance.now() - started;
    await runner.stop({ graceMs: 5000 });
    await notifier.stop();
    await db.close({ timeoutSeconds: 1 });
    return { jobs: total, heldJobs, heldMs, elapsedMs, jobsPerSec: (total / elapsedMs) * 1000, claims };
}
/**
 * With TIMELINE=1, the drain prints to stderr, at exit, when each claim and each completion
 * write ran (milliseconds from the drain's start) and how many jobs it carried: what shows whether
 * the claims or the writes pace a keyed drain (bench/RESULTS.md).
 */
function traceClaimsAndWrites(store) {
    const timeline = [];
    const t0 = performance.now();
    const at = () => (performance.now() - t0).toFixed(1);
    // The call, timed: each line is `<what> <start>-<end> <detail>`.
    const timed = (call, what, detail) => async (params) => {
        const start = at();
        const result = await call(params);
        timeline.push(`${what} ${start}-${at()} ${detail(params, result)}`);
        return result;
    };
    store.claimLimitedJobs = timed(store.claimLimitedJobs.bind(store), 'claim', (p, claimed) => `limit ${p.limit}/${p.aheadLimit} got ${claimed.length}`);
    store.claimJobs = timed(store.claimJobs.bind(store), 'plain claim', (p, claimed) => `limit ${p.limit} got ${claimed.length}`);
    store.completeJobs = timed(store.completeJobs.bind(store), 'write', (p) => `n ${p.completions.length}`);
    process.on('exit', () => console.error(timeline.join('\n')));
}
const modes = { lag, fairness, rate, drain, mixed };
const run = modes[mode];
if (!run)
    throw new Error(`unknown mode ${mode}`);
const result = await run();
process.stdout.write(`RESULT ${JSON.stringify(result)}\n`);
process.exit(0);
//# sourceMappingURL=flow.js.map