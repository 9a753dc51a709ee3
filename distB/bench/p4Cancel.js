/**
 * P4: cancel a running job from another instance. Two real runners in this process, A and B, each
 * with its own postgres.js pool and its own Notifier (so the cancel's NOTIFY really goes through
 * PostgreSQL: A hears it on its own LISTEN connection). A runs `sleep` jobs; B's JobService cancels
 * them exactly as `POST /v1/jobs/:id/cancel` does (store.requestCancel, then the notifier). Timed
 * from just before B's cancel call to the moment A's job's AbortSignal fires (one process, one
 * clock), then to A's `job:settled` (the `cancelled` state written).
 */
import { performance } from 'node:perf_hooks';
import { JobRegistry, loadJobRegistry } from '../jobs/registry.js';
import { JobService } from '../src/queue/jobService.js';
import { dbCounters, percentile } from './measure.js';
/** One promise per job id, whichever side (the event or the waiter) comes first. */
class ById {
    entries = new Map();
    entry(id) {
        let e = this.entries.get(id);
        if (!e) {
            let resolve;
            const promise = new Promise((r) => (resolve = r));
            e = { promise, resolve };
            this.entries.set(id, e);
        }
        return e;
    }
    resolve(id, value) {
        this.entry(id).resolve(value);
    }
    wait(id) {
        return this.entry(id).promise;
    }
    forget(id) {
        this.entries.delete(id);
    }
}
export async function cancelAcrossInstances({ databaseUrl, ops = 500, warmup = 20 }, open) {
    const aborted = new ById();
    const started = new ById();
    const settled = new ById();
    // The real `sleep` job, with a listener on its token that notes when it fires.
    const real = await loadJobRegistry();
    const sleep = real.get('sleep');
    const watched = {
        ...sleep,
        run(ctx) {
            ctx.signal.addEventListener('abort', () => aborted.resolve(ctx.jobId, performance.now()), { once: true });
            return sleep.run(ctx);
        },
    };
    const registry = new JobRegistry(real.names().map((name) => (name === 'sleep' ? watched : real.get(name))));
    // A serves `default`; B serves a queue nobody uses, so every job runs on A.
    const a = await open(10, { registry });
    const b = await open(10, { registry, env: { QUEUES: 'p4-b' } });
    const jobsB = new JobService(b.store, registry, b.notifier);
    a.runner.events.on('job:start', ({ job }) => started.resolve(job.id, undefined));
    a.runner.events.on('job:settled', ({ job, outcome }) => settled.resolve(job.id, { at: performance.now(), outcome }));
    await a.runner.start();
    await b.runner.start();
    const counters = dbCounters(databaseUrl);
    const toAbort = [];
    const callMs = [];
    const toSettled = [];
    const outcomes = {};
    // Commits are counted over every cycle, warm-up included, and read once both pools are closed:
    // PostgreSQL 15 reports a backend's commits lazily (up to 10 s late once it idles) and when it
    // exits, so a reading between two cycles would count some of the cycles before it and miss some
    // of those after. The two runners' stops (a few commits) count too.
    const before = await counters.read();
    for (let i = 0; i < warmup + ops; i++) {
        const [enqueued] = await jobsB.enqueue({ owner: 'bench', jobs: [{ type: 'sleep', payload: { ms: 600_000 } }] });
        const id = enqueued.job.id;
        await started.wait(id);
        const t0 = performance.now();
        const outcome = await jobsB.cancel({ owner: 'bench', id });
        const returned = performance.now();
        if (outcome.kind !== 'requested')
            throw new Error(`cancel of running job ${id} answered ${outcome.kind}`);
        const abortAt = await aborted.wait(id);
        const end = await settled.wait(id);
        for (const map of [aborted, started, settled])
            map.forget(id);
        if (i < warmup)
            continue;
        toAbort.push(abortAt - t0);
        callMs.push(returned - t0);
        toSettled.push(end.at - t0);
        outcomes[end.outcome] = (outcomes[end.outcome] ?? 0) + 1;
    }
    await b.runner.stop({ graceMs: 2000 });
    await a.runner.stop({ graceMs: 2000 });
    for (const side of [a, b]) {
        await side.notifier.stop();
        await side.db.close();
    }
    const after = await counters.read();
    await counters.close();
    const stats = (xs) => ({
        p50: percentile(xs, 50),
        p95: percentile(xs, 95),
        p99: percentile(xs, 99),
        max: Math.max(...xs),
    });
    return {
        cancels: ops,
        // Cancel call on B → A's AbortSignal fired: the figure P4 is judged on.
        toAbortMs: stats(toAbort),
        // B's JobService.cancel round trip (requestCancel + the NOTIFY's statement).
        cancelCallMs: stats(callMs),
        // Cancel call on B → A wrote `cancelled` (batched outcome write) and emitted job:settled.
        toSettledMs: stats(toSettled),
        outcomes,
        // Per cycle: enqueue on B, claim on A, cancel on B, cancelled written by A (and their NOTIFYs).
        commitsPerCycle: (after.commits - before.commits) / (warmup + ops),
        walBytesPerCycle: (after.walBytes - before.walBytes) / (warmup + ops),
    };
}
//# sourceMappingURL=p4Cancel.js.map