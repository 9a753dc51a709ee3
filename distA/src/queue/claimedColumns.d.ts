/**
 * What a claim returns of each job it leases: what running the job needs, its timestamps already as
 * text (see ISO_TIMESTAMP). The plain claim (`JobStore.claimJobs`) and the limited one
 * (src/queue/limitedClaim.ts) both return exactly this, so a job reaches the runner the same
 * whichever claim took it.
 *
 * Both claims, a drain's hot statements, read their rows as arrays (`claimedJob`): postgres.js
 * builds a row object one keyed store per column, and past about twenty columns V8 turns such an
 * object into a dictionary, which made a claimed row cost about 5.5 µs of the runner's CPU where
 * 3.3 µs had bought the 21 columns of the claim before (bench/RESULTS.md, issue 16's condition).
 * An array, read into one object literal, costs about as much as the old row did.
 */
import type { PendingQuery, Row, Sql, TransactionSql } from 'postgres';
import type { ClaimedJob } from './store.js';
import type { JobError, JobProgress, JobState, Json } from './job.js';
export declare const CLAIMED_COLUMNS = "j.id, j.owner, j.type, j.queue, j.state, j.payload, j.priority, j.attempts, j.max_attempts, j.timeout_seconds,\n    to_char(j.run_at at time zone 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"') as run_at,\n    to_char(j.created_at at time zone 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"') as created_at,\n    to_char(j.started_at at time zone 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"') as started_at, null as finished_at,\n    j.cancel_requested, to_char(j.cancel_requested_at at time zone 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"') as cancel_requested_at,\n    j.pause_requested, j.checkpoint, j.checkpoint_version, j.progress, j.result, j.error, j.interruptions, j.max_interruptions,\n    j.retries, j.replay_of, j.errors, j.traceparent, j.concurrency_key";
/** The same columns as a fragment of a tagged statement (the limited claim's). */
export declare function claimedColumns(sql: Sql | TransactionSql): PendingQuery<Row[]>;
/** A row of `claimedColumns` as `.values()` returns it: the columns in their order. */
export type ClaimedValues = [
    id: string,
    owner: string,
    type: string,
    queue: string,
    state: JobState,
    payload: Json,
    priority: number,
    attempts: number,
    maxAttempts: number,
    timeoutSeconds: number | null,
    runAt: string,
    createdAt: string,
    startedAt: string | null,
    finishedAt: null,
    cancelRequested: boolean,
    cancelRequestedAt: string | null,
    pauseRequested: boolean,
    checkpoint: Json | null,
    checkpointVersion: number | null,
    progress: JobProgress | null,
    result: Json | null,
    error: string | null,
    interruptions: number,
    maxInterruptions: number,
    retries: number,
    replayOf: string | number | null,
    errors: JobError[],
    traceparent: string | null,
    concurrencyKey: string | null
];
/** The job a claimed row stands for: the same object `toJob` makes of the row, with its trace. */
export declare function claimedJob(v: ClaimedValues): ClaimedJob;
