/**
 * How full each job type's and queue's concurrency limits are, cached: a queued job of a limited type
 * or queue that is otherwise ready says `waitReason: "concurrency"` when its key, its type or its
 * queue is at its limit, and `"rate-limit"` when a rate limiter of its own allows no start yet. One
 * read (the limited claim's own count) answers every job read for `freshMs`; only reads showing a
 * queued job of a limited type ask at all.
 */
import { type LimitedQueue, type LimitedType } from '../queue/limitedClaim.js';
import type { JobStore } from '../queue/store.js';
export interface ConcurrencyUsageConfig {
    freshMs?: number;
    /** The queues' limits (`QUEUE_LIMITS`). */
    queueLimits?: readonly LimitedQueue[];
}
/** Places held per type or queue, and per key; when each rate limiter may start again. */
export interface UsageSnapshot {
    /** By `scope\0name`. */
    byScope: ReadonlyMap<string, number>;
    /** By `scope\0name\0key`. */
    byKey: ReadonlyMap<string, number>;
    /** By `scope\0name\0key` ('' for a limiter of the whole type or queue). */
    nextStartMs: ReadonlyMap<string, number>;
    /** When this snapshot was read (milliseconds since the epoch). */
    readAt: number;
}
export declare class ConcurrencyUsage {
    private readonly store;
    private value;
    private readAt;
    private reading;
    private readonly types;
    private readonly queues;
    private readonly freshMs;
    constructor(limits: readonly LimitedType[], store: Pick<JobStore, 'countLimitedRunning' | 'readRateLimits'>, { freshMs, queueLimits }?: ConcurrencyUsageConfig);
    /** Whether jobs of `type` (in `queue`) are held by limits at all. */
    isLimited(type: string, queue?: string): boolean;
    /** The usage, at most `freshMs` old. */
    get(): Promise<UsageSnapshot>;
    /** The limits that hold `job`: its type's and its queue's. */
    private limitsOf;
    /** Whether `job` could not take a place now: its key, its type or its queue is at its limit. */
    atLimit(job: {
        type: string;
        queue?: string;
        concurrencyKey: string | null;
    }, usage: UsageSnapshot): boolean;
    /** Whether `job` waits for a rate limit of its type or queue: the next start it allows is still ahead. */
    atRate(job: {
        type: string;
        queue?: string;
        concurrencyKey?: string | null;
    }, usage: UsageSnapshot, now?: number): boolean;
    private read;
}
