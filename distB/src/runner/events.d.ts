import type { OwnedJob } from '../queue/job.js';
export type JobOutcome = 'succeeded' | 'retry' | 'failed' | 'cancelled' | 'interrupted' | 'paused' | 'yielded' | 'abandoned' | 'lost';
export interface RunnerEvents {
    /** A claim brought `jobs`; `waiting` are now in the local queue (before free slots take theirs). */
    'jobs:claimed': {
        jobs: readonly OwnedJob[];
        waiting: number;
    };
    /** `startedAt`: when its code started, ms since the epoch on this instance's clock. */
    'job:start': {
        job: OwnedJob;
        startedAt: number;
    };
    /**
     * The outcome is written (or, for `abandoned` and `lost`, given up on). `ranMs`: how long its code
     * ran here, from its start to its return (or to its abandonment), the outcome's write not counted;
     * absent for a job that settled without starting here (cancelled or paused while it waited).
     */
    'job:settled': {
        job: OwnedJob;
        outcome: JobOutcome;
        error?: Error;
        ranMs?: number;
    };
    'job:checkpoint': {
        ids: readonly string[];
    };
    /** `forgotten`: of those, the jobs that waited in this instance's local queue under the lost lease. */
    'leases:recovered': {
        ids: readonly string[];
        forgotten: readonly string[];
    };
    /** Queued jobs not started by their `expiresAt`, now `expired` (the expiry sweep). */
    'jobs:expired': {
        jobs: readonly {
            id: string;
            type: string;
            queue: string;
        }[];
    };
    'runner:error': {
        error: Error;
        during: string;
    };
}
export declare class TypedEmitter<Events extends object> {
    private readonly emitter;
    on<K extends keyof Events & string>(event: K, listener: (payload: Events[K]) => void): () => void;
    emit<K extends keyof Events & string>(event: K, payload: Events[K]): void;
    /** Resolves with the first `event` whose payload satisfies `predicate`; register before you cause it. */
    waitFor<K extends keyof Events & string>(event: K, predicate?: (payload: Events[K]) => boolean, { signal }?: {
        signal?: AbortSignal;
    }): Promise<Events[K]>;
}
