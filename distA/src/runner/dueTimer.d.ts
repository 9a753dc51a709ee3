/**
 * Wakes the claim loop when a job it has heard of becomes due, instead of at its next poll: the
 * `runAt` of a job enqueued for later (here or, over NOTIFY, on another instance), of a retry
 * waiting out its backoff, and of the scheduled jobs found at start-up. It keeps the soonest
 * `maxKnown` due times in order and one timer, for the first of them; times already passed ring at
 * once. A time it forgot (past `maxKnown`) is found by the poll, as before.
 *
 * The claim compares `run_at` with the database's clock, the timer with this process's: an instance
 * whose clock runs behind the database's is woken late by the difference; one whose clock runs
 * ahead claims too early, finds nothing, and falls back to its poll. Keep the clocks synchronised
 * (NTP); the skew is the error of an on-time start.
 */
export interface DueTimerConfig {
    maxKnown?: number;
}
export declare class DueTimer {
    private readonly onDue;
    /** Known due times, soonest first, distinct (milliseconds since the epoch). */
    private dueTimes;
    private timer;
    private armedFor;
    private stopped;
    private readonly maxKnown;
    constructor(onDue: () => void, { maxKnown }?: DueTimerConfig);
    /** Remembers that a job becomes due at `atMs`. */
    note(atMs: number): void;
    stop(): void;
    /** How many due times it holds (tests). */
    get known(): number;
    private arm;
    private fire;
}
