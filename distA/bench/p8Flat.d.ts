import type { OpenRunner } from './openRunner.js';
export interface Sample {
    sec: number;
    settled: number;
    rssMb: number;
    heapUsedMb: number;
}
export declare function flatMemory({ databaseUrl, jobs, concurrency, timeCapMs, }: {
    databaseUrl: string;
    jobs?: number;
    concurrency?: number;
    timeCapMs?: number;
}, open: OpenRunner): Promise<Record<string, unknown>>;
/**
 * RSS and heapUsed over a run's samples: at the start, after the warm-up (the first tenth of the
 * jobs, at most 50,000: JIT, pools and buffers reach their size), at most and at the end, with the
 * slope per 100,000 jobs and the quarters' medians after the warm-up.
 */
export declare function memorySummary(samples: readonly Sample[], jobs: number): {
    warmupJobs: number;
    rss: {
        startMb: number;
        warmMb: number | undefined;
        maxMb: number;
        maxAfterWarmMb: number | undefined;
        endMb: number;
        slopeMbPer100k: number | undefined;
        quarterMediansMb: number[];
    };
    heapUsed: {
        startMb: number;
        warmMb: number | undefined;
        maxMb: number;
        endMb: number;
        slopeMbPer100k: number | undefined;
        quarterMediansMb: number[];
    };
    samples: number[][];
    sampleColumns: string[];
};
/**
 * Medians of `key` over each quarter of the samples after the warm-up: robust to the GC's sawtooth
 * and to one early peak, which pull the slope around on a short run.
 */
export declare function quarterMedians(samples: readonly Sample[], key: 'rssMb' | 'heapUsedMb'): number[];
/** Least-squares slope of `key` against jobs settled, in MB per 100,000 jobs (undefined with fewer than 3 samples). */
export declare function slope(samples: readonly Sample[], key: 'rssMb' | 'heapUsedMb'): number | undefined;
