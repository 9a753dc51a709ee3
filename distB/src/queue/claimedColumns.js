import { ISO_TIMESTAMP } from './job.js';
/**
 * The columns' text, the timestamp format a literal of it (a constant, not a value sent with each
 * claim): the plain claim's statement is written once (src/queue/fairClaim.ts). Keep in step with
 * `ClaimedValues`.
 */
const iso = `'${ISO_TIMESTAMP}'`;
export const CLAIMED_COLUMNS = `j.id, j.owner, j.type, j.queue, j.state, j.payload, j.priority, j.attempts, j.max_attempts, j.timeout_seconds,
    to_char(j.run_at at time zone 'UTC', ${iso}) as run_at,
    to_char(j.created_at at time zone 'UTC', ${iso}) as created_at,
    to_char(j.started_at at time zone 'UTC', ${iso}) as started_at, null as finished_at,
    j.cancel_requested, to_char(j.cancel_requested_at at time zone 'UTC', ${iso}) as cancel_requested_at,
    j.pause_requested, j.checkpoint, j.checkpoint_version, j.progress, j.result, j.error, j.interruptions, j.max_interruptions,
    j.retries, j.replay_of, j.errors, j.traceparent, j.concurrency_key`;
/** The same columns as a fragment of a tagged statement (the limited claim's). */
export function claimedColumns(sql) {
    return sql.unsafe(CLAIMED_COLUMNS);
}
/** The job a claimed row stands for: the same object `toJob` makes of the row, with its trace. */
export function claimedJob(v) {
    return {
        id: String(v[0]),
        owner: v[1],
        type: v[2],
        queue: v[3],
        state: v[4],
        payload: v[5],
        priority: v[6],
        attempts: v[7],
        maxAttempts: v[8],
        timeoutSeconds: v[9],
        runAt: v[10],
        createdAt: v[11],
        startedAt: v[12],
        finishedAt: v[13],
        cancelRequested: v[14],
        cancelRequestedAt: v[15],
        cancelAcknowledgedAt: null,
        pauseRequested: v[16] ?? false,
        checkpoint: v[17],
        checkpointVersion: v[18] ?? 1,
        progress: v[19],
        result: v[20],
        error: v[21],
        interruptions: v[22],
        maxInterruptions: v[23],
        waitReason: null,
        retries: v[24],
        replayOf: v[25] === null ? null : String(v[25]),
        errors: v[26],
        concurrencyKey: v[28] ?? null,
        expiresAt: null,
        traceparent: v[27] ?? null,
    };
}
//# sourceMappingURL=claimedColumns.js.map