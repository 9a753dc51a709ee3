import type { JobDefinition } from './defineJob.js';
import { StartupError } from '../src/startupError.js';
import type { CodeSchedule } from '../src/schedules/store.js';
import type { LimitedType } from '../src/queue/limitedClaim.js';
/**
 * A definition of any job type. Each file types its own payload, checkpoint and result; the
 * registry holds them side by side, and the payload's type is guaranteed at run time by its schema.
 */
export type AnyJobDefinition = JobDefinition<any, any, any>;
export interface PayloadProblem {
    /** JSON Pointer into the payload. */
    readonly pointer: string;
    readonly message: string;
}
/** A job file the service cannot use; `files` are the paths to fix, as an operator would type them. */
export declare class JobFileError extends StartupError {
    readonly files: readonly string[];
    name: string;
    constructor(files: readonly string[], message: string);
}
export interface JobRegistryOptions {
    /** Where each definition came from, by index, so errors can name the file. */
    files?: readonly string[];
}
export declare class JobRegistry {
    private readonly validators;
    private readonly definitions;
    /** The schedules the job types declare (`defineJob({ schedules })`), upserted at start-up. */
    readonly schedules: readonly CodeSchedule[];
    constructor(definitions: readonly AnyJobDefinition[], { files }?: JobRegistryOptions);
    get(name: string): AnyJobDefinition | undefined;
    names(): string[];
    /**
     * The job types with concurrency limits or a rate limit, which only the limited claim takes
     * (src/queue/limitedClaim.ts).
     */
    concurrencyLimits(): LimitedType[];
    /** Problems with `payload` for job `name`, empty when it is valid. Throws for an unknown name. */
    validatePayload(name: string, payload: unknown): PayloadProblem[];
}
export interface LoadJobRegistryOptions {
    /**
     * The source folder `folder` was built from. Its job files must all be in `folder`: a `.mjs`
     * added after the last build would otherwise be silently missing. Defaults to the project's
     * `jobs/` when `folder` is the compiled default (`dist/jobs`).
     */
    sourceFolder?: string;
}
/** Imports every job file of `folder` (this folder by default, in source or compiled form). */
export declare function loadJobRegistry(folder?: string, options?: LoadJobRegistryOptions): Promise<JobRegistry>;
