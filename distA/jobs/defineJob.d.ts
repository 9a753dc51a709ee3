/**
 * What a job file exports: `export default defineJob({...})`. The runner gives `run` a context with
 * a cooperative cancellation token whose `reason` says why it fired, and a cheap in-memory
 * checkpoint that the runner writes for it: periodically, on error, on interruption and at shutdown.
 *
 * @example
 * export default defineJob({
 *   name: 'resize',
 *   payloadSchema: { type: 'object', properties: { url: { type: 'string' } }, required: ['url'] },
 *   async run({ payload, signal }) { ... },
 * })
 */
import type { Logger } from 'pino';
import type { Json } from '../src/queue/job.js';
export { PermanentError, RetryAfterError } from './errors.js';
/**
 * Why a job's token fired: a SIGTERM or drain, a cancel request, the job's own timeout, a pause (of
 * its queue or type with `mode: "checkpoint"`, or of the job itself: it goes back to the queue, or
 * to `paused`, attempt refunded, and runs again from its checkpoint once resumed), or the end of its
 * time slice (`yield`: its type's `maxSliceSeconds`; it goes back to the queue behind the jobs that
 * waited, attempt refunded). For every reason but `timeout`, save the checkpoint and return or throw.
 */
export type AbortReason = 'shutdown' | 'cancelled' | 'timeout' | 'paused' | 'yield';
export interface JobContext<Payload = Json, Checkpoint = Json> {
    readonly jobId: string;
    readonly payload: Payload;
    /** 1 on the first attempt; interruptions by a shutdown do not count. */
    readonly attempt: number;
    /** Fires with `signal.reason` set to an `AbortReason`. Check it between steps. */
    readonly signal: AbortSignal;
    /** The state saved by an earlier run (before an interruption or a failed attempt), if any. */
    readonly checkpoint: Checkpoint | undefined;
    /** Remembers `state` in memory; the runner writes it for you. Cheap: call it at every step. */
    saveCheckpoint(state: Checkpoint): void;
    /** Writes the checkpoint and progress now, for state too precious to wait for the next flush. */
    flush(): Promise<void>;
    /** Reports progress from 0 to 1, shown in the job's status. */
    progress(fraction: number, message?: string): void;
    readonly log: Logger;
}
export interface JobDefaults {
    readonly maxAttempts: number;
    /**
     * Interruptions (a shutdown, a drain, a crash of another job) that give the attempt back; the next
     * one fails the job, so that nothing is refunded forever.
     */
    readonly maxInterruptions: number;
    /** No timeout when null. */
    readonly timeoutSeconds: number | null;
    readonly queue: string;
    /**
     * Backoff between failed attempts; a field left out takes the service's default (`RETRY_BASE_MS`
     * for `baseMs`, one hour for `maxMs`, `factor` 2, `jitter` 0.5: half the delay random).
     */
    readonly retry?: Partial<RetryBackoff>;
}
export interface RetryBackoff {
    readonly baseMs: number;
    readonly maxMs: number;
    readonly factor: number;
    /** The share of each delay that is random, from 0 to 1. */
    readonly jitter: number;
}
/**
 * The delay before the next attempt after failed attempt number `attempt`, in milliseconds, or null
 * to give up now (the job fails). Used instead of `defaults.retry`.
 */
export type RetryDelay = (attempt: number, error: Error) => number | null;
/**
 * A schedule declared in code (like graphile-worker's crontab or Solid Queue's recurring.yml):
 * upserted at start-up, deleted from the database at the first start whose code no longer declares
 * it. Its jobs are of this job type and belong to the owner `system` (an admin token sees them).
 * Give `cron` (five fields, or six with seconds first) or `every` (an ISO 8601 duration, at least
 * PT1S); `timezone` is an IANA name (default UTC). The payload is checked against `payloadSchema`
 * when the job files load.
 *
 * @example
 * schedules: [{ id: 'nightly-report', cron: '30 2 * * *', timezone: 'Europe/Berlin', payload: { full: true } }]
 */
export interface DeclaredSchedule<Payload = Json> {
    readonly id: string;
    readonly cron?: string;
    readonly every?: string;
    readonly timezone?: string;
    readonly payload?: Payload;
    readonly queue?: string;
    readonly priority?: number;
    readonly maxAttempts?: number;
    readonly timeoutSeconds?: number;
    /** Given to every slot's job (see `ConcurrencyLimits`). */
    readonly concurrencyKey?: string;
    /** What a slot does while the previous job still runs (default `allow`). */
    readonly overlap?: 'allow' | 'skip' | 'cancel-previous';
    /** Slots missed while every instance was down that are still enqueued (default none). */
    readonly backfill?: {
        readonly maxSlots: number;
    } | null;
    /** Declared paused; a pause or resume made over HTTP afterwards survives restarts. */
    readonly paused?: boolean;
}
/**
 * Limits on how many jobs of a type run at once across every instance: `perKey` jobs of one
 * `concurrencyKey` (a job enqueued without a key is not held to it), `total` of the type. Each a
 * positive integer; leave one out for no limit. Enforced inside the claim (src/queue/limitedClaim.ts).
 *
 * @example
 * concurrency: { perKey: 1, total: 5 } // one job per tenant at a time, five in all
 */
export interface ConcurrencyLimits {
    readonly perKey?: number;
    readonly total?: number;
}
/**
 * How often jobs of a type may start, across every instance: `limit` starts per `periodMs`, spread
 * evenly (one every `periodMs / limit`), with up to `burst` (default 1) at once after a quiet spell.
 * Jobs over the limit wait in the queue (`waitReason: "rate-limit"`); none is dropped or failed.
 * With `key: true` the limit holds for each `concurrencyKey` apart (jobs without a key share one).
 *
 * @example
 * rateLimit: { limit: 10, periodMs: 1000 } // ten starts a second, one every 100 ms
 * rateLimit: { limit: 1, periodMs: 1000, key: true } // one start a second per tenant
 */
export interface RateLimit {
    readonly limit: number;
    readonly periodMs: number;
    readonly burst?: number;
    readonly key?: boolean;
}
export interface JobDefinition<Payload = Json, Checkpoint = Json, Result = Json> {
    readonly name: string;
    /** Starts per period across every instance (see `RateLimit`); none when absent. */
    readonly rateLimit?: RateLimit;
    /** Limits across every instance (see `ConcurrencyLimits`); none when absent. */
    readonly concurrency?: ConcurrencyLimits;
    /**
     * Time slicing: a run that lasts this many seconds has its token aborted with reason `yield` and,
     * once it stops, goes back to the queue behind the jobs that waited, from its checkpoint, without
     * using an attempt; long jobs take turns instead of holding slots for hours. None when absent.
     */
    readonly maxSliceSeconds?: number;
    /** Recurring jobs of this type (see `DeclaredSchedule`); none when absent. */
    readonly schedules?: readonly DeclaredSchedule<Payload>[];
    /** JSON Schema (draft 2020-12 subset that Ajv supports) the payload must satisfy before it is stored. */
    readonly payloadSchema: Readonly<Record<string, unknown>>;
    /**
     * JSON Schema of what `run` resolves with (the job's `result`), when declared: shown by
     * `GET /v1/job-types` and turned into the caller's result types by `job-runner types`. The runner
     * does not check results against it (the job's own `Result` type is the check); the registry
     * refuses an invalid schema at start-up.
     */
    readonly resultSchema?: Readonly<Record<string, unknown>>;
    readonly defaults: JobDefaults;
    /**
     * The file that called `defineJob`, read from the stack once. An uncaught exception whose stack
     * runs through it is blamed on this job type's runs (see `Runner.blameCrash`): Node cannot tell
     * which job a timer's callback belonged to without async context tracking, which slows every
     * promise of the process.
     */
    readonly sourceFile: string | undefined;
    readonly retryDelay?: RetryDelay;
    /**
     * JSON Schema (2020-12) every checkpoint of this type must satisfy: one the job saves
     * (`saveCheckpoint` throws otherwise), one an operator stores over HTTP (422 otherwise), and one
     * a run resumes from (a stored checkpoint that fails it is not given to the run: it starts fresh).
     */
    readonly checkpointSchema?: Readonly<Record<string, unknown>>;
    /**
     * The version of this type's checkpoint shape (a positive integer, 1 when absent), stored with
     * every checkpoint. Raise it when a deploy changes the shape: a run that finds a checkpoint of
     * another version passes it through `migrateCheckpoint`, or starts fresh with a warning in the
     * job's log.
     */
    readonly checkpointVersion: number;
    /**
     * Turns a stored checkpoint of an earlier (or later) version `fromVersion` into this version's
     * shape. When it throws, or its answer fails `checkpointSchema`, the run starts fresh with a
     * warning in the job's log: a changed shape never crashes a resumed job.
     */
    readonly migrateCheckpoint?: (old: unknown, fromVersion: number) => Checkpoint | Promise<Checkpoint>;
    run(ctx: JobContext<Payload, Checkpoint>): Promise<Result>;
}
export declare const DEFAULT_JOB_DEFAULTS: JobDefaults;
export declare function defineJob<Payload = Json, Checkpoint = Json, Result = Json>(definition: {
    name: string;
    payloadSchema: Readonly<Record<string, unknown>>;
    resultSchema?: Readonly<Record<string, unknown>>;
    defaults?: Partial<JobDefaults>;
    retryDelay?: RetryDelay;
    schedules?: readonly DeclaredSchedule<Payload>[];
    concurrency?: ConcurrencyLimits;
    rateLimit?: RateLimit;
    checkpointSchema?: Readonly<Record<string, unknown>>;
    checkpointVersion?: number;
    migrateCheckpoint?: (old: unknown, fromVersion: number) => Checkpoint | Promise<Checkpoint>;
    maxSliceSeconds?: number;
    run(ctx: JobContext<Payload, Checkpoint>): Promise<Result>;
}): JobDefinition<Payload, Checkpoint, Result>;
