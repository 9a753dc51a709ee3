/**
 * Deletes finished jobs (succeeded, failed, cancelled) once they are older than the retention, so
 * the table — and the cost of enqueue and claim — does not grow with history. Idempotency keys go
 * with their jobs: a key is honoured for as long as its job is kept.
 *
 * Each run walks the jobs from the oldest in windows of the primary key (`JobStore.pruneFinishedJobs`)
 * until it meets jobs created after the cutoff, then the next run starts from the oldest again: old
 * jobs that are not finished yet (scheduled far ahead, or still running) are passed over and looked
 * at again next time. A run ends early when the runner stops.
 */
import type { Logger } from 'pino';
import type { JobStore } from '../queue/store.js';
export interface FinishedJobPrunerConfig {
    retentionMs: number;
    /** Default: a minute. */
    intervalMs?: number;
    /** Jobs read per statement, so that one statement stays short and holds few locks. */
    window?: number;
}
export interface FinishedJobPrunerDependencies {
    store: JobStore;
    log: Logger;
    onError: (error: Error) => void;
}
export declare class FinishedJobPruner {
    private readonly config;
    private readonly deps;
    private readonly periodic;
    constructor(config: FinishedJobPrunerConfig, deps: FinishedJobPrunerDependencies);
    start(): void;
    stop(): Promise<void>;
    /** One walk from the oldest job to the first recent one, or until `signal` aborts; returns how many jobs it deleted. */
    prune({ signal }?: {
        signal?: AbortSignal;
    }): Promise<number>;
}
