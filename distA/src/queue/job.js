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
export const JOB_STATES = ['queued', 'running', 'paused', 'succeeded', 'failed', 'cancelled', 'expired'];
/** `expired`: not started by its `expiresAt` (the `expire` row of the transition table). */
export const FINISHED_STATES = ['succeeded', 'failed', 'cancelled', 'expired'];
/**
 * Why a queued job is not running yet, most pressing first: the order of this list is the order
 * in which the reasons are checked (a job that no instance serves says so even while scheduled,
 * since it would not run when due either; a paused one says so before its `runAt`, which a resume
 * does not move; `concurrency` is checked last, as a job not yet due does not wait for a place).
 * `rate-limit` when its type's rate limit allows no start yet.
 */
export const WAIT_REASONS = ['no-instance', 'paused', 'scheduled', 'concurrency', 'rate-limit'];
/** Bounds of the error history: entries kept, and UTF-8 bytes per message and per stack. */
export const MAX_ERROR_HISTORY = 20;
export const MAX_ERROR_MESSAGE_BYTES = 4096;
export const MAX_ERROR_STACK_BYTES = 8192;
/**
 * The largest checkpoint an operator may store (`PUT /v1/jobs/{id}/checkpoint`), in bytes of its
 * JSON text; a larger one is refused with 422. A checkpoint a job writes is not held to it (that
 * would cost a serialisation at every `saveCheckpoint`); a history entry keeps at most 100 KiB of one
 * (src/queue/checkpointStore.ts).
 */
export const MAX_CHECKPOINT_BYTES = 256 * 1024;
/** Longest concurrency key, in UTF-8 bytes (the column's check, migration 016). */
export const MAX_CONCURRENCY_KEY_BYTES = 256;
export function toJob(row) {
    return {
        id: String(row.id),
        owner: row.owner,
        type: row.type,
        queue: row.queue,
        state: row.state,
        payload: row.payload,
        priority: row.priority,
        attempts: row.attempts,
        maxAttempts: row.max_attempts,
        timeoutSeconds: row.timeout_seconds,
        runAt: iso(row.run_at),
        createdAt: iso(row.created_at),
        startedAt: row.started_at && iso(row.started_at),
        finishedAt: row.finished_at && iso(row.finished_at),
        cancelRequested: row.cancel_requested,
        cancelRequestedAt: row.cancel_requested_at ? iso(row.cancel_requested_at) : null,
        cancelAcknowledgedAt: row.cancel_acknowledged_at ? iso(row.cancel_acknowledged_at) : null,
        pauseRequested: row.pause_requested ?? false,
        checkpoint: row.checkpoint,
        checkpointVersion: row.checkpoint_version ?? 1,
        progress: row.progress,
        result: row.result,
        error: row.error,
        interruptions: row.interruptions,
        maxInterruptions: row.max_interruptions,
        waitReason: null,
        retries: row.retries,
        replayOf: row.replay_of === null ? null : String(row.replay_of),
        errors: row.errors,
        concurrencyKey: row.concurrency_key ?? null,
        expiresAt: row.expires_at ? iso(row.expires_at) : null,
    };
}
/**
 * A `to_char` format that writes a timestamptz (at time zone UTC) exactly as
 * `Date.prototype.toISOString` does, milliseconds truncated. Hot statements (the claim, the
 * group-commit insert) return their timestamps this way: a claim carries hundreds of rows, and
 * parsing their timestamps into Dates only to turn them back into strings was a large share of the
 * CPU of a runner draining no-op jobs.
 */
export const ISO_TIMESTAMP = 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"';
/** A timestamp as the API shows it; one already formatted with `ISO_TIMESTAMP` is used as it is. */
function iso(timestamp) {
    return typeof timestamp === 'string' ? timestamp : timestamp.toISOString();
}
//# sourceMappingURL=job.js.map