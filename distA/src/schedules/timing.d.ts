export type Timing = {
    readonly kind: 'cron';
    readonly cron: string;
    readonly timezone: string;
} | {
    readonly kind: 'every';
    readonly every: string;
    readonly everyMs: number;
    readonly timezone: string;
};
export interface TimingProblem {
    /** The field at fault, as a JSON Pointer into the request (`/cron`, `/every`, `/timezone`). */
    readonly pointer: string;
    readonly message: string;
}
export declare const MIN_EVERY_MS = 1000;
/** Ten years: a duration longer than that is surely a typo, and keeps the arithmetic far from overflow. */
export declare const MAX_EVERY_MS: number;
/** Missed slots counted one by one at most, per catch-up (the rest are counted in one sum for `every`, or not at all for cron). */
export declare const MAX_COUNTED_SLOTS = 1000;
/** `PT30S` → 30000; undefined for anything else (years, months, commas, empty parts). */
export declare function parseEvery(text: string): number | undefined;
export declare function isTimeZone(name: string): boolean;
/**
 * Reads the timing fields of a schedule, or names every one that is wrong: both or neither of
 * `cron` and `every`, a pattern croner refuses or that never fires, a duration below a second or
 * not of fixed length, an unknown time zone.
 */
export declare function readTiming(input: {
    cron?: string | null;
    every?: string | null;
    timezone?: string | null;
}): {
    timing: Timing;
} | {
    problems: TimingProblem[];
};
/** The first slot strictly after `after`; null when the pattern never fires again. */
export declare function nextSlot(timing: Timing, after: Date): Date | null;
/** The next `count` slots strictly after `after`. */
export declare function nextSlots(timing: Timing, after: Date, count: number): Date[];
export interface DueSlots {
    /** The latest due slots (at most `keep`), oldest first. */
    readonly latest: Date[];
    /** How many slots fall in [from, now]; a lower bound when `capped`. */
    readonly count: number;
    readonly capped: boolean;
    /** The first slot after `now`: the schedule's next `next_run_at`. */
    readonly next: Date | null;
}
/**
 * The slots in [from, now] (`from` is the schedule's `next_run_at`, itself a slot), keeping the
 * latest `keep`. For a cron pattern they are enumerated up to `MAX_COUNTED_SLOTS`; past that the
 * latest are read backwards from `now` and the count is a lower bound.
 */
export declare function dueSlots(timing: Timing, from: Date, now: Date, keep: number): DueSlots;
