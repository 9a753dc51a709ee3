/**
 * A job as the store keeps it and as the API shows it. States (DESIGN.md):
 *
 *   queued ──claim──▶ running ──▶ succeeded | failed | cancelled
 *     │  ▲              │
 *     │  │              ├──retry / interruption / yield / lost lease──▶ queued
 *     │  └─resume─ paused ◀──pause (token `paused`, checkpoint written)──┘
 *     └──cancel──▶ cancelled; ──pause──▶ paused
 *
 * The transition table of src/queue/store.ts is the full drawing.
 */
export declare const JOB_STATES: readonly ["queued", "running", "paused", "succeeded", "failed", "cancelled", "expired"];
export type JobState = (typeof JOB_STATES)[number];
/** `expired`: not started by its `expiresAt` (the `expire` row of the transition table). */
export declare const FINISHED_STATES: readonly JobState[];
export type Json = string | number | boolean | null | Json[] | {
    [key: string]: Json;
};
/**
 * Why a queued job is not running yet, most pressing first: the order of this list is the order
 * in which the reasons are checked (a job that no instance serves says so even while scheduled,
 * since it would not run when due either; a paused one says so before its `runAt`, which a resume
 * does not move; `concurrency` is checked last, as a job not yet due does not wait for a place).
 * `rate-limit` when its type's rate limit allows no start yet.
 */
export declare const WAIT_REASONS: readonly ["no-instance", "paused", "scheduled", "concurrency", "rate-limit"];
export type WaitReason = (typeof WAIT_REASONS)[number];
/** One failed attempt in a job's error history (the last `MAX_ERROR_HISTORY` are kept). */
export interface JobError {
    readonly attempt: number;
    readonly at: string;
    readonly message: string;
    readonly name: string;
    readonly stack?: string;
}
/** Bounds of the error history: entries kept, and UTF-8 bytes per message and per stack. */
export declare const MAX_ERROR_HISTORY = 20;
export declare const MAX_ERROR_MESSAGE_BYTES = 4096;
export declare const MAX_ERROR_STACK_BYTES = 8192;
export interface JobProgress {
    readonly fraction: number;
    readonly message?: string;
}
/** The job as the HTTP API and the job context show it. */
export interface Job {
    readonly id: string;
    readonly type: string;
    readonly queue: string;
    readonly state: JobState;
    readonly payload: Json;
    readonly priority: number;
    readonly attempts: number;
    readonly maxAttempts: number;
    readonly timeoutSeconds: number | null;
    readonly runAt: string;
    readonly createdAt: string;
    readonly startedAt: string | null;
    readonly finishedAt: string | null;
    readonly cancelRequested: boolean;
    /** When its cancel was first requested, or null. */
    readonly cancelRequestedAt: string | null;
    /** When the cancel took effect: at once for a queued job, when the run ended (or was abandoned) for a running one. */
    readonly cancelAcknowledgedAt: string | null;
    /** A running job asked to pause: its runner aborts the token with `paused`, then it is `paused`. */
    readonly pauseRequested: boolean;
    readonly checkpoint: Json | null;
    /**
     * The version of its type's checkpoint shape the checkpoint was written in (`defineJob`'s
     * `checkpointVersion`; 1 for a type that declares none).
     */
    readonly checkpointVersion: number;
    readonly progress: JobProgress | null;
    readonly result: Json | null;
    readonly error: string | null;
    readonly interruptions: number;
    /** Interruptions refunded before the next one fails the job. */
    readonly maxInterruptions: number;
    /** Null unless queued. A stored row does not know it (`toJob` leaves it null): src/observability/jobSignals.ts. */
    readonly waitReason: WaitReason | null;
    /** Times a failed or cancelled job was sent back to the queue (`POST /v1/jobs/{id}/retry`). */
    readonly retries: number;
    /** The job this one replays (`POST /v1/jobs/{id}/replay`), or null. */
    readonly replayOf: string | null;
    /** The last failed attempts, oldest first; `error` is the last one's message. */
    readonly errors: readonly JobError[];
    /** The key its type's `concurrency.perKey` limit counts it under (src/queue/limitedClaim.ts), or null. */
    readonly concurrencyKey: string | null;
    /** Not started by then, it is `expired`; null for no deadline. */
    readonly expiresAt: string | null;
}
/**
 * The largest checkpoint an operator may store (`PUT /v1/jobs/{id}/checkpoint`), in bytes of its
 * JSON text; a larger one is refused with 422. A checkpoint a job writes is not held to it (that
 * would cost a serialisation at every `saveCheckpoint`); a history entry keeps at most 100 KiB of one
 * (src/queue/checkpointStore.ts).
 */
export declare const MAX_CHECKPOINT_BYTES: number;
/** Longest concurrency key, in UTF-8 bytes (the column's check, migration 016). */
export declare const MAX_CONCURRENCY_KEY_BYTES = 256;
/** The row as stored; only the store reads it. */
export interface JobRow {
    id: string;
    owner: string;
    type: string;
    queue: string;
    state: JobState;
    payload: Json;
    priority: number;
    attempts: number;
    max_attempts: number;
    timeout_seconds: number | null;
    run_at: Date;
    created_at: Date;
    updated_at: Date;
    started_at: Date | null;
    finished_at: Date | null;
    cancel_requested: boolean;
    cancel_requested_at: Date | null;
    cancel_acknowledged_at: Date | null;
    pause_requested: boolean;
    checkpoint: Json | null;
    checkpoint_version: number;
    progress: JobProgress | null;
    result: Json | null;
    error: string | null;
    interruptions: number;
    max_interruptions: number;
    retries: number;
    replay_of: string | null;
    errors: JobError[];
    concurrency_key: string | null;
    claimed_limited: boolean;
    /** Taken by the limited claim while its queue had limits (migration 027). */
    claimed_under_queue_limit: boolean;
    expires_at: Date | null;
    lease_owner: string | null;
    lease_expires_at: Date | null;
    idempotency_key: string | null;
    request_hash: string | null;
    /** The job's own completion webhook (`{url, events?}`), or null. */
    callback?: JobCallback | null;
    traceparent: string | null;
}
/** A job's own completion webhook, from its enqueue (src/webhooks/). */
export interface JobCallback {
    url: string;
    events?: string[];
}
export interface OwnedJob extends Job {
    readonly owner: string;
}
/** A Date from postgres.js, or text the statement already wrote in `toISOString` form (`ISO_TIMESTAMP`). */
type Timestamp = Date | string;
/** The columns `toJob` reads: a whole row, or the narrower rows hot statements return. */
export type JobFields = Omit<JobRow, 'run_at' | 'created_at' | 'started_at' | 'finished_at' | 'updated_at' | 'lease_owner' | 'lease_expires_at' | 'idempotency_key' | 'request_hash' | 'callback' | 'traceparent' | 'claimed_limited' | 'claimed_under_queue_limit' | 'expires_at' | 'cancel_requested_at' | 'cancel_acknowledged_at' | 'pause_requested'> & {
    expires_at?: Timestamp | null;
    cancel_requested_at?: Timestamp | null;
    cancel_acknowledged_at?: Timestamp | null;
    pause_requested?: boolean;
} & {
    run_at: Timestamp;
    created_at: Timestamp;
    started_at: Timestamp | null;
    finished_at: Timestamp | null;
};
export declare function toJob(row: JobFields): OwnedJob;
/**
 * A `to_char` format that writes a timestamptz (at time zone UTC) exactly as
 * `Date.prototype.toISOString` does, milliseconds truncated. Hot statements (the claim, the
 * group-commit insert) return their timestamps this way: a claim carries hundreds of rows, and
 * parsing their timestamps into Dates only to turn them back into strings was a large share of the
 * CPU of a runner draining no-op jobs.
 */
export declare const ISO_TIMESTAMP = "YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"";
export {};
