import type { Logger } from 'pino';
import type { CancelledJob } from '../queue/jobService.js';
import type { OwnedJob } from '../queue/job.js';
import { TypedEmitter } from '../runner/events.js';
import type { WorkedBulkAction } from './bulkAction.js';
import type { BulkActionStore } from './bulkActionStore.js';
export interface BulkActionWorkerConfig {
    /** This instance: the lease owner of the actions it works. */
    instanceId: string;
    /** An action whose worker vanished is carried on by another instance once this expires. */
    leaseMs: number;
    /** Jobs per batch, each batch one transaction (default 500). */
    batchSize?: number;
    /** How often to look for actions with nothing to wake it (default 1 s). */
    pollIntervalMs?: number;
    /** The pause after a failed batch or look-up (default 1 s). */
    errorPauseMs?: number;
}
export interface BulkActionWorkerDependencies {
    store: Pick<BulkActionStore, 'claimBulkAction' | 'workBatch' | 'releaseBulkAction'>;
    /** Announces what a batch moved: `JobService`'s own announcements of a retry and a cancel. */
    announce: {
        announceRetries(jobs: readonly Pick<OwnedJob, 'id' | 'queue'>[]): Promise<void>;
        announceCancels(jobs: readonly CancelledJob[]): Promise<void>;
    };
    log: Logger;
    /** The lifecycle's answer to "may I take work now?". */
    mayWork?: () => boolean;
}
export interface BulkActionWorkerEvents {
    /** A batch committed: the action as it now stands. */
    'bulk:batch': {
        action: WorkedBulkAction;
        moved: number;
    };
    'bulk:completed': {
        action: WorkedBulkAction;
    };
}
export declare const DEFAULT_BULK_BATCH_SIZE = 500;
export declare class BulkActionWorker {
    private readonly config;
    private readonly deps;
    readonly events: TypedEmitter<BulkActionWorkerEvents>;
    private run;
    constructor(config: BulkActionWorkerConfig, deps: BulkActionWorkerDependencies);
    /** Starts a new run unless one is working. */
    start(): void;
    /** Stops the run: the batch under way finishes, the lease is given back. Safe to call twice. */
    stop(): Promise<void>;
    /** Looks for actions now (one was just created here). */
    wake(): void;
}
