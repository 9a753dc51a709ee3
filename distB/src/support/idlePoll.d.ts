import type { Doorbell } from './doorbell.js';
export interface IdlePollOptions {
    pollIntervalMs: number;
    maxIdleMs?: number;
    minSpacingMs?: number;
    /** Ends a spacing pause at once (the loop's stop). */
    signal?: AbortSignal;
}
export declare class IdlePoll {
    private readonly doorbell;
    private readonly options;
    private idleMs;
    private lastLookAt;
    private dueAt;
    private foundWork;
    private readonly maxIdleMs;
    private readonly minSpacingMs;
    constructor(doorbell: Doorbell, options: IdlePollOptions);
    /** Work falls due at `time` (epoch ms): the wait under way, or the next, ends by then. */
    expectWorkAt(time: number): void;
    /** The last look found work: the next wait is the poll interval again. */
    found(): void;
    /** Waits for the next look: the poll interval after a look that found work, longer after each that did not. */
    next(): Promise<void>;
}
