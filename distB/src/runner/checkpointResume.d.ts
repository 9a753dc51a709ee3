/**
 * What a run resumes from when its type's checkpoint shape has moved on (issue 23): the stored
 * checkpoint as it is when its version is the type's `checkpointVersion` and it passes the type's
 * `checkpointSchema`; otherwise what `migrateCheckpoint(old, fromVersion)` makes of it; and when
 * there is no migration, or it throws, or its answer fails the schema, nothing — the run starts
 * fresh, with a warning in the job's log naming why. A deploy that changes the shape must not crash
 * the jobs it resumes, so nothing here throws.
 */
import type { Logger } from 'pino';
import type { JobDefinition } from '../../jobs/defineJob.js';
import type { Json } from '../queue/job.js';
export interface ResumedCheckpoint {
    readonly checkpoint: Json | null;
    readonly version: number;
    /** It differs from the stored one (migrated, or dropped for a fresh start): it is to be written. */
    readonly changed: boolean;
}
type AnyDefinition = JobDefinition<unknown, unknown, unknown>;
/** True when a stored checkpoint must go through `resumeCheckpoint` before the run sees it. */
export declare function needsResumeCheck(definition: AnyDefinition, stored: Json | null, storedVersion: number): boolean;
export declare function resumeCheckpoint(definition: AnyDefinition, stored: Json, storedVersion: number, log: () => Logger): Promise<ResumedCheckpoint>;
/** A checkpoint a job saved that its type's `checkpointSchema` refuses. */
export declare class CheckpointSchemaError extends Error {
    readonly jobType: string;
    name: string;
    constructor(jobType: string, detail: string);
}
/**
 * Throws `CheckpointSchemaError` when `definition` declares a schema that `state` fails. Null (no
 * checkpoint: the next run starts fresh) is always allowed.
 */
export declare function checkSavedCheckpoint(definition: AnyDefinition | undefined, state: unknown): void;
export {};
