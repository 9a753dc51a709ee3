import type { TestDatabase } from '../support/databases.js';
export interface ScheduleChaosOptions {
    database: TestDatabase;
    durationMs: number;
    processes?: number;
    /** Missed slots still enqueued when an instance gets to the schedule late. */
    backfillMaxSlots?: number;
}
export interface ScheduleChaosReport {
    slots: number;
    restarts: number;
    /** Processes whose log says they fired at least one slot. */
    firingProcesses: number;
    fired: number;
    missed: number;
}
export declare function runScheduleChaos({ database, durationMs, processes, backfillMaxSlots, }: ScheduleChaosOptions): Promise<ScheduleChaosReport>;
