import type { TestDatabase } from '../support/databases.js';
export interface ChaosOptions {
    database: TestDatabase;
    /** Number of jobs enqueued (in batches of up to 1000) before the chaos starts. */
    jobs: number;
    /** How long processes are killed and restarted. */
    chaosMs: number;
    processes?: number;
    /** Pause between two kills (random in [min, max]). */
    killEveryMs?: [number, number];
    /** Bound on the wait for every job to settle once the chaos ends. */
    settleTimeoutMs?: number;
    /** Safety seed for reproducibility of the job mix and the kill schedule. */
    seed?: number;
}
export interface ChaosReport {
    jobs: number;
    kills: {
        signal: NodeJS.Signals;
        code: number | null;
        exitSignal: NodeJS.Signals | null;
    }[];
    starts: number;
    interruptedCounts: number;
    /** Jobs still queued or running when the chaos ended (0 means the chaos outlasted the work). */
    pendingAtChaosEnd: number;
    seed: number;
}
export declare function runChaos({ database, jobs, chaosMs, processes, killEveryMs, settleTimeoutMs, seed, }: ChaosOptions): Promise<ChaosReport>;
