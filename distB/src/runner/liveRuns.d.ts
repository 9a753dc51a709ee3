/**
 * Every run whose code is still executing in this process, whichever runner generation started it.
 * A drain's deadline or an ignored timeout abandons a run (its outcome is written without it), but
 * JavaScript cannot stop a function: it goes on until it returns. This registry keeps two promises
 * across generations:
 *
 * - never two live runs of one job in one process: a job with a live run here is not started again
 *   until that run ends;
 * - a run abandoned at a drain's deadline still holds its slot until it ends (it keeps using the CPU
 *   and memory the slot stood for). A run abandoned past its timeout gives its slot up: the slot is
 *   what the timeout protects.
 */
import type { JobExecution } from './jobExecution.js';
export declare class LiveRuns {
    private readonly runs;
    private held;
    /** Slots held by live runs. */
    get slotsTaken(): number;
    /** Live runs, abandoned ones included. */
    get size(): number;
    has(id: string): boolean;
    add(execution: JobExecution): void;
    /** The run goes on, but no longer holds a slot. */
    releaseSlot(execution: JobExecution): void;
    /** The run's code returned or threw. */
    end(execution: JobExecution): void;
}
