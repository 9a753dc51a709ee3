/**
 * Concurrency and rate limits per queue, from the `QUEUE_LIMITS` variable: a JSON object from queue
 * name to the limits a job type declares in `defineJob`, held by every job of the queue whatever its
 * type (src/queue/limitedClaim.ts):
 *
 *   QUEUE_LIMITS='{"emails": {"concurrency": {"perKey": 2, "total": 10}, "rateLimit": {"limit": 10, "periodMs": 1000, "key": true}}}'
 *
 * Every instance serving a queue must be given the same limits: an instance without them claims
 * the queue's jobs as unlimited.
 */
import type { ConcurrencyLimits, RateLimit } from '../../jobs/defineJob.js';
import type { LimitedQueue } from './limitedClaim.js';
export interface QueueLimitsEntry {
    readonly concurrency?: ConcurrencyLimits;
    readonly rateLimit?: RateLimit;
}
/** Parses `QUEUE_LIMITS`; throws an Error naming the queue and the field of the first bad value. */
export declare function parseQueueLimits(raw: string): LimitedQueue[];
