/**
 * The answer of `GET /v1/admin/queues`: every known queue with its jobs per state, how many of its
 * queued jobs wait for a future `runAt`, and whether a live instance serves it. Known are the
 * declared queues (job types' defaults, `QUEUES`) and the served ones; queues named only by jobs
 * come after, those with queued or running jobs first, up to `UNDECLARED_QUEUES_SHOWN`, and the
 * rest are summed, so the answer stays bounded whatever queue names clients send.
 */
import { type JobState } from '../queue/job.js';
import type { JobStore } from '../queue/store.js';
import type { ServedQueues } from './servedQueues.js';
export declare const UNDECLARED_QUEUES_SHOWN = 100;
export type StateCounts = Record<JobState, number>;
export interface QueueSummary {
    queue: string;
    declared: boolean;
    served: boolean;
    instances: number;
    /** Paused cluster-wide (src/queue/pauses.ts): no instance claims its jobs. */
    paused: boolean;
    counts: StateCounts;
    scheduled: number;
}
export interface QueueOverview {
    queues: QueueSummary[];
    otherQueues: {
        queues: number;
        counts: StateCounts;
        scheduled: number;
    } | null;
}
export interface QueueOverviewDependencies {
    store: Pick<JobStore, 'countJobsByQueueBounded'>;
    served: Pick<ServedQueues, 'get'>;
    declared: readonly string[];
    /** The queues paused now; a paused queue is listed even when nothing else names it. */
    pausedQueues?: ReadonlySet<string>;
}
export declare function readQueueOverview({ store, served: servedQueues, declared, pausedQueues, }: QueueOverviewDependencies): Promise<QueueOverview>;
