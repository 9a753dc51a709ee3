import type { Runner } from '../src/runner/runner.js';
/** Commits of the current database and the cluster's WAL position, read on a connection of its own. */
export declare function dbCounters(databaseUrl: string): {
    read(): Promise<{
        commits: number;
        walBytes: number;
    }>;
    close(): Promise<void>;
};
export declare function percentile(samples: readonly number[], p: number): number;
export declare function rssMb(): number;
/**
 * Counts a runner's settled jobs until `total` have settled. `drained(capMs)` resolves with false
 * once they have, or with true when `capMs` passed first (the figure is then what settled by the cap).
 */
export declare function settlementCounter(runner: Runner, total: number): {
    counts: {
        settled: number;
        succeeded: number;
    };
    drained: (capMs: number) => Promise<boolean>;
};
/**
 * The whole machine's CPU time so far (every process: the worker, PostgreSQL's backends and
 * background writers), and its idle time, in milliseconds, from /proc/stat (Linux; undefined
 * elsewhere). Nothing else runs during a bench, so the difference over a drain is what the drain
 * cost the machine.
 */
export declare function machineCpuMs(): {
    busyMs: number;
    idleMs: number;
} | undefined;
/**
 * PostgreSQL's CPU time so far on this machine, in milliseconds: every process named `postgres`
 * (backends, writers, autovacuum), and what its exited children spent (the postmaster's
 * cutime/cstime), from /proc (Linux; undefined elsewhere or when no such process is readable).
 */
export declare function postgresCpuMs(): number | undefined;
/** The whole machine's CPU per job between two readings (worker and PostgreSQL together), and the share it was idle. */
export declare function machineCpuPerJob(before: ReturnType<typeof machineCpuMs>, after: ReturnType<typeof machineCpuMs>, jobs: number): {
    machineCpuUsPerJob?: undefined;
    machineIdleShare?: undefined;
} | {
    machineCpuUsPerJob: number;
    machineIdleShare: number;
};
