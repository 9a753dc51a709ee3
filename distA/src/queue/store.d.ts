/**
 * The job store: every SQL statement of the queue lives here, named after the domain action it
 * performs, taking one params object. Writes that happen to many jobs at once take arrays and run as
 * one statement (rows travel as one JSON document through `jsonb_to_recordset`; lists travel as JSON,
 * or for queue names, which hold no comma, as one comma-separated string — never as array
 * parameters, so connections need not fetch array types: see src/db/connect.ts). Such writes find
 * their rows with `id = any(array(...))`, which the planner answers from the primary key; joined to
 * the rows' document instead, it hash-joins against a scan of the whole table, whose cost then grows
 * with every finished job kept; and no partial index may match their `state = 'running'` fence, or
 * the planner reads every running job from it and tests each against the batch (migration 006).
 * Writes by a runner are fenced by the claim they were made under: `lease_owner` and the attempt the
 * claim counted (`fenced`). An instance that lost a lease can never overwrite the outcome of the
 * claim that recovered the job, another instance's or its own: a run whose outcome write waited out
 * an outage longer than the lease must not land on the claim this same instance made afterwards
 * (the claim would then run the job again after that outcome: seen in the database-fault test).
 *
 * The job's life is this transition table; each row is one statement below, with its attempt rule.
 * `attempts` counts runs an instance claimed to run (counted before any of their code runs);
 * `interruptions` counts runs stopped from outside.
 *
 *                ┌──────── release (its code never ran: refunded) ◀─────┐
 *                │ ┌────── interrupt, pause, yield (refunded) ◀─────────┤
 *                │ │ ┌──── fail, abandon, lease expired (counted) ◀─────┤
 *                ▼ ▼ ▼                                                  │
 *   enqueue ──▶ queued ──claim (+1 attempt, before any code runs)──▶ running ──complete──▶ succeeded
 *                │  ▲                                                   │
 *                │  └─resume── paused ◀──pause (pause_requested: refunded)┤
 *                │               ▲   ╲                                  ├──cancel running──▶ cancelled
 *                ├──pause job────┘    ╲──cancel queued──▶ cancelled      │
 *                │    fail, abandon, lease expired on the last attempt; interrupt past the cap ──▶ failed
 *                ├──cancel queued──▶ cancelled                 (fail: also when the job's retry policy gives up)
 *                └──expire (not started by expires_at)──▶ expired
 *
 *   failed | cancelled ──retry (by hand: POST /v1/jobs/{id}/retry, or a bulk action)──▶ queued
 *   replace (enqueue with `replace: true`): the key's job takes the `cancel queued` row, the new one the
 *   `enqueue` row, in one transaction
 *
 *   row              statement                from → to                      attempts      interruptions
 *   enqueue          enqueueJobs              – → queued                     0             0
 *   claim            claimJobs                queued → running (leased)      +1, before the code runs (started_at set)
 *                    claimLimitedJobs                                                            (types with concurrency limits:
 *                                                                                                 within them, src/queue/limitedClaim.ts;
 *                                                                                                 claimJobs also takes jobs due within
 *                                                                                                 the runner's lookahead: started_at is
 *                                                                                                 then their run_at, and the runner holds
 *                                                                                                 them until it)
 *   release          releaseJobs              running → queued               −1            –   (the runner vouches the code never ran)
 *   complete         completeJobs             running → succeeded            –             –
 *   fail             failJobs                 running → queued | failed      –             –   (failed when attempts reach maxAttempts
 *                                                                                               or the job's retry policy gives up)
 *   interrupt        requeueInterruptedJobs   running → queued | failed      −1            +1  (failed once past maxInterruptions)
 *   abandon          abandonJobs              running → queued | failed      –             +1  (ignored its token until the deadline)
 *   pause            requeuePausedJobs        running → queued | paused      −1            –   (stopped by a `checkpoint` pause: not an
 *                                                                                               interruption; keeps its place in line;
 *                                                                                               `paused` when the job itself was asked
 *                                                                                               to pause, `cancelled` when a cancel
 *                                                                                               came after the token fired)
 *   yield            requeueYieldedJobs       running → queued | paused      −1            –   (its type's maxSliceSeconds reached: run_at
 *                                                                                               now, behind the jobs that waited)
 *   pause job        requestPause             queued → paused                –             –   (a running job is only flagged,
 *                                                                                               pause_requested: its runner ends it
 *                                                                                               by the pause row)
 *   resume           resumeJob                paused → queued                –             –   (keeps its place in line; a running
 *                                                                                               job's pause_requested is withdrawn)
 *   cancel running   markJobsCancelled        running → cancelled            −1 if it never ran
 *   cancel queued    requestCancel            queued | paused → cancelled    –             –   (a running job is only flagged:
 *                    requestCancels                                                              its runner ends it by cancel running)
 *   replace          replaceJob               the key's job as cancel queued; – → queued (the key moves to the new job)
 *   lease expired    recoverExpiredLeases     running → queued | failed      – (the claim's attempt stays used)
 *   expire           expireJobs               queued → expired               –             –   (not started by its expires_at; the
 *                                                                                               claims skip it, the sweep marks it)
 *   retry            retryJob                 failed | cancelled → queued    0             0   (retries +1; checkpoint kept or cleared)
 *                    retryJobs
 *
 * Not a transition: `replaceCheckpoint` (an operator's `PUT /v1/jobs/{id}/checkpoint`) writes the
 * checkpoint of a job whose code is not running (queued, paused, failed or cancelled) with a
 * compare-and-set on its entity tag and leaves its state, attempts and interruptions as they are;
 * a failed or cancelled job then goes through `retry` as any other and resumes from it.
 *
 * `requestCancels` and `retryJobs` are the batched forms of their rows, for bulk actions
 * (src/bulk/): the same write (`cancelWrite`, `retryWrite`) and the same states, on a list of ids
 * (`moveBatch`), inside the caller's transaction.
 *
 * Every failure written (fail, abandon, a started job's lease expired, interrupt past the cap) also
 * appends an entry to the job's bounded error history, `errors` (`appendError`).
 *
 * `JOB_TRANSITIONS` names the rows; test/queue/transitions.test.ts checks each one on both databases.
 */
import type { Sql, TransactionSql } from 'postgres';
import { type JobCallback, type JobFields, type Json, type JobProgress, type JobState, type OwnedJob } from './job.js';
import { type JobLogLine, type NewJobLogLine, type StreamedJobLogLine } from './jobLogStore.js';
import { type CheckpointHistoryEntry, type ReplaceCheckpointOutcome, type ReplaceCheckpointParams, type StoredCheckpoint } from './checkpointStore.js';
import { countLimitedRunning, readRateLimits, type LimitedClaimParams } from './limitedClaim.js';
export interface NewJob {
    type: string;
    queue: string;
    payload: Json;
    priority: number;
    maxAttempts: number;
    /** Interruptions refunded before the next one fails the job. */
    maxInterruptions: number;
    timeoutSeconds: number | null;
    runAt: Date | null;
    idempotencyKey: string | null;
    /** A hash of the request that created the job; a replay with the same key must match it. */
    requestHash: string | null;
    /** Its own completion webhook (src/webhooks/), or null. */
    callback?: JobCallback | null;
    /** The W3C traceparent of the enqueue (src/observability/traceparent.ts), if it had one. */
    traceparent?: string | null;
    /** At most 256 UTF-8 bytes (the caller checks); null or absent for none. */
    concurrencyKey?: string | null;
    /** Not started by then, it expires (the `expire` row); null or absent for no deadline. */
    expiresAt?: Date | null;
}
/** A job as a claim hands it to the runner: with the trace its runs join. */
export type ClaimedJob = OwnedJob & {
    readonly traceparent: string | null;
};
export interface EnqueuedJob {
    job: OwnedJob;
    /** True when the idempotency key matched an existing job with the same request. */
    replayed: boolean;
}
export declare class IdempotencyConflictError extends Error {
    readonly idempotencyKey: string;
    name: string;
    constructor(idempotencyKey: string);
}
/** `owner: undefined` means an admin, who sees every owner's jobs. */
export interface JobScope {
    owner: string | undefined;
}
export interface ListJobsParams extends JobScope {
    state?: JobState;
    type?: string;
    queue?: string;
    limit: number;
    /** Keyset cursor: only jobs with a smaller id (the list is newest first). */
    beforeId?: string;
    /** Only queued jobs whose `run_at` is in the future (scheduled, or a retry waiting out its backoff). */
    scheduled?: true;
}
/** The claim a runner write is made under: the job, and the attempt its claim counted (the fence). */
export interface ClaimRef {
    id: string;
    attempt: number;
}
/** The claim a claimed job's writes are made under: its `attempts` as its claim counted them. */
export declare function claimOf(job: {
    readonly id: string;
    readonly attempts: number;
}): ClaimRef;
export interface JobSnapshot extends ClaimRef {
    checkpoint: Json | null;
    /** The version of the type's checkpoint shape `checkpoint` is in; absent: the stored one stays. */
    checkpointVersion?: number;
    progress: JobProgress | null;
}
/** A running job's checkpoint write (`writeCheckpoints`). */
export interface CheckpointWrite extends JobSnapshot {
    /** The checkpoint changed since the last write, so it enters the history (absent: true). */
    changed?: boolean;
}
/**
 * A run that resolved. `unchanged`: the run left its checkpoint and progress as its claim read them,
 * so only its result is sent and the row keeps its own (a drain's completion is then about a third
 * of the JSON to build, send and parse).
 */
export type Completion = (JobSnapshot & {
    result: Json | null;
}) | (ClaimRef & {
    result: Json | null;
    unchanged: true;
});
export interface Cancellation extends JobSnapshot {
    /** False for a job cancelled while it waited in the local queue: it never ran. */
    started: boolean;
}
export interface Failure extends JobSnapshot {
    error: string;
    /** Delay before the retry; ignored when the job has no attempts left. */
    retryDelayMs: number;
    /** The job's retry policy gave up (a `PermanentError`, `retryDelay` answered null): failed now. */
    giveUp: boolean;
    /** The error history's entry for this attempt (its attempt number and time come from the row). */
    entry: FailedAttempt;
}
/** What the runner knows of a failed attempt; bounded with `boundedFailedAttempt`. */
export interface FailedAttempt {
    message: string;
    name: string;
    stack?: string;
}
export interface RetryParams extends JobScope {
    id: string;
    /** `checkpoint` resumes from the last written checkpoint; `start` clears it and the progress. */
    from: 'checkpoint' | 'start';
    /** When it may run again; now when null. */
    runAt: Date | null;
}
export type RetryOutcome = {
    kind: 'retried';
    job: OwnedJob;
} | {
    kind: 'not-retryable';
    job: OwnedJob;
} | {
    kind: 'not-found';
};
/** A batch of a bulk action: the jobs `ids` (the caller's only, unless `owner` is undefined). */
export interface BatchParams extends JobScope {
    ids: readonly string[];
}
/**
 * One job of a batch as the batched statement found it: its state before the write, and whether
 * the row moved it. Ids missing from the answer are not the caller's (or do not exist).
 */
export interface BatchedJob {
    id: string;
    type: string;
    queue: string;
    previousState: JobState;
    moved: boolean;
}
/** What a replay may change; the rest (type, options) is copied from the job it replays. */
export interface ReplayParams extends JobScope {
    id: string;
    payload?: Json;
    queue?: string;
    priority?: number;
    runAt: Date | null;
}
export type CancelOutcome = {
    kind: 'cancelled';
    job: OwnedJob;
} | {
    kind: 'requested';
    job: OwnedJob;
} | {
    kind: 'already-cancelled';
    job: OwnedJob;
} | {
    kind: 'finished';
    job: OwnedJob;
} | {
    kind: 'not-found';
};
export type PauseOutcome = {
    kind: 'paused';
    job: OwnedJob;
} | {
    kind: 'requested';
    job: OwnedJob;
} | {
    kind: 'already-paused';
    job: OwnedJob;
} | {
    kind: 'finished';
    job: OwnedJob;
} | {
    kind: 'not-found';
};
/** `unchanged`: queued, or running with no pause asked: nothing to resume. */
export type ResumeOutcome = {
    kind: 'resumed';
    job: OwnedJob;
} | {
    kind: 'unchanged';
    job: OwnedJob;
} | {
    kind: 'finished';
    job: OwnedJob;
} | {
    kind: 'not-found';
};
/** The new job of a `replace`, and the job that held its key before (with the state it was in). */
export interface ReplacedJob {
    job: OwnedJob;
    replaced: {
        job: OwnedJob;
        previousState: JobState;
    } | null;
}
export interface PruneWindow {
    /** Jobs deleted. */
    pruned: number;
    /** The last id the window read; null when it read none (the end of the table). */
    lastId: string | null;
    /** The window reached jobs created after the cutoff: nothing further on is old enough. */
    reachedRecent: boolean;
}
export interface InstanceInfo {
    id: string;
    hostname: string;
    pid: number;
    queues: readonly string[];
}
/**
 * The row a key-less insert stored for `job`, from what was sent and the columns the database
 * assigned: the rest are the column defaults of migration 001.
 */
export declare function insertedJobRow(owner: string, job: NewJob, { id, run_at, created_at }: {
    id: string;
    run_at: string;
    created_at: string;
}): JobFields;
export interface JobStoreOptions {
    /**
     * Told the jobs whose log lines were just stored, after the write: the service announces them, so
     * that event streams on any instance send the new lines as `log` events (src/events/).
     */
    onJobLogsAppended?: (jobIds: readonly string[]) => void;
    /**
     * Told, after the statement, that an outcome written by this store put webhook deliveries in the
     * outbox: the service wakes its webhook worker. Outcomes that queue none wake nothing (with no
     * webhook configured, a drain's outcome batches used to wake it each time: a poll of the outbox per
     * batch and instance). A store `within` a caller's transaction tells nothing: its deliveries are not
     * visible before the caller commits, and the worker's poll finds them.
     */
    onDeliveriesQueued?: () => void;
}
export declare class JobStore {
    private readonly sql;
    private readonly schemaName;
    private readonly inTransaction;
    private readonly options;
    /** Where the next claim's walk of owners starts, so that successive claims go round them all (src/queue/fairClaim.ts). */
    private ownerCursor;
    /** The last claim with types excepted met a backlog of theirs: the next reads by type (src/queue/fairClaim.ts). */
    private exceptedBacklog;
    /** Every table is named in this schema (src/db/schemaIdentifier.ts). */
    private readonly schema;
    /** `JOB_PROGRESS_CHANNEL` in this schema's names, made once (`notifyProgress` runs per batch of reports). */
    private readonly progressChannel;
    /**
     * `schema`: the database's `schema` (`DATABASE_SCHEMA`). `inTransaction`: this store's statements
     * run in a caller's transaction (`within`).
     */
    constructor(sql: Sql, schemaName: string, inTransaction?: boolean, options?: JobStoreOptions);
    /**
     * The store inside a caller's transaction: a bulk action's batch (src/bulk/bulkActionStore.ts), a
     * schedule's fire, which advances the schedule in the same transaction (src/schedules/store.ts). A
     * transaction's `sql` answers everything the statements use (tagged templates, fragments, `json`);
     * it lacks `begin`, which `enqueueJobs` then does without, and `listen`, which none uses.
     */
    static within(tx: TransactionSql, schema: string): JobStore;
    /** After an outcome statement: tells `onDeliveriesQueued` when its outbox inserted any (the count is on every row). */
    private noteDeliveries;
    /**
     * Inserts jobs in one statement, all or nothing. A reused idempotency key replays its job. Runs in
     * a transaction of its own, or in the caller's (`within`).
     */
    enqueueJobs({ owner, jobs }: {
        owner: string;
        jobs: readonly NewJob[];
    }): Promise<EnqueuedJob[]>;
    private matchReplays;
    getJob({ id, owner }: JobScope & {
        id: string;
    }, sql?: Sql | TransactionSql): Promise<OwnedJob | undefined>;
    /**
     * Jobs by id, every owner's, each with its `version`: the time of its last write to the
     * microsecond, as fixed-width digits (`YYYYMMDDHHMISSUS`, UTC) that sort as they compare. Event
     * streams (src/events/) derive their event ids from it, so a client that reconnects with
     * `Last-Event-ID` is compared with the stored row, not with a buffer in some process's memory.
     */
    getVersionedJobs({ ids }: {
        ids: readonly string[];
    }): Promise<VersionedJob[]>;
    /**
     * The jobs of `owner` (every owner's when undefined) written after `since` (a `version`), oldest
     * write first, at most `limit`: what an event stream of many jobs missed while its client was
     * away. It reads the owner's jobs (an admin's: the table) without an index on the write time:
     * such an index would cost every write of every job, and this runs once per reconnect.
     */
    listJobsWrittenSince({ owner, since, limit, }: JobScope & {
        since: string;
        limit: number;
    }): Promise<VersionedJob[]>;
    /**
     * Newest first; pass the last id of a page as `beforeId` for the next one. An owner's jobs are read
     * through `job_runner_owner_jobs`, in its key order (the database lists every inserted job there:
     * migration 004); an admin's list walks the primary key.
     */
    listJobs({ owner, state, type, queue, limit, beforeId, scheduled }: ListJobsParams): Promise<OwnedJob[]>;
    /**
     * The `claim` row: claims up to `limit` runnable jobs of `queues` for `instanceId` in one statement,
     * and counts their attempt and sets `started_at` in the same write, before any of their code runs.
     * SKIP LOCKED lets many instances claim at once without waiting on each other or taking the same
     * job. A job the runner hands back unrun gets its attempt back (`releaseJobs`); one lost with its
     * instance has spent it (`recoverExpiredLeases`), which is what stops a job that kills or blocks
     * its process from looping. A separate start mark would cost every job a second row version and
     * its batch a commit (bench/RESULTS.md, issue 16), for the one difference of a SIGKILL sparing the
     * attempts of the jobs claimed ahead: about 50 ms of starts (src/runner/localQueue.ts).
     *
     * A job past its start-by deadline (`expires_at`) is skipped, never started (the `expire` row marks
     * it); a null check for the many jobs without one. Job types with limits are left to
     * `claimLimitedJobs` (`exceptTypes`, empty unless some type has limits).
     *
     * The claim commits without waiting for its WAL to reach the disk (`synchronous_commit = off`, for
     * this transaction only): that wait was on the path of every enqueue → start and of every claim in
     * a drain. A claim lost with a crash of PostgreSQL itself leaves its jobs queued as before, so they
     * run again (at least once holds), and the runner that started them cannot write their outcomes:
     * the lease fence refuses it. Any later synchronous commit, such as the first of their outcomes,
     * flushes the claim with it, the WAL being written in order.
     *
     * The claim is fair between owners: each owner with queued jobs gets an equal share of it, so one
     * owner's backlog does not starve another's jobs (src/queue/fairClaim.ts).
     */
    claimJobs({ instanceId, queues, limit, leaseMs, exceptTypes, lookaheadMs, }: {
        instanceId: string;
        queues: readonly string[];
        limit: number;
        leaseMs: number;
        /**
         * Job types this claim leaves alone: those with concurrency limits, which only the limited claim
         * takes (`claimLimitedJobs`), and paused ones. Empty (the usual case) adds nothing to the statement.
         */
        exceptTypes?: readonly string[];
        /** Also claims jobs due within this many milliseconds, to be started at their `runAt` (fairClaim.ts). */
        lookaheadMs?: number;
    }): Promise<ClaimedJob[]>;
    /**
     * The `claim` row for job types with concurrency limits: at most `perKey` jobs of a key and `total`
     * of the type leased at once across every instance (src/queue/limitedClaim.ts). Jobs of types
     * without limits never pass here.
     */
    claimLimitedJobs(params: LimitedClaimParams): Promise<ClaimedJob[]>;
    /** Jobs of each limited type or queue, and key, holding a place now (see `countLimitedRunning`). */
    countLimitedRunning(params: Parameters<typeof countLimitedRunning>[2]): ReturnType<typeof countLimitedRunning>;
    /** Where each rate limiter of these types and queues stands (see `readRateLimits`). */
    readRateLimits(params: Parameters<typeof readRateLimits>[2]): ReturnType<typeof readRateLimits>;
    /**
     * The `release` row: hands claimed jobs whose code never ran back to the queue, where they keep
     * their place in line, with the attempt their claim counted given back (the runner vouches that
     * they never ran). Returns the ids released.
     */
    releaseJobs({ instanceId, claims }: {
        instanceId: string;
        claims: readonly ClaimRef[];
    }): Promise<string[]>;
    /** The `complete` row: the run resolved. */
    completeJobs({ instanceId, completions, }: {
        instanceId: string;
        completions: readonly Completion[];
    }): Promise<string[]>;
    /**
     * The `fail` row: a failed attempt (the run threw, timed out, was abandoned past its timeout, or
     * crashed the process). Back to `queued` after its delay while attempts remain, otherwise `failed`;
     * the attempt was counted when it started.
     */
    failJobs({ instanceId, failures, }: {
        instanceId: string;
        failures: readonly Failure[];
    }): Promise<{
        id: string;
        state: JobState;
    }[]>;
    /**
     * The `interrupt` row: jobs that stopped on their token (a shutdown, a drain, a crash of another
     * job) go back to `queued` with their checkpoint, to run again at once on any instance. The
     * attempt is given back and the interruption counted; one interruption past `max_interruptions`
     * fails the job instead, so that no job is refunded forever.
     */
    requeueInterruptedJobs({ instanceId, jobs, }: {
        instanceId: string;
        jobs: readonly JobSnapshot[];
    }): Promise<{
        id: string;
        state: JobState;
    }[]>;
    /**
     * The `pause` row: jobs that stopped on their token because their queue or type was paused with
     * `checkpoint` (src/queue/pauses.ts) go back to `queued` with their checkpoint, the attempt given
     * back. A pause is the operator's choice, not the job's trouble: it is not counted as an
     * interruption (so `maxInterruptions` never fails a job for being paused), and the job keeps its
     * `run_at`, hence its place in line for when the pause ends. A job paused itself
     * (`POST /v1/jobs/{id}/pause`: `pause_requested`) goes to `paused` instead, until resumed; one whose
     * cancel came after its token fired, to `cancelled` (`stoppedWrite`).
     */
    requeuePausedJobs({ instanceId, jobs, }: {
        instanceId: string;
        jobs: readonly JobSnapshot[];
    }): Promise<{
        id: string;
        state: JobState;
    }[]>;
    /**
     * The `yield` row: runs that reached their type's `maxSliceSeconds` and stopped on their token
     * (reason `yield`) go back to `queued` with their checkpoint, the attempt given back and no
     * interruption counted (a sliced job yields by design, maybe thousands of times). Their `run_at`
     * becomes now: behind every job that waited meanwhile, so long jobs take turns with the rest.
     * A job asked to pause or cancel meanwhile goes there instead, as with the `pause` row.
     */
    requeueYieldedJobs({ instanceId, jobs, }: {
        instanceId: string;
        jobs: readonly JobSnapshot[];
    }): Promise<{
        id: string;
        state: JobState;
    }[]>;
    /**
     * The `pause job` row: a queued job becomes `paused` at once; a running one is flagged
     * (`pause_requested`) so that the instance running it aborts its token with `paused` (the `pause`
     * row then moves it to `paused`). A paused job is answered as it is; finished ones are left alone.
     */
    requestPause({ id, owner }: JobScope & {
        id: string;
    }): Promise<PauseOutcome>;
    /**
     * The `resume` row: a paused job goes back to `queued` with its checkpoint, keeping its `run_at`
     * (its place in line). A running job's pause request is withdrawn: if its token fired already,
     * the `pause` row sends it to `queued`. A queued job is answered as it is; finished ones are left alone.
     */
    resumeJob({ id, owner }: JobScope & {
        id: string;
    }): Promise<ResumeOutcome>;
    /**
     * The `replace` row: in one transaction, the job holding `job.idempotencyKey` for `owner` takes
     * the `cancel queued` row (cancelled now if queued or paused; flagged if running, so that its
     * runner aborts the token with `cancelled`) and gives up the key, and `job` is enqueued under it.
     * A finished job only gives up the key. `replaced` is the job that held the key, if any.
     */
    replaceJob({ owner, job }: {
        owner: string;
        job: NewJob;
    }): Promise<ReplacedJob>;
    /**
     * The `abandon` row: jobs that ignored their token until a stop's deadline. Their last checkpoint
     * is written and they go back to `queued` for any instance, but the attempt counts (a job that
     * never stops when asked is not refunded), so the last attempt ends in `failed`.
     */
    abandonJobs({ instanceId, jobs, }: {
        instanceId: string;
        jobs: readonly JobSnapshot[];
    }): Promise<{
        id: string;
        state: JobState;
    }[]>;
    /**
     * The `cancel running` row: claimed jobs whose cancel was requested and that have now stopped.
     * One that ran keeps its attempt; one cancelled before its code ran (waiting in the local queue)
     * gets back the attempt its claim counted.
     */
    markJobsCancelled({ instanceId, jobs, }: {
        instanceId: string;
        jobs: readonly Cancellation[];
    }): Promise<string[]>;
    /**
     * Writes in-memory checkpoints and progress of running jobs, and records each changed checkpoint
     * in its job's history (src/queue/checkpointStore.ts), in the same statement.
     */
    writeCheckpoints({ instanceId, jobs, }: {
        instanceId: string;
        jobs: readonly CheckpointWrite[];
    }): Promise<string[]>;
    /** Job `id`'s checkpoint with its entity tag (src/queue/checkpointStore.ts); undefined for no such job. */
    getCheckpoint(params: JobScope & {
        id: string;
    }): Promise<StoredCheckpoint | undefined>;
    /**
     * An operator's compare-and-set of job `id`'s checkpoint on its entity tag, in one statement
     * (src/queue/checkpointStore.ts). Not a transition: the job stays in its state.
     */
    replaceCheckpoint(params: ReplaceCheckpointParams): Promise<ReplaceCheckpointOutcome>;
    /** The last checkpoints of job `jobId`, newest first (src/queue/checkpointStore.ts); the caller checks the job is visible. */
    listCheckpointHistory(params: {
        jobId: string;
    }): Promise<CheckpointHistoryEntry[]>;
    /**
     * The `cancel queued` row: cancels a queued job at once; flags a running one so that the instance
     * running it aborts its token (the `cancel running` row ends it). Finished jobs are left as they are.
     * In a caller's transaction (`within`): a schedule's `cancel-previous` fire, committed with the job
     * that replaces it.
     */
    requestCancel({ id, owner }: JobScope & {
        id: string;
    }): Promise<CancelOutcome>;
    /**
     * The `cancel queued` row for a batch of a bulk action, in the caller's transaction: `requestCancel`'s
     * write on every job of `ids` that is queued or running. The rows are locked in id order, as every
     * batched write of the table locks them, so two batches never wait on each other in a cycle.
     */
    requestCancels({ ids, owner }: BatchParams): Promise<BatchedJob[]>;
    /**
     * The batched form of a row: `write` on every job of `ids` (the caller's, unless admin) whose state
     * is one of `states`, the rows locked in id order. Answers every job found, moved or not, with
     * the state it was in.
     */
    private moveBatch;
    /**
     * The `retry` row: a failed or cancelled job goes back to `queued`, by an operator's hand. Its
     * attempts and interruptions start again from zero (a job that failed for want of either could
     * not run otherwise), `retries` counts the retry, and a cancel flag left from a cancel is cleared.
     * Its error history stays. Any other state is left as it is and answered `not-retryable`.
     */
    retryJob({ id, owner, from, runAt }: RetryParams): Promise<RetryOutcome>;
    /**
     * The `retry` row for a batch of a bulk action, in the caller's transaction: `retryJob`'s write on
     * every job of `ids` that is failed or cancelled, from its checkpoint, runnable now. Rows are
     * locked in id order (see `requestCancels`).
     */
    retryJobs({ ids, owner }: BatchParams): Promise<BatchedJob[]>;
    /**
     * A new job copying the type and options of job `id` (an `enqueue` row), with `replay_of` naming
     * it; payload, queue, priority and runAt may be overridden. Undefined when `id` is not the
     * caller's. The caller validates the payload first: the type of a job never changes.
     */
    replayJob({ id, owner, payload, queue, priority, runAt }: ReplayParams): Promise<OwnedJob | undefined>;
    /**
     * Extends the leases of the jobs this instance holds (`ids`: running, settling or waiting in its
     * local queue) and beats its heartbeat, in one round trip. Returns those whose lease it still
     * holds, with their cancel flag: the fallback path of cancellation, and (by absence) the jobs
     * another instance recovered. Only the named jobs are renewed: a job leased to this instance that
     * it does not know of (a claim that committed while its answer was lost with the connection)
     * must expire, so that the sweeper gives it back, rather than stay leased here forever.
     */
    renewLeases({ instanceId, leaseMs, ids, }: {
        instanceId: string;
        leaseMs: number;
        ids: readonly string[];
    }): Promise<{
        id: string;
        cancelRequested: boolean;
        pauseRequested: boolean;
    }[]>;
    /**
     * Which of these claims still hold their job (running, leased to `instanceId`, under the attempt
     * the claim counted), their leases renewed: the runner's check of a claim that met its job's own
     * outcome write (RunnerGeneration.takeOnceSettled). No transition: only the lease moves.
     */
    renewClaims({ instanceId, leaseMs, claims, }: {
        instanceId: string;
        leaseMs: number;
        claims: readonly ClaimRef[];
    }): Promise<{
        id: string;
        cancelRequested: boolean;
        pauseRequested: boolean;
    }[]>;
    /**
     * The `lease expired` row: recovers jobs whose runner vanished (SIGKILL, a crash, a lost network, an
     * event loop blocked past the lease). Its claim counted the attempt, which stays used: the job goes
     * back to `queued` with its last written checkpoint, or to `failed` when that was its last attempt,
     * so a job that kills or blocks its runner cannot loop forever. (A row with no `started_at` was
     * claimed by an older version, which counted the attempt at a later start mark: nothing was counted,
     * and it keeps its place in line.) At most `limit` jobs of the plain claims and as many of the
     * limited claim's a call; the next sweep takes the rest.
     */
    recoverExpiredLeases({ limit }?: {
        limit?: number;
    }): Promise<{
        id: string;
        queue: string;
        state: JobState;
        attempts: number;
    }[]>;
    /**
     * The `expire` row: queued jobs whose `expires_at` has passed become `expired` (finished, with an
     * error saying so). The claims never start such a job (they skip it); this sweep, run by every
     * instance, marks them, oldest deadline first, skipping rows another sweep or a cancel holds.
     */
    expireJobs({ limit }?: {
        limit?: number;
    }): Promise<{
        id: string;
        type: string;
        queue: string;
    }[]>;
    /**
     * When the next queued jobs of `queues` enqueued for later become due (milliseconds since the
     * epoch, soonest first, distinct): read once when a runner starts, so that it wakes for them. The
     * claim index has no `run_at` order across priorities, so this reads every future job of the
     * queues; it is not on any hot path.
     */
    upcomingRunTimes({ queues, limit }: {
        queues: readonly string[];
        limit: number;
    }): Promise<number[]>;
    registerInstance(instance: InstanceInfo): Promise<void>;
    deregisterInstance({ instanceId }: {
        instanceId: string;
    }): Promise<void>;
    /**
     * Forgets instances whose heartbeat stopped `silentForMs` ago (their jobs are recovered by lease
     * expiry), and counts those that beat within `liveWithinMs`: the instances sharing the cluster's
     * maintenance (src/runner/clusterPace.ts).
     */
    pruneInstances({ silentForMs, liveWithinMs, }: {
        silentForMs: number;
        liveWithinMs: number;
    }): Promise<{
        pruned: number;
        live: number;
    }>;
    /**
     * Reads the next `window` jobs in id order after `afterId` and deletes those that finished more
     * than `olderThanMs` ago (their owner listings go with them: migration 004's trigger). There is no
     * index of finished jobs to read instead (migration 005: its entry cost every outcome write): ids
     * follow creation, so the oldest jobs come first, and once a window holds a job created after the
     * cutoff nothing beyond it can be old enough (`reachedRecent`; the caller starts again from the
     * beginning next time). `lastId` is where the next window starts, or null when it read nothing.
     */
    pruneFinishedJobs({ olderThanMs, afterId, window, }: {
        olderThanMs: number;
        afterId: string;
        window: number;
    }): Promise<PruneWindow>;
    /**
     * How many jobs each queue holds in each state: the queue depth of `/metrics` (read at scrape
     * time) and of the dashboard. Pairs with no job are left out.
     */
    countJobsByQueueAndState(): Promise<{
        queue: string;
        state: JobState;
        count: number;
    }[]>;
    /** Jobs' own log lines, appended and trimmed in batches (src/queue/jobLogStore.ts). */
    appendJobLogs(lines: readonly NewJobLogLine[]): Promise<void>;
    /** Each job's lines after a line id, for the event streams (src/queue/jobLogStore.ts). */
    listJobLogsAfter(params: {
        after: readonly {
            jobId: string;
            afterId: string;
        }[];
        limitPerJob: number;
    }): Promise<StreamedJobLogLine[]>;
    /** An owner's jobs' lines after a line id: a stream of many jobs' catch-up (src/queue/jobLogStore.ts). */
    listOwnerJobLogsAfter(params: JobScope & {
        afterId: string;
        limit: number;
    }): Promise<StreamedJobLogLine[]>;
    /**
     * Where a new stream of many jobs starts: the newest log line id of any job ('0' when none) and
     * the database's clock as a version, so that its first ids resume from now, not from the start.
     */
    eventStreamStart(): Promise<{
        logId: string;
        version: string;
    }>;
    /** A page of a job's log lines after a line id (src/queue/jobLogStore.ts); the caller checks the job is visible. */
    listJobLogs(params: {
        jobId: string;
        afterId?: string;
        limit: number;
    }): Promise<JobLogLine[]>;
    /**
     * ANALYZE of each of `tables` (the queue's tables, by name) whose size moved far from the one its
     * statistics were taken at: grown from empty, or past twice and 8 pages, or shrunk below half. The
     * planner sizes a table from those statistics, and a prepared statement keeps the plan it made until
     * they change: planned while the table was empty, the runner's writes by id read the whole table at
     * every batch once it had grown (PostgreSQL's autovacuum analyzes a changing table, but PGlite has
     * none, and a server may run without it). Twice, not autovacuum's tenth: what turns a plan is the
     * order of the table's size, and an ANALYZE of 100,000 jobs cost PostgreSQL 180–200 ms here; at
     * 1.2 times, a service taking 10,000 enqueues a second analyzed every second or two, a tenth of a
     * core (bench/RESULTS.md, "What the statistics cost the enqueue"). An instance that finds another
     * analyzing skips (the advisory lock). Returns the tables analyzed.
     */
    refreshStatistics({ tables }: {
        tables: readonly string[];
    }): Promise<string[]>;
    /** Cheap liveness check for `/readyz`. */
    ping(): Promise<void>;
    /**
     * The queues that live instances serve, with how many serve each: an instance is live while its
     * heartbeat (beaten with every lease renewal) is younger than `liveWithinMs`. A drained or
     * stopped instance has deregistered, so it serves nothing.
     */
    servedQueues({ liveWithinMs }: {
        liveWithinMs: number;
    }): Promise<{
        queue: string;
        instances: number;
    }[]>;
    /**
     * Jobs per queue and state (and how many queued ones wait for a future `run_at`), with a bounded
     * number of rows whatever queue names clients sent: the `named` queues, plus the
     * `undeclaredLimit` other queues holding the most queued or running jobs, each on its own rows;
     * every other queue is summed into rows whose `queue` is null (`otherQueues` says how many
     * queues those are, on every row). Pairs with no job are left out.
     */
    countJobsByQueueBounded({ named, undeclaredLimit, }: {
        named: readonly string[];
        undeclaredLimit: number;
    }): Promise<{
        queue: string | null;
        state: JobState;
        count: number;
        scheduled: number;
        otherQueues: number;
    }[]>;
    /**
     * Publishes live progress reports to the other instances (`JOB_PROGRESS_CHANNEL`), one
     * notification per payload: callers keep each under PostgreSQL's 8,000-byte limit.
     */
    notifyProgress({ payloads }: {
        payloads: readonly string[];
    }): Promise<void>;
}
/** A job with the version of its row (`getVersionedJobs`). */
export interface VersionedJob {
    job: OwnedJob;
    version: string;
}
/** The rows of the transition table (see the header), each the name of the statement that performs it. */
export declare const JOB_TRANSITIONS: {
    readonly enqueue: "enqueueJobs";
    readonly claim: readonly ["claimJobs", "claimLimitedJobs"];
    readonly release: "releaseJobs";
    readonly complete: "completeJobs";
    readonly fail: "failJobs";
    readonly interrupt: "requeueInterruptedJobs";
    readonly pause: "requeuePausedJobs";
    readonly yield: "requeueYieldedJobs";
    readonly pauseJob: "requestPause";
    readonly resume: "resumeJob";
    readonly replace: "replaceJob";
    readonly abandon: "abandonJobs";
    readonly cancelRunning: "markJobsCancelled";
    readonly cancelQueued: readonly ["requestCancel", "requestCancels"];
    readonly leaseExpired: "recoverExpiredLeases";
    readonly expire: "expireJobs";
    readonly retry: readonly ["retryJob", "retryJobs"];
};
/** The states the `cancel queued` row moves (or flags), and those the `retry` row moves. */
export declare const CANCELLABLE_STATES: readonly ["queued", "running", "paused"];
export declare const RETRYABLE_STATES: readonly ["failed", "cancelled"];
/** A failed attempt's entry within the history's bounds (UTF-8 bytes, cut on a character boundary). */
export declare function boundedFailedAttempt({ message, name, stack }: FailedAttempt): FailedAttempt;
/**
 * The PostgreSQL channel that carries live progress between instances (src/observability/progressRelay.ts),
 * named in the service's schema (src/db/channelName.ts).
 */
export declare const JOB_PROGRESS_CHANNEL = "jobProgress";
/** Ids are bigint identities; anything else cannot name a job (and must not reach SQL as a bigint). */
export declare function isJobId(id: string): boolean;
