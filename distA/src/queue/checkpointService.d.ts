/**
 * Checkpoints as a resource (issue 23), as the HTTP routes use them: read a job's checkpoint with its
 * entity tag; replace it — checked against the size limit and the job type's `checkpointSchema`,
 * then stored with a compare-and-set on the tag in one statement (src/queue/checkpointStore.ts), in
 * the type's current checkpoint version — and list its history. Like the job service, it knows
 * nothing of HTTP; refusals are domain outcomes and errors that the routes map to problem+json.
 */
import type { JobRegistry } from '../../jobs/registry.js';
import { type CheckpointProblem } from '../validation/checkpointSchema.js';
import type { CheckpointHistoryEntry, ReplaceCheckpointOutcome } from './checkpointStore.js';
import { type Json, type JobState } from './job.js';
import type { Notifier } from './notifier.js';
import type { JobScope, JobStore } from './store.js';
export type CheckpointRead = {
    kind: 'found';
    checkpoint: Json;
    version: number;
    etag: string;
} | {
    kind: 'no-checkpoint';
    state: JobState;
} | {
    kind: 'not-found';
};
/** A checkpoint an operator may not store: null, over the size limit, or refused by the type's schema. */
export declare class InvalidCheckpointError extends Error {
    readonly problems: readonly CheckpointProblem[];
    name: string;
    constructor(message: string, problems?: readonly CheckpointProblem[]);
}
export declare class CheckpointService {
    private readonly store;
    private readonly registry;
    private readonly notifier;
    constructor(store: JobStore, registry: Pick<JobRegistry, 'get'>, notifier: Pick<Notifier, 'announce'>);
    get(scope: JobScope & {
        id: string;
    }): Promise<CheckpointRead>;
    /**
     * Stores `checkpoint` as job `id`'s if its current one still has a tag of `ifMatch`. Throws
     * `InvalidCheckpointError` before any write for a checkpoint the job could not resume from.
     */
    replace(scope: JobScope & {
        id: string;
    }, { checkpoint, ifMatch }: {
        checkpoint: Json;
        ifMatch: readonly string[] | '*';
    }): Promise<ReplaceCheckpointOutcome & {
        version?: number;
    }>;
    /** The job's last checkpoints, newest first; undefined when the job is not the caller's (a 404). */
    history(scope: JobScope & {
        id: string;
    }): Promise<CheckpointHistoryEntry[] | undefined>;
}
