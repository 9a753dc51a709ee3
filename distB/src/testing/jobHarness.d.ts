/**
 * A harness for the people who write jobs (`import { testJob } from 'job-runner/testing'`), after
 * River's `rivertest`: it runs one job definition with the runner's own job context — the same
 * `JobExecution` the service uses, so `signal`, `saveCheckpoint`, `flush`, `progress` and `log`
 * behave as in production — but with no server and no database. The test aborts the run with a
 * reason, and reads every checkpoint, progress report and log line, and the outcome the runner would
 * write: succeeded, interrupted (back to the queue with its checkpoint), cancelled, retry (after a
 * delay) or failed.
 *
 * @example
 * const run = testJob(count, { payload: { to: 100, stepMs: 1 } })
 * await run.untilCheckpoint(3)
 * run.abort('shutdown')
 * const { state, checkpoint } = await run.outcome // 'interrupted', { cursor: 2, runs: 1 }
 * const again = await testJob(count, { payload: { to: 100, stepMs: 1 }, checkpoint }).outcome
 *
 * A type's `checkpointSchema` holds here as in the service (`saveCheckpoint` throws for a checkpoint
 * that fails it), and so do `checkpointVersion` and `migrateCheckpoint`: give `checkpointVersion`
 * with an earlier `checkpoint` to see what a run after a deploy resumes from (`run.resumedFrom`).
 */
import type { AbortReason, JobDefinition } from '../../jobs/defineJob.js';
import { type PayloadProblem } from '../../jobs/registry.js';
import type { JobProgress } from '../queue/job.js';
export interface TestJobOptions<Payload, Checkpoint> {
    readonly payload: Payload;
    /** The state an earlier run saved: the run starts from it, as a resumed job does. */
    readonly checkpoint?: Checkpoint;
    /**
     * The version of the job type's checkpoint shape `checkpoint` was saved in (default: the type's
     * `checkpointVersion`). Another version goes through the type's `migrateCheckpoint`, or the run
     * starts fresh with a warning in `logs`, as in the service.
     */
    readonly checkpointVersion?: number;
    /** The attempt this run is (default 1): retry policies and `maxAttempts` read it. */
    readonly attempt?: number;
    /** Default: the job type's `defaults.timeoutSeconds`. */
    readonly timeoutSeconds?: number | null;
    readonly jobId?: string;
    /** The job's `concurrencyKey`, as `ctx.job` shows it (default none). */
    readonly concurrencyKey?: string;
    /** Checks the payload against the job's `payloadSchema` first, as an enqueue would (default true). */
    readonly validatePayload?: boolean;
    /** The service's `RETRY_BASE_MS` for a job without its own backoff (default 1000). */
    readonly retryBaseMs?: number;
}
/** What the runner would write for this run. */
export type TestJobOutcome<Checkpoint, Result> = {
    readonly state: 'succeeded';
    readonly result: Result;
    readonly checkpoint: Checkpoint | undefined;
}
/** Stopped on a `shutdown` token: back to the queue with its checkpoint, the attempt refunded. */
 | {
    readonly state: 'interrupted';
    readonly error: Error;
    readonly checkpoint: Checkpoint | undefined;
} | {
    readonly state: 'cancelled';
    readonly error: Error;
    readonly checkpoint: Checkpoint | undefined;
}
/** A failed attempt with attempts left: queued again after `retryDelayMs`. */
 | {
    readonly state: 'retry';
    readonly error: Error;
    readonly retryDelayMs: number;
    readonly checkpoint: Checkpoint | undefined;
} | {
    readonly state: 'failed';
    readonly error: Error;
    readonly checkpoint: Checkpoint | undefined;
};
/** A log line the job wrote through `ctx.log`, as pino made it. */
export interface TestLogLine {
    readonly level: 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'fatal';
    readonly msg: string | undefined;
    readonly [field: string]: unknown;
}
/** A payload the job's schema refuses: the 422 an enqueue would answer. */
export declare class InvalidPayloadError extends Error {
    readonly job: string;
    readonly problems: readonly PayloadProblem[];
    name: string;
    constructor(job: string, problems: readonly PayloadProblem[]);
}
export declare class TestJobRun<Checkpoint, Result> {
    #private;
    /** Every state passed to `saveCheckpoint`, in order. */
    readonly checkpoints: Checkpoint[];
    /** Every `progress` report, in order. */
    readonly progress: JobProgress[];
    readonly logs: TestLogLine[];
    /** The checkpoint as each `flush()` wrote it. */
    readonly flushes: (Checkpoint | undefined)[];
    /** Resolves with what the runner would write; never rejects for the job's own errors. */
    readonly outcome: Promise<TestJobOutcome<Checkpoint, Result>>;
    constructor(definition: JobDefinition<unknown, unknown, unknown>, options: TestJobOptions<unknown, Checkpoint>);
    /** Fires the job's token with `reason`, as a SIGTERM (`shutdown`), a cancel or a timeout would. */
    abort(reason: AbortReason): void;
    /** The checkpoint the run started from: the one given, migrated, or undefined for a fresh start. */
    get resumedFrom(): Checkpoint | undefined;
    /** The checkpoint saved last, or the one the run started from. */
    get checkpoint(): Checkpoint | undefined;
    /** Resolves once the job has saved `count` checkpoints (the moment to abort it mid-way). */
    untilCheckpoint(count?: number): Promise<void>;
    private decide;
}
/**
 * Runs `definition` once with `options.payload`; see `TestJobRun` for what to read. Throws
 * `InvalidPayloadError` at once for a payload the job's schema refuses.
 */
export declare function testJob<Payload, Checkpoint, Result>(definition: JobDefinition<Payload, Checkpoint, Result>, options: TestJobOptions<Payload, Checkpoint>): TestJobRun<Checkpoint, Result>;
