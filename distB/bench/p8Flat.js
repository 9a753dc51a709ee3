/**
 * P8 (flat): the runner's memory while many jobs pass through it on PostgreSQL. The echo jobs are
 * inserted with one SQL statement per 100,000 before the runner starts (enqueue speed is not what is
 * measured here); then RSS and heapUsed are sampled every second while the runner drains them. The
 * slope is a least-squares fit of RSS against jobs settled, after the warm-up, per 100,000 jobs.
 */
import { performance } from 'node:perf_hooks';
import { dbCounters, settlementCounter } from './measure.js';
const mb = (bytes) => bytes / 1024 / 1024;
export async function flatMemory({ databaseUrl, jobs = 1_000_000, concurrency = 10, timeCapMs = 3_600_000, }, open) {
    const { db, notifier, runner } = await open(concurrency);
    const insertStarted = performance.now();
    for (let done = 0; done < jobs; done += 100_000) {
        const n = Math.min(100_000, jobs - done);
        await db.sql `insert into job_runner_jobs (owner, type, queue, payload, max_attempts)
      select 'bench', 'echo', 'default', '{}'::jsonb, 1 from generate_series(1, ${n})`;
    }
    await db.sql `vacuum analyze job_runner_jobs`;
    const insertMs = performance.now() - insertStarted;
    const counters = dbCounters(databaseUrl);
    const before = await counters.read();
    const { counts, drained } = settlementCounter(runner, jobs);
    const samples = [];
    const started = performance.now();
    const sample = () => {
        const m = process.memoryUsage();
        samples.push({
            sec: (performance.now() - started) / 1000,
            settled: counts.settled,
            rssMb: mb(m.rss),
            heapUsedMb: mb(m.heapUsed),
        });
    };
    sample();
    const timer = setInterval(sample, 1000);
    await runner.start();
    const capped = await drained(timeCapMs);
    const elapsedMs = performance.now() - started;
    const completed = counts.settled;
    clearInterval(timer);
    sample();
    await runner.stop({ graceMs: 5000 });
    await notifier.stop();
    // Read once the runner's pool is closed: PostgreSQL 15 reports a backend's last commits when it
    // exits (or up to 10 s after it idles), not at once.
    await db.close();
    const after = await counters.read();
    await counters.close();
    return {
        jobs,
        completed,
        succeeded: counts.succeeded,
        capped,
        concurrency,
        insertMs,
        elapsedMs,
        jobsPerSec: (completed / elapsedMs) * 1000,
        ...memorySummary(samples, jobs),
        commitsPerJob: (after.commits - before.commits) / completed,
        walBytesPerJob: (after.walBytes - before.walBytes) / completed,
    };
}
/**
 * RSS and heapUsed over a run's samples: at the start, after the warm-up (the first tenth of the
 * jobs, at most 50,000: JIT, pools and buffers reach their size), at most and at the end, with the
 * slope per 100,000 jobs and the quarters' medians after the warm-up.
 */
export function memorySummary(samples, jobs) {
    const warmupJobs = Math.min(50_000, Math.floor(jobs / 10));
    const warm = samples.filter((s) => s.settled >= warmupJobs);
    const first = samples[0];
    const last = samples.at(-1);
    const maxOf = (xs, key) => Math.max(...xs.map((s) => s[key]));
    return {
        warmupJobs,
        rss: {
            startMb: first.rssMb,
            warmMb: warm[0]?.rssMb,
            maxMb: maxOf(samples, 'rssMb'),
            maxAfterWarmMb: warm.length ? maxOf(warm, 'rssMb') : undefined,
            endMb: last.rssMb,
            slopeMbPer100k: slope(warm, 'rssMb'),
            quarterMediansMb: quarterMedians(warm, 'rssMb'),
        },
        heapUsed: {
            startMb: first.heapUsedMb,
            warmMb: warm[0]?.heapUsedMb,
            maxMb: maxOf(samples, 'heapUsedMb'),
            endMb: last.heapUsedMb,
            slopeMbPer100k: slope(warm, 'heapUsedMb'),
            quarterMediansMb: quarterMedians(warm, 'heapUsedMb'),
        },
        samples: samples.map((s) => [
            Number(s.sec.toFixed(1)),
            s.settled,
            Number(s.rssMb.toFixed(1)),
            Number(s.heapUsedMb.toFixed(1)),
        ]),
        sampleColumns: ['sec', 'settled', 'rssMb', 'heapUsedMb'],
    };
}
/**
 * Medians of `key` over each quarter of the samples after the warm-up: robust to the GC's sawtooth
 * and to one early peak, which pull the slope around on a short run.
 */
export function quarterMedians(samples, key) {
    if (samples.length < 4)
        return [];
    return [0, 1, 2, 3].map((q) => {
        const xs = samples
            .slice(Math.floor((q * samples.length) / 4), Math.floor(((q + 1) * samples.length) / 4))
            .map((s) => s[key])
            .sort((a, b) => a - b);
        return xs[Math.floor((xs.length - 1) / 2)];
    });
}
/** Least-squares slope of `key` against jobs settled, in MB per 100,000 jobs (undefined with fewer than 3 samples). */
export function slope(samples, key) {
    if (samples.length < 3)
        return undefined;
    const n = samples.length;
    const mx = samples.reduce((a, s) => a + s.settled, 0) / n;
    const my = samples.reduce((a, s) => a + s[key], 0) / n;
    let num = 0;
    let den = 0;
    for (const s of samples) {
        num += (s.settled - mx) * (s[key] - my);
        den += (s.settled - mx) ** 2;
    }
    return den === 0 ? undefined : (num / den) * 100_000;
}
//# sourceMappingURL=p8Flat.js.map