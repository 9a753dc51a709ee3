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
 *     │          │  ▲                                                 ▲ │
 *     └──start here (+1 attempt: claimed by the instance accepting it)┘ │
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
 *   start here       enqueueJobs (startHere)  – → running (leased)           1, before the code runs (started_at set)
 *                                                                                                (the instance that accepts the job has a
 *                                                                                                 place for it and no older job waits:
 *                                                                                                 inserted as its claim would leave it;
 *                                                                                                 src/runner/localStarts.ts)
 *   claim            claimJobs                queued → running (leased)      +1, before the code runs (started_at set)
 *                    claimLimitedJobs                                                            (types with concurrency limits:
 *                                                                                                 within them, src/queue/limitedClaim.ts;
 *                                                                                                 claimJobs also takes jobs due within
 *                                                                                                 the runner's lookahead: started_at is
 *                                                                                                 then their run_at, and the runner holds
 *                                                                                                 them until it)
 *   release          releaseJobs              running → queued               −1            –   (the runner vouches the code never ran:
 *                                                                                               a job it held and did not start, or a
 *                                                                                               stray, leased to it by a claim or a
 *                                                                                               start here whose answer it never read;
 *                                                                                               src/runner/strayLeases.ts)
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
 * appends an entry to the job's bounded error history, `errors` (`appendError`). The `lease expired`
 * row's entry names the claim's attempt and instance: it is how a runner whose outcome write lost its
 * answer tells its own landed write from a recovery when a retry meets the fence (`ownOutcomeLanded`).
 *
 * `JOB_TRANSITIONS` names the rows; test/queue/transitions.test.ts checks each one on both databases.
 */
import type { PendingQuery, Row, Sql, TransactionSql } from 'postgres'
import { schemaIdentifier, type SchemaIdentifier } from '../db/schemaIdentifier.js'
import { channelName } from '../db/channelName.js'
import {
  ISO_TIMESTAMP,
  MAX_ERROR_HISTORY,
  MAX_ERROR_MESSAGE_BYTES,
  MAX_ERROR_STACK_BYTES,
  toJob,
  FINISHED_STATES,
  type JobCallback,
  type JobFields,
  type Json,
  type JobProgress,
  type JobRow,
  type JobState,
  type OwnedJob,
} from './job.js'
import { movedColumns, outboxFromMoved, queuedDeliveries } from './outbox.js'
import {
  appendJobLogs,
  listJobLogs,
  listJobLogsAfter,
  listOwnerJobLogsAfter,
  type JobLogLine,
  type NewJobLogLine,
  type StreamedJobLogLine,
} from './jobLogStore.js'
import {
  countCheckpointWrite,
  historyFromWritten,
  listCheckpointHistory,
  readCheckpoint,
  replaceCheckpoint,
  type CheckpointHistoryEntry,
  type ReplaceCheckpointOutcome,
  type ReplaceCheckpointParams,
  type StoredCheckpoint,
} from './checkpointStore.js'
import { claimFairly, nextOwnerCursor } from './fairClaim.js'
import { claimedJob } from './claimedColumns.js'
import { claimLimitedJobs, countLimitedRunning, readRateLimits, type LimitedClaimParams } from './limitedClaim.js'
import { cached } from '../support/cached.js'

export interface NewJob {
  type: string
  queue: string
  payload: Json
  priority: number
  maxAttempts: number
  /** Interruptions refunded before the next one fails the job. */
  maxInterruptions: number
  timeoutSeconds: number | null
  runAt: Date | null
  idempotencyKey: string | null
  /** A hash of the request that created the job; a replay with the same key must match it. */
  requestHash: string | null
  /** Its own completion webhook (src/webhooks/), or null. */
  callback?: JobCallback | null
  /** The W3C traceparent of the enqueue (src/observability/traceparent.ts), if it had one. */
  traceparent?: string | null
  /** At most 256 UTF-8 bytes (the caller checks); null or absent for none. */
  concurrencyKey?: string | null
  /** Not started by then, it expires (the `expire` row); null or absent for no deadline. */
  expiresAt?: Date | null
}

/** A job as a claim hands it to the runner: with the trace its runs join. */
export type ClaimedJob = OwnedJob & { readonly traceparent: string | null }

export interface EnqueuedJob {
  job: OwnedJob
  /** True when the idempotency key matched an existing job with the same request. */
  replayed: boolean
}

export class IdempotencyConflictError extends Error {
  override name = 'IdempotencyConflictError'
  constructor(readonly idempotencyKey: string) {
    super(`Idempotency-Key ${JSON.stringify(idempotencyKey)} was already used with a different request`)
  }
}

/** `owner: undefined` means an admin, who sees every owner's jobs. */
export interface JobScope {
  owner: string | undefined
}

export interface ListJobsParams extends JobScope {
  state?: JobState
  type?: string
  queue?: string
  limit: number
  /** Keyset cursor: only jobs with a smaller id (the list is newest first). */
  beforeId?: string
  /** Only queued jobs whose `run_at` is in the future (scheduled, or a retry waiting out its backoff). */
  scheduled?: true
}

/** The claim a runner write is made under: the job, and the attempt its claim counted (the fence). */
export interface ClaimRef {
  id: string
  attempt: number
}

/** What a lease renewal found (`renewLeases`). */
export interface RenewedLeases {
  /** The named jobs whose lease this instance still holds, their flags read as the lease was extended. */
  renewed: { id: string; cancelRequested: boolean; pauseRequested: boolean }[]
  /** Jobs leased to this instance that it did not name, their leases left as they were. */
  strays: StrayLease[]
}

/** A job leased to an instance that did not name it in its renewal: its claim (`ClaimRef`) and its queue. */
export interface StrayLease extends ClaimRef {
  queue: string
}

/** The claim a claimed job's writes are made under: its `attempts` as its claim counted them. */
export function claimOf(job: { readonly id: string; readonly attempts: number }): ClaimRef {
  return { id: job.id, attempt: job.attempts }
}

export interface JobSnapshot extends ClaimRef {
  checkpoint: Json | null
  /** The version of the type's checkpoint shape `checkpoint` is in; absent: the stored one stays. */
  checkpointVersion?: number
  progress: JobProgress | null
}

/** A running job's checkpoint write (`writeCheckpoints`). */
export interface CheckpointWrite extends JobSnapshot {
  /** The checkpoint changed since the last write, so it enters the history (absent: true). */
  changed?: boolean
}

/**
 * A run that resolved. `unchanged`: the run left its checkpoint and progress as its claim read them,
 * so only its result is sent and the row keeps its own (a drain's completion is then about a third
 * of the JSON to build, send and parse).
 */
export type Completion = (JobSnapshot & { result: Json | null }) | (ClaimRef & { result: Json | null; unchanged: true })

export interface Cancellation extends JobSnapshot {
  /** False for a job cancelled while it waited in the local queue: it never ran. */
  started: boolean
}

export interface Failure extends JobSnapshot {
  error: string
  /** Delay before the retry; ignored when the job has no attempts left. */
  retryDelayMs: number
  /** The job's retry policy gave up (a `PermanentError`, `retryDelay` answered null): failed now. */
  giveUp: boolean
  /** The error history's entry for this attempt (its attempt number and time come from the row). */
  entry: FailedAttempt
}

/** What the runner knows of a failed attempt; bounded with `boundedFailedAttempt`. */
export interface FailedAttempt {
  message: string
  name: string
  stack?: string
}

export interface RetryParams extends JobScope {
  id: string
  /** `checkpoint` resumes from the last written checkpoint; `start` clears it and the progress. */
  from: 'checkpoint' | 'start'
  /** When it may run again; now when null. */
  runAt: Date | null
}

export type RetryOutcome =
  { kind: 'retried'; job: OwnedJob } | { kind: 'not-retryable'; job: OwnedJob } | { kind: 'not-found' }

/** A batch of a bulk action: the jobs `ids` (the caller's only, unless `owner` is undefined). */
export interface BatchParams extends JobScope {
  ids: readonly string[]
}

/**
 * One job of a batch as the batched statement found it: its state before the write, and whether
 * the row moved it. Ids missing from the answer are not the caller's (or do not exist).
 */
export interface BatchedJob {
  id: string
  type: string
  queue: string
  previousState: JobState
  moved: boolean
}

/** What a replay may change; the rest (type, options) is copied from the job it replays. */
export interface ReplayParams extends JobScope {
  id: string
  payload?: Json
  queue?: string
  priority?: number
  runAt: Date | null
}

export type CancelOutcome =
  | { kind: 'cancelled'; job: OwnedJob }
  | { kind: 'requested'; job: OwnedJob }
  | { kind: 'already-cancelled'; job: OwnedJob }
  | { kind: 'finished'; job: OwnedJob }
  | { kind: 'not-found' }

export type PauseOutcome =
  | { kind: 'paused'; job: OwnedJob }
  | { kind: 'requested'; job: OwnedJob }
  | { kind: 'already-paused'; job: OwnedJob }
  | { kind: 'finished'; job: OwnedJob }
  | { kind: 'not-found' }

/** `unchanged`: queued, or running with no pause asked: nothing to resume. */
export type ResumeOutcome =
  | { kind: 'resumed'; job: OwnedJob }
  | { kind: 'unchanged'; job: OwnedJob }
  | { kind: 'finished'; job: OwnedJob }
  | { kind: 'not-found' }

/** The new job of a `replace`, and the job that held its key before (with the state it was in). */
export interface ReplacedJob {
  job: OwnedJob
  replaced: { job: OwnedJob; previousState: JobState } | null
}

export interface PruneWindow {
  /** Jobs deleted. */
  pruned: number
  /** The last id the window read; null when it read none (the end of the table). */
  lastId: string | null
  /** The window reached jobs created after the cutoff: nothing further on is old enough. */
  reachedRecent: boolean
}

export interface InstanceInfo {
  id: string
  hostname: string
  pid: number
  queues: readonly string[]
}

/**
 * The row a key-less insert stored for `job`, from what was sent and the columns the database
 * assigned: the rest are the column defaults of migration 001.
 */
export function insertedJobRow(
  owner: string,
  job: NewJob,
  { id, run_at, created_at }: { id: string; run_at: string; created_at: string },
  /** Inserted claimed by the enqueuing instance (the `start here` row): started at its creation. */
  startedHere = false,
): JobFields {
  return {
    id,
    owner,
    type: job.type,
    queue: job.queue,
    state: startedHere ? 'running' : 'queued',
    payload: job.payload ?? {},
    priority: job.priority,
    attempts: startedHere ? 1 : 0,
    max_attempts: job.maxAttempts,
    timeout_seconds: job.timeoutSeconds,
    run_at,
    created_at,
    started_at: startedHere ? created_at : null,
    finished_at: null,
    cancel_requested: false,
    cancel_requested_at: null,
    cancel_acknowledged_at: null,
    pause_requested: false,
    checkpoint: null,
    checkpoint_version: 1,
    progress: null,
    result: null,
    error: null,
    interruptions: 0,
    max_interruptions: job.maxInterruptions,
    retries: 0,
    replay_of: null,
    errors: [],
    concurrency_key: job.concurrencyKey ?? null,
    expires_at: job.expiresAt ? job.expiresAt.toISOString() : null,
  }
}

export interface JobStoreOptions {
  /**
   * Told the jobs whose log lines were just stored, after the write: the service announces them, so
   * that event streams on any instance send the new lines as `log` events (src/events/).
   */
  onJobLogsAppended?: (jobIds: readonly string[]) => void
  /**
   * Told, after the statement, that an outcome written by this store put webhook deliveries in the
   * outbox: the service wakes its webhook worker. Outcomes that queue none wake nothing (with no
   * webhook configured, a drain's outcome batches used to wake it each time: a poll of the outbox per
   * batch and instance). A store `within` a caller's transaction tells nothing: its deliveries are not
   * visible before the caller commits, and the worker's poll finds them.
   */
  onDeliveriesQueued?: () => void
}

/** The column `queuedDeliveries` adds to an outcome statement's rows. */
interface QueuedDeliveries {
  queued_deliveries: number
}

export class JobStore {
  /** Where the next claim's walk of owners starts, so that successive claims go round them all (src/queue/fairClaim.ts). */
  private ownerCursor = ''
  /** The last claim with types excepted met a backlog of theirs: the next reads by type (src/queue/fairClaim.ts). */
  private exceptedBacklog = false

  /** Every table is named in this schema (src/db/schemaIdentifier.ts). */
  private readonly schema: SchemaIdentifier
  /** `JOB_PROGRESS_CHANNEL` in this schema's names, made once (`notifyProgress` runs per batch of reports). */
  private readonly progressChannel: string

  /**
   * `schema`: the database's `schema` (`DATABASE_SCHEMA`). `inTransaction`: this store's statements
   * run in a caller's transaction (`within`).
   */
  constructor(
    private readonly sql: Sql,
    private readonly schemaName: string,
    private readonly inTransaction = false,
    private readonly options: JobStoreOptions = {},
  ) {
    this.schema = schemaIdentifier(sql, schemaName)
    this.progressChannel = channelName(schemaName, JOB_PROGRESS_CHANNEL)
  }

  /**
   * The store inside a caller's transaction: a bulk action's batch (src/bulk/bulkActionStore.ts), a
   * schedule's fire, which advances the schedule in the same transaction (src/schedules/store.ts). A
   * transaction's `sql` answers everything the statements use (tagged templates, fragments, `json`);
   * it lacks `begin`, which `enqueueJobs` then does without, and `listen`, which none uses.
   */
  static within(tx: TransactionSql, schema: string): JobStore {
    return new JobStore(tx as unknown as Sql, schema, true)
  }

  /** After an outcome statement: tells `onDeliveriesQueued` when its outbox inserted any (the count is on every row). */
  private noteDeliveries(rows: readonly QueuedDeliveries[]): void {
    if ((rows[0]?.queued_deliveries ?? 0) > 0 && !this.inTransaction) this.options.onDeliveriesQueued?.()
  }

  /**
   * Inserts jobs in one statement, all or nothing. A reused idempotency key replays its job. Runs in
   * a transaction of its own, or in the caller's (`within`).
   */
  async enqueueJobs({
    owner,
    jobs,
    startHere,
  }: {
    owner: string
    jobs: readonly NewJob[]
    /**
     * The `start here` row: the jobs whose `starts` flag is set are inserted claimed by `instanceId`
     * (src/runner/localStarts.ts). Only for an enqueue without idempotency keys in a transaction of
     * its own; otherwise every job is inserted queued.
     */
    startHere?: { instanceId: string; leaseMs: number; starts: readonly boolean[] }
  }): Promise<EnqueuedJob[]> {
    if (jobs.length === 0) return []
    const rows = jobs.map((job, ord) => ({
      ord,
      type: job.type,
      queue: job.queue,
      payload: job.payload,
      priority: job.priority,
      max_attempts: job.maxAttempts,
      max_interruptions: job.maxInterruptions,
      timeout_seconds: job.timeoutSeconds,
      run_at: job.runAt?.toISOString() ?? null,
      idempotency_key: job.idempotencyKey,
      request_hash: job.requestHash,
      callback: job.callback ?? null,
      traceparent: job.traceparent ?? null,
      concurrency_key: job.concurrencyKey ?? null,
      expires_at: job.expiresAt?.toISOString() ?? null,
    }))
    if (!this.inTransaction && jobs.every((job) => job.idempotencyKey === null)) {
      // Without keys every job is new, so the answer is what was sent plus what the database
      // assigned: only those three columns come back, the timestamps already in toISOString form
      // (the hot path of POST /v1/jobs, where parsing 25 returned columns per job cost more than the
      // insert's round trip; the rest of the row is `insertedJobRow`'s). The payload is the one sent
      // (jsonb may order its keys differently on a later read, the same JSON value).
      const starts = startHere?.starts.some(Boolean) ? startHere : undefined
      // A job started here is written as the claim would leave it: running, leased here, its attempt
      // counted and started_at set (the same now() as created_at), before any code runs.
      const startedColumns = starts
        ? this.sql`, state, attempts, started_at, lease_owner, lease_expires_at`
        : this.sql``
      const startedValues = starts
        ? this.sql`, case when x.start then 'running' else 'queued' end, x.start::int, case when x.start then now() end,
                   case when x.start then ${starts.instanceId}::uuid end,
                   case when x.start then now() + ${starts.leaseMs} * interval '1 millisecond' end`
        : this.sql``
      const document = starts ? rows.map((row, i) => ({ ...row, start: starts.starts[i] === true })) : rows
      const assigned = await this.sql<{ id: string; run_at: string; created_at: string }[]>`
        insert into ${this.schema}.job_runner_jobs (owner, type, queue, payload, priority, max_attempts, max_interruptions, timeout_seconds, run_at, callback, traceparent,
                                     concurrency_key, expires_at ${startedColumns})
        select ${owner}, x.type, x.queue, coalesce(x.payload, '{}'::jsonb), x.priority, x.max_attempts, x.max_interruptions,
               x.timeout_seconds, coalesce(x.run_at, now()), x.callback, x.traceparent, x.concurrency_key, x.expires_at ${startedValues}
        from jsonb_to_recordset(${this.sql.json(document as unknown as Json)}) as x(
          ord int, type text, queue text, payload jsonb, priority int, max_attempts int, max_interruptions int,
          timeout_seconds float8, run_at timestamptz, callback jsonb, traceparent text, concurrency_key text, expires_at timestamptz,
          start boolean)
        order by x.ord
        returning id, to_char(run_at at time zone 'UTC', ${ISO_TIMESTAMP}) as run_at, to_char(created_at at time zone 'UTC', ${ISO_TIMESTAMP}) as created_at`
      // Identity values follow the select's order, so sorting by id restores `ord`.
      assigned.sort((a, b) => compareIds(a.id, b.id))
      return assigned.map((columns, i): EnqueuedJob => ({
        replayed: false,
        job: toJob(insertedJobRow(owner, jobs[i]!, columns, starts?.starts[i] === true)),
      }))
    }
    const insert = async (sql: Sql | TransactionSql) => {
      // Identity values follow the select's order, so sorting the inserted rows by id restores `ord`.
      const inserted = await sql<JobRow[]>`
        insert into ${this.schema}.job_runner_jobs
          (owner, type, queue, payload, priority, max_attempts, max_interruptions, timeout_seconds, run_at, idempotency_key, request_hash,
           callback, traceparent, concurrency_key, expires_at)
        select ${owner}, x.type, x.queue, coalesce(x.payload, '{}'::jsonb), x.priority, x.max_attempts, x.max_interruptions,
               x.timeout_seconds, coalesce(x.run_at, now()), x.idempotency_key, x.request_hash, x.callback, x.traceparent,
               x.concurrency_key, x.expires_at
        from jsonb_to_recordset(${sql.json(rows as unknown as Json)}) as x(
          ord int, type text, queue text, payload jsonb, priority int, max_attempts int, max_interruptions int,
          timeout_seconds float8, run_at timestamptz, idempotency_key text, request_hash text, callback jsonb, traceparent text,
          concurrency_key text, expires_at timestamptz)
        order by x.ord
        on conflict (owner, idempotency_key) where idempotency_key is not null do nothing
        returning *`
      inserted.sort((a, b) => compareIds(a.id, b.id))
      return this.matchReplays(sql, owner, rows, inserted)
    }
    if (this.inTransaction) return insert(this.sql)
    return this.sql.begin((sql) => insert(sql)) as Promise<EnqueuedJob[]>
  }

  private async matchReplays(
    sql: Sql | TransactionSql,
    owner: string,
    rows: readonly { idempotency_key: string | null; request_hash: string | null }[],
    inserted: JobRow[],
  ): Promise<EnqueuedJob[]> {
    const insertedByKey = new Map(inserted.filter((r) => r.idempotency_key !== null).map((r) => [r.idempotency_key, r]))
    const withoutKey = inserted.filter((r) => r.idempotency_key === null)
    const missingKeys = rows
      .map((r) => r.idempotency_key)
      .filter((k): k is string => k !== null && !insertedByKey.has(k))
    const existing = missingKeys.length
      ? await sql<JobRow[]>`
          select * from ${this.schema}.job_runner_jobs
          where owner = ${owner} and idempotency_key in (select jsonb_array_elements_text(${sql.json(missingKeys)}))`
      : []
    const existingByKey = new Map(existing.map((r) => [r.idempotency_key, r]))
    const claimedHere = new Set<string>()
    return rows.map((row) => {
      if (row.idempotency_key === null) return { job: toJob(withoutKey.shift()!), replayed: false }
      const fresh = insertedByKey.get(row.idempotency_key)
      if (fresh && !claimedHere.has(row.idempotency_key)) {
        claimedHere.add(row.idempotency_key)
        return { job: toJob(fresh), replayed: false }
      }
      const original = fresh ?? existingByKey.get(row.idempotency_key)
      if (!original || original.request_hash !== row.request_hash)
        throw new IdempotencyConflictError(row.idempotency_key)
      return { job: toJob(original), replayed: true }
    })
  }

  async getJob(
    { id, owner }: JobScope & { id: string },
    sql: Sql | TransactionSql = this.sql,
  ): Promise<OwnedJob | undefined> {
    if (!isJobId(id)) return undefined
    const [row] = await sql<JobRow[]>`
      select * from ${this.schema}.job_runner_jobs where id = ${id} ${owner === undefined ? sql`` : sql`and owner = ${owner}`}`
    return row && toJob(row)
  }

  /**
   * Jobs by id, every owner's, each with its `version`: the time of its last write to the
   * microsecond, as fixed-width digits (`YYYYMMDDHHMISSUS`, UTC) that sort as they compare. Event
   * streams (src/events/) derive their event ids from it, so a client that reconnects with
   * `Last-Event-ID` is compared with the stored row, not with a buffer in some process's memory.
   */
  async getVersionedJobs({ ids }: { ids: readonly string[] }): Promise<VersionedJob[]> {
    const valid = ids.filter(isJobId)
    if (valid.length === 0) return []
    const sql = this.sql
    const rows = await sql<(JobRow & { version: string })[]>`
      select j.*, ${versionOfJ(sql)} as version from ${this.schema}.job_runner_jobs j
      where j.id = any(array(select jsonb_array_elements_text(${sql.json(valid as unknown as Json)})::bigint))`
    return rows.map(toVersionedJob)
  }

  /**
   * The jobs of `owner` (every owner's when undefined) written after `since` (a `version`), oldest
   * write first, at most `limit`: what an event stream of many jobs missed while its client was
   * away. It reads the owner's jobs (an admin's: the table) without an index on the write time:
   * such an index would cost every write of every job, and this runs once per reconnect.
   */
  async listJobsWrittenSince({
    owner,
    since,
    limit,
  }: JobScope & { since: string; limit: number }): Promise<VersionedJob[]> {
    const sql = this.sql
    const rows =
      owner === undefined
        ? await sql<(JobRow & { version: string })[]>`
          select j.*, ${versionOfJ(sql)} as version from ${this.schema}.job_runner_jobs j
          where ${versionOfJ(sql)} > ${since}
          order by j.updated_at limit ${limit}`
        : await sql<(JobRow & { version: string })[]>`
          select j.*, ${versionOfJ(sql)} as version from ${this.schema}.job_runner_owner_jobs o
          join ${this.schema}.job_runner_jobs j on j.id = o.job_id and j.owner = o.owner
          where o.owner = ${owner} and ${versionOfJ(sql)} > ${since}
          order by j.updated_at limit ${limit}`
    return rows.map(toVersionedJob)
  }

  /**
   * Newest first; pass the last id of a page as `beforeId` for the next one. An owner's jobs are read
   * through `job_runner_owner_jobs`, in its key order (the database lists every inserted job there:
   * migration 004); an admin's list walks the primary key.
   */
  async listJobs({ owner, state, type, queue, limit, beforeId, scheduled }: ListJobsParams): Promise<OwnedJob[]> {
    const sql = this.sql
    const filters = sql`
      ${state === undefined ? sql`` : sql`and j.state = ${state}`}
      ${
        // Not now(): without prepared statements (DATABASE_POOLING=transaction) the statement's
        // transaction starts at its Parse, a round trip before its snapshot, so a job enqueued in
        // between (run_at its insert's now()) would read as due later than now() and be listed.
        scheduled ? sql`and j.state = 'queued' and j.run_at > statement_timestamp()` : sql``
      }
      ${type === undefined ? sql`` : sql`and j.type = ${type}`}
      ${queue === undefined ? sql`` : sql`and j.queue = ${queue}`}`
    const rows =
      owner === undefined
        ? await sql<JobRow[]>`
          select j.* from ${this.schema}.job_runner_jobs j
          where true ${filters} ${beforeId === undefined ? sql`` : sql`and j.id < ${beforeId}`}
          order by j.id desc
          limit ${limit}`
        : await sql<JobRow[]>`
          select j.* from ${this.schema}.job_runner_owner_jobs o
          join ${this.schema}.job_runner_jobs j on j.id = o.job_id and j.owner = o.owner
          where o.owner = ${owner} ${filters} ${beforeId === undefined ? sql`` : sql`and o.job_id < ${beforeId}`}
          order by o.job_id desc
          limit ${limit}`
    return rows.map(toJob)
  }

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
  async claimJobs({
    instanceId,
    queues,
    limit,
    leaseMs,
    exceptTypes = [],
    lookaheadMs = 0,
  }: {
    instanceId: string
    queues: readonly string[]
    limit: number
    leaseMs: number
    /**
     * Job types this claim leaves alone: those with concurrency limits, which only the limited claim
     * takes (`claimLimitedJobs`), and paused ones. Empty (the usual case) adds nothing to the statement.
     */
    exceptTypes?: readonly string[]
    /** Also claims jobs due within this many milliseconds, to be started at their `runAt` (fairClaim.ts). */
    lookaheadMs?: number
  }): Promise<ClaimedJob[]> {
    if (limit <= 0) return []
    const fromOwner = this.ownerCursor
    const { rows, exceptedBacklog } = await claimFairly(this.sql, this.schemaName, {
      instanceId,
      queues,
      limit,
      leaseMs,
      exceptTypes,
      fromOwner,
      lookaheadMs,
      byType: this.exceptedBacklog,
    })
    if (exceptedBacklog !== undefined) this.exceptedBacklog = exceptedBacklog
    const jobs = rows.map(claimedJob)
    this.ownerCursor = nextOwnerCursor(
      fromOwner,
      jobs.map((job) => job.owner),
    )
    return jobs.sort(inClaimOrder)
  }

  /**
   * The `claim` row for job types with concurrency limits: at most `perKey` jobs of a key and `total`
   * of the type leased at once across every instance (src/queue/limitedClaim.ts). Jobs of types
   * without limits never pass here.
   */
  async claimLimitedJobs(params: LimitedClaimParams): Promise<ClaimedJob[]> {
    const jobs = await claimLimitedJobs(this.sql, this.schema, params)
    return jobs.sort(inClaimOrder)
  }

  /** Jobs of each limited type or queue, and key, holding a place now (see `countLimitedRunning`). */
  countLimitedRunning(params: Parameters<typeof countLimitedRunning>[2]): ReturnType<typeof countLimitedRunning> {
    return countLimitedRunning(this.sql, this.schema, params)
  }

  /** Where each rate limiter of these types and queues stands (see `readRateLimits`). */
  readRateLimits(params: Parameters<typeof readRateLimits>[2]): ReturnType<typeof readRateLimits> {
    return readRateLimits(this.sql, this.schema, params)
  }

  /**
   * The `release` row: hands claimed jobs whose code never ran back to the queue, where they keep
   * their place in line, with the attempt their claim counted given back (the runner vouches that
   * they never ran). Returns the ids released.
   */
  async releaseJobs({ instanceId, claims }: { instanceId: string; claims: readonly ClaimRef[] }): Promise<string[]> {
    if (claims.length === 0) return []
    const rows = await this.sql<{ id: string }[]>`
      with x as materialized (select * from ${claimRows(this.sql, claims)})
      update ${this.schema}.job_runner_jobs j
      set state = 'queued', attempts = j.attempts - (j.started_at is not null)::int, started_at = null,
          updated_at = now(), lease_owner = null, lease_expires_at = null
      from x
      where j.id = any(array(select id from x)) and j.id = x.id and ${fenced(this.sql, instanceId)}
      returning j.id`
    return rows.map((r) => String(r.id))
  }

  /** The `complete` row: the run resolved. */
  async completeJobs({
    instanceId,
    completions,
  }: {
    instanceId: string
    completions: readonly Completion[]
  }): Promise<string[]> {
    if (completions.length === 0) return []
    // One row back, the written ids joined by commas: a row per job cost the runner more to read
    // than the rest of the answer.
    const rows = await this.sql<({ ids: string } & QueuedDeliveries)[]>`
      with x as materialized (select * from jsonb_to_recordset(${this.sql.json(completions as unknown as Json)}) as x(id bigint, attempt int, result jsonb, checkpoint jsonb, "checkpointVersion" int, progress jsonb, unchanged boolean)),
      moved as (
      update ${this.schema}.job_runner_jobs j
      set state = 'succeeded', result = x.result,
          checkpoint = case when x.unchanged then j.checkpoint else x.checkpoint end,
          checkpoint_version = coalesce(x."checkpointVersion", j.checkpoint_version), progress = coalesce(x.progress, j.progress),
          finished_at = now(), started_at = coalesce(j.started_at, now()), updated_at = now(), lease_owner = null, lease_expires_at = null, error = null
      from x
      where j.id = any(array(select id from x)) and j.id = x.id and ${fenced(this.sql, instanceId)}
      returning ${movedColumns(this.sql)})
      ${outboxFromMoved(this.sql, this.schema)}
      select array_to_string(array(select id from moved), ',') as ids, ${queuedDeliveries(this.sql)}`
    this.noteDeliveries(rows)
    const { ids } = rows[0]!
    return ids === '' ? [] : ids.split(',')
  }

  /**
   * The `fail` row: a failed attempt (the run threw, timed out, was abandoned past its timeout, or
   * crashed the process). Back to `queued` after its delay while attempts remain, otherwise `failed`;
   * the attempt was counted when it started.
   */
  async failJobs({
    instanceId,
    failures,
  }: {
    instanceId: string
    failures: readonly Failure[]
  }): Promise<{ id: string; state: JobState }[]> {
    if (failures.length === 0) return []
    const rows = await this.sql<({ id: string; state: JobState } & QueuedDeliveries)[]>`
      with x as materialized (
        select * from jsonb_to_recordset(${this.sql.json(failures as unknown as Json)})
          as x(id bigint, attempt int, error text, checkpoint jsonb, "checkpointVersion" int, progress jsonb, "retryDelayMs" float8,
               "giveUp" boolean, entry jsonb)),
      moved as (
      update ${this.schema}.job_runner_jobs j
      set state = case when x."giveUp" or j.attempts >= j.max_attempts then 'failed' else 'queued' end,
          finished_at = case when x."giveUp" or j.attempts >= j.max_attempts then now() end,
          run_at = case when x."giveUp" or j.attempts >= j.max_attempts then j.run_at
                        else now() + x."retryDelayMs" * interval '1 millisecond' end,
          error = x.error, errors = ${appendError(this.sql, this.sql`x.entry`)},
          checkpoint = x.checkpoint, ${checkpointVersionFromX(this.sql)}, progress = coalesce(x.progress, j.progress),
          started_at = coalesce(j.started_at, now()), updated_at = now(), lease_owner = null, lease_expires_at = null
      from x
      where j.id = any(array(select id from x)) and j.id = x.id and ${fenced(this.sql, instanceId)}
      returning ${movedColumns(this.sql)})
      ${outboxFromMoved(this.sql, this.schema)}
      select id, state, ${queuedDeliveries(this.sql)} from moved`
    this.noteDeliveries(rows)
    return rows.map((r) => ({ id: String(r.id), state: r.state }))
  }

  /**
   * The `interrupt` row: jobs that stopped on their token (a shutdown, a drain, a crash of another
   * job) go back to `queued` with their checkpoint, to run again at once on any instance. The
   * attempt is given back and the interruption counted; one interruption past `max_interruptions`
   * fails the job instead, so that no job is refunded forever.
   */
  async requeueInterruptedJobs({
    instanceId,
    jobs,
  }: {
    instanceId: string
    jobs: readonly JobSnapshot[]
  }): Promise<{ id: string; state: JobState }[]> {
    if (jobs.length === 0) return []
    const rows = await this.sql<({ id: string; state: JobState } & QueuedDeliveries)[]>`
      with x as materialized (select * from ${snapshotRows(this.sql, jobs)}),
      moved as (
      update ${this.schema}.job_runner_jobs j
      set state = case when j.interruptions >= j.max_interruptions then 'failed' else 'queued' end,
          finished_at = case when j.interruptions >= j.max_interruptions then now() end,
          error = case when j.interruptions >= j.max_interruptions
                       then 'interrupted ' || (j.interruptions + 1) || ' times, more than maxInterruptions (' || j.max_interruptions || ')'
                       else j.error end,
          errors = case when j.interruptions >= j.max_interruptions
                        then ${appendError(
                          this.sql,
                          this.sql`jsonb_build_object('name', 'InterruptedTooOften',
                               'message', 'interrupted ' || (j.interruptions + 1) || ' times, more than maxInterruptions ('
                                          || j.max_interruptions || ')')`,
                        )}
                        else j.errors end,
          attempts = case when j.interruptions >= j.max_interruptions then j.attempts else greatest(j.attempts - 1, 0) end,
          interruptions = j.interruptions + 1,
          checkpoint = x.checkpoint, ${checkpointVersionFromX(this.sql)}, progress = coalesce(x.progress, j.progress), run_at = now(),
          started_at = coalesce(j.started_at, now()), updated_at = now(), lease_owner = null, lease_expires_at = null
      from x
      where j.id = any(array(select id from x)) and j.id = x.id and ${fenced(this.sql, instanceId)}
      returning ${movedColumns(this.sql)})
      ${outboxFromMoved(this.sql, this.schema)}
      select id, state, ${queuedDeliveries(this.sql)} from moved`
    this.noteDeliveries(rows)
    return rows.map((r) => ({ id: String(r.id), state: r.state }))
  }

  /**
   * The `pause` row: jobs that stopped on their token because their queue or type was paused with
   * `checkpoint` (src/queue/pauses.ts) go back to `queued` with their checkpoint, the attempt given
   * back. A pause is the operator's choice, not the job's trouble: it is not counted as an
   * interruption (so `maxInterruptions` never fails a job for being paused), and the job keeps its
   * `run_at`, hence its place in line for when the pause ends. A job paused itself
   * (`POST /v1/jobs/{id}/pause`: `pause_requested`) goes to `paused` instead, until resumed; one whose
   * cancel came after its token fired, to `cancelled` (`stoppedWrite`).
   */
  async requeuePausedJobs({
    instanceId,
    jobs,
  }: {
    instanceId: string
    jobs: readonly JobSnapshot[]
  }): Promise<{ id: string; state: JobState }[]> {
    if (jobs.length === 0) return []
    const rows = await this.sql<({ id: string; state: JobState } & QueuedDeliveries)[]>`
      with x as materialized (select * from ${snapshotRows(this.sql, jobs)}),
      moved as (
      update ${this.schema}.job_runner_jobs j
      set ${stoppedWrite(this.sql)}
      from x
      where j.id = any(array(select id from x)) and j.id = x.id and ${fenced(this.sql, instanceId)}
      returning ${movedColumns(this.sql)})
      ${outboxFromMoved(this.sql, this.schema)}
      select id, state, ${queuedDeliveries(this.sql)} from moved`
    this.noteDeliveries(rows)
    return rows.map((r) => ({ id: String(r.id), state: r.state }))
  }

  /**
   * The `yield` row: runs that reached their type's `maxSliceSeconds` and stopped on their token
   * (reason `yield`) go back to `queued` with their checkpoint, the attempt given back and no
   * interruption counted (a sliced job yields by design, maybe thousands of times). Their `run_at`
   * becomes now: behind every job that waited meanwhile, so long jobs take turns with the rest.
   * A job asked to pause or cancel meanwhile goes there instead, as with the `pause` row.
   */
  async requeueYieldedJobs({
    instanceId,
    jobs,
  }: {
    instanceId: string
    jobs: readonly JobSnapshot[]
  }): Promise<{ id: string; state: JobState }[]> {
    if (jobs.length === 0) return []
    const rows = await this.sql<({ id: string; state: JobState } & QueuedDeliveries)[]>`
      with x as materialized (select * from ${snapshotRows(this.sql, jobs)}),
      moved as (
      update ${this.schema}.job_runner_jobs j
      set ${stoppedWrite(this.sql)}, run_at = now()
      from x
      where j.id = any(array(select id from x)) and j.id = x.id and ${fenced(this.sql, instanceId)}
      returning ${movedColumns(this.sql)})
      ${outboxFromMoved(this.sql, this.schema)}
      select id, state, ${queuedDeliveries(this.sql)} from moved`
    this.noteDeliveries(rows)
    return rows.map((r) => ({ id: String(r.id), state: r.state }))
  }

  /**
   * The `pause job` row: a queued job becomes `paused` at once; a running one is flagged
   * (`pause_requested`) so that the instance running it aborts its token with `paused` (the `pause`
   * row then moves it to `paused`). A paused job is answered as it is; finished ones are left alone.
   */
  async requestPause({ id, owner }: JobScope & { id: string }): Promise<PauseOutcome> {
    if (!isJobId(id)) return { kind: 'not-found' }
    const sql = this.sql
    const [row] = await sql<(JobRow & { previous_state: JobState })[]>`
      with target as (
        select id, state from ${this.schema}.job_runner_jobs
        where id = ${id} ${ownedBy(sql, owner)}
        for update
      )
      update ${this.schema}.job_runner_jobs j
      set state = case when target.state = 'queued' then 'paused' else j.state end,
          pause_requested = target.state = 'running', updated_at = now()
      from target
      where j.id = target.id and target.state in ('queued', 'running')
      returning j.*, target.state as previous_state`
    if (row) return { kind: row.previous_state === 'queued' ? 'paused' : 'requested', job: toJob(row) }
    const job = await this.getJob({ id, owner })
    if (!job) return { kind: 'not-found' }
    return { kind: job.state === 'paused' ? 'already-paused' : 'finished', job }
  }

  /**
   * The `resume` row: a paused job goes back to `queued` with its checkpoint, keeping its `run_at`
   * (its place in line). A running job's pause request is withdrawn: if its token fired already,
   * the `pause` row sends it to `queued`. A queued job is answered as it is; finished ones are left alone.
   */
  async resumeJob({ id, owner }: JobScope & { id: string }): Promise<ResumeOutcome> {
    if (!isJobId(id)) return { kind: 'not-found' }
    const sql = this.sql
    const [row] = await sql<JobRow[]>`
      with target as (
        select id, state from ${this.schema}.job_runner_jobs
        where id = ${id} ${ownedBy(sql, owner)}
        for update
      )
      update ${this.schema}.job_runner_jobs j
      set state = case when target.state = 'paused' then 'queued' else j.state end,
          pause_requested = false, updated_at = now()
      from target
      where j.id = target.id and (target.state = 'paused' or (target.state = 'running' and j.pause_requested))
      returning j.*`
    if (row) return { kind: 'resumed', job: toJob(row) }
    const job = await this.getJob({ id, owner })
    if (!job) return { kind: 'not-found' }
    return { kind: FINISHED_STATE_SET.has(job.state) ? 'finished' : 'unchanged', job }
  }

  /**
   * The `replace` row: in one transaction, the job holding `job.idempotencyKey` for `owner` takes
   * the `cancel queued` row (cancelled now if queued or paused; flagged if running, so that its
   * runner aborts the token with `cancelled`) and gives up the key, and `job` is enqueued under it.
   * A finished job only gives up the key. `replaced` is the job that held the key, if any.
   */
  async replaceJob({ owner, job }: { owner: string; job: NewJob }): Promise<ReplacedJob> {
    const key = job.idempotencyKey
    if (key === null) throw new Error('replaceJob needs an idempotency key')
    return this.sql.begin(async (tx) => {
      const sql = tx as unknown as Sql
      const [target] = await sql<{ id: string; state: JobState }[]>`
        select id, state from ${this.schema}.job_runner_jobs where owner = ${owner} and idempotency_key = ${key} for update`
      let replaced: ReplacedJob['replaced'] = null
      if (target) {
        if ((CANCELLABLE_STATES as readonly JobState[]).includes(target.state)) {
          await sql`
            with target as (select ${target.id}::bigint as id, ${target.state}::text as state),
            moved as (
              update ${this.schema}.job_runner_jobs j
              set ${cancelWrite(sql)}
              from target
              where j.id = target.id
              returning ${movedColumns(sql)}
            )
            ${outboxFromMoved(sql, this.schema)}
            select id from moved`
        }
        const [row] = await sql<JobRow[]>`
          update ${this.schema}.job_runner_jobs set idempotency_key = null, request_hash = null, updated_at = now()
          where id = ${target.id}
          returning *`
        replaced = { job: toJob(row!), previousState: target.state }
      }
      const [enqueued] = await JobStore.within(tx, this.schemaName).enqueueJobs({ owner, jobs: [job] })
      return { job: enqueued!.job, replaced }
    }) as Promise<ReplacedJob>
  }

  /**
   * The `abandon` row: jobs that ignored their token until a stop's deadline. Their last checkpoint
   * is written and they go back to `queued` for any instance, but the attempt counts (a job that
   * never stops when asked is not refunded), so the last attempt ends in `failed`.
   */
  async abandonJobs({
    instanceId,
    jobs,
  }: {
    instanceId: string
    jobs: readonly JobSnapshot[]
  }): Promise<{ id: string; state: JobState }[]> {
    if (jobs.length === 0) return []
    const rows = await this.sql<({ id: string; state: JobState } & QueuedDeliveries)[]>`
      with x as materialized (select * from ${snapshotRows(this.sql, jobs)}),
      moved as (
      update ${this.schema}.job_runner_jobs j
      set state = case when j.attempts >= j.max_attempts then 'failed' else 'queued' end,
          finished_at = case when j.attempts >= j.max_attempts then now() end,
          error = 'abandoned: it ignored its token until the grace deadline',
          errors = ${appendError(
            this.sql,
            this.sql`jsonb_build_object('name', 'Abandoned', 'message',
                     'abandoned: it ignored its token until the grace deadline')`,
          )},
          interruptions = j.interruptions + 1,
          checkpoint = x.checkpoint, ${checkpointVersionFromX(this.sql)}, progress = coalesce(x.progress, j.progress), run_at = now(),
          started_at = coalesce(j.started_at, now()), updated_at = now(), lease_owner = null, lease_expires_at = null
      from x
      where j.id = any(array(select id from x)) and j.id = x.id and ${fenced(this.sql, instanceId)}
      returning ${movedColumns(this.sql)})
      ${outboxFromMoved(this.sql, this.schema)}
      select id, state, ${queuedDeliveries(this.sql)} from moved`
    this.noteDeliveries(rows)
    return rows.map((r) => ({ id: String(r.id), state: r.state }))
  }

  /**
   * The `cancel running` row: claimed jobs whose cancel was requested and that have now stopped.
   * One that ran keeps its attempt; one cancelled before its code ran (waiting in the local queue)
   * gets back the attempt its claim counted.
   */
  async markJobsCancelled({
    instanceId,
    jobs,
  }: {
    instanceId: string
    jobs: readonly Cancellation[]
  }): Promise<string[]> {
    if (jobs.length === 0) return []
    const rows = await this.sql<({ id: string } & QueuedDeliveries)[]>`
      with x as materialized (select * from jsonb_to_recordset(${this.sql.json(jobs as unknown as Json)}) as x(id bigint, attempt int, checkpoint jsonb, "checkpointVersion" int, progress jsonb, started boolean)),
      moved as (
      update ${this.schema}.job_runner_jobs j
      set state = 'cancelled', checkpoint = x.checkpoint, ${checkpointVersionFromX(this.sql)}, progress = coalesce(x.progress, j.progress),
          attempts = case when x.started then j.attempts else j.attempts - (j.started_at is not null)::int end,
          started_at = case when x.started then coalesce(j.started_at, now()) end,
          cancel_acknowledged_at = now(), pause_requested = false,
          finished_at = now(), updated_at = now(), lease_owner = null, lease_expires_at = null
      from x
      where j.id = any(array(select id from x)) and j.id = x.id and ${fenced(this.sql, instanceId)}
      returning ${movedColumns(this.sql)})
      ${outboxFromMoved(this.sql, this.schema)}
      select id, ${queuedDeliveries(this.sql)} from moved`
    this.noteDeliveries(rows)
    return rows.map((r) => String(r.id))
  }

  /**
   * Writes in-memory checkpoints and progress of running jobs, and records each changed checkpoint
   * in its job's history (src/queue/checkpointStore.ts), in the same statement.
   */
  async writeCheckpoints({
    instanceId,
    jobs,
  }: {
    instanceId: string
    jobs: readonly CheckpointWrite[]
  }): Promise<string[]> {
    if (jobs.length === 0) return []
    const sql = this.sql
    const rows = await sql<{ id: string }[]>`
      with x as materialized (
        select * from jsonb_to_recordset(${sql.json(jobs as unknown as Json)})
          as x(id bigint, attempt int, checkpoint jsonb, "checkpointVersion" int, progress jsonb, changed boolean)),
      written as (
        update ${this.schema}.job_runner_jobs j
        set checkpoint = x.checkpoint, ${checkpointVersionFromX(sql)}, progress = coalesce(x.progress, j.progress),
            updated_at = now(),
            ${countCheckpointWrite(sql, sql`coalesce(x.changed, true) and x.checkpoint is not null`)}
        from x
        where j.id = any(array(select id from x)) and j.id = x.id and ${fenced(sql, instanceId)}
        returning j.id, j.checkpoint, j.checkpoint_version, j.checkpoint_writes,
                  coalesce(x.changed, true) and x.checkpoint is not null as changed
      )
      ${historyFromWritten(sql, this.schema, 'run')}
      select id from written`
    return rows.map((r) => String(r.id))
  }

  /** Job `id`'s checkpoint with its entity tag (src/queue/checkpointStore.ts); undefined for no such job. */
  getCheckpoint(params: JobScope & { id: string }): Promise<StoredCheckpoint | undefined> {
    if (!isJobId(params.id)) return Promise.resolve(undefined)
    return readCheckpoint(this.sql, this.schema, params)
  }

  /**
   * An operator's compare-and-set of job `id`'s checkpoint on its entity tag, in one statement
   * (src/queue/checkpointStore.ts). Not a transition: the job stays in its state.
   */
  replaceCheckpoint(params: ReplaceCheckpointParams): Promise<ReplaceCheckpointOutcome> {
    if (!isJobId(params.id)) return Promise.resolve({ kind: 'not-found' })
    return replaceCheckpoint(this.sql, this.schema, params)
  }

  /** The last checkpoints of job `jobId`, newest first (src/queue/checkpointStore.ts); the caller checks the job is visible. */
  listCheckpointHistory(params: { jobId: string }): Promise<CheckpointHistoryEntry[]> {
    return listCheckpointHistory(this.sql, this.schema, params)
  }

  /**
   * The `cancel queued` row: cancels a queued job at once; flags a running one so that the instance
   * running it aborts its token (the `cancel running` row ends it). Finished jobs are left as they are.
   * In a caller's transaction (`within`): a schedule's `cancel-previous` fire, committed with the job
   * that replaces it.
   */
  async requestCancel({ id, owner }: JobScope & { id: string }): Promise<CancelOutcome> {
    if (!isJobId(id)) return { kind: 'not-found' }
    const sql = this.sql
    const [row] = await sql<(JobRow & { previous_state: JobState } & QueuedDeliveries)[]>`
      with target as (
        select id, state from ${this.schema}.job_runner_jobs
        where id = ${id} ${ownedBy(sql, owner)}
        for update
      ),
      moved as (
        update ${this.schema}.job_runner_jobs j
        set ${cancelWrite(sql)}
        from target
        where j.id = target.id and target.state in ${sql(CANCELLABLE_STATES)}
        returning j.*, target.state as previous_state
      )
      ${outboxFromMoved(sql, this.schema)}
      select *, ${queuedDeliveries(sql)} from moved`
    if (row) {
      this.noteDeliveries([row])
      return { kind: row.previous_state === 'running' ? 'requested' : 'cancelled', job: toJob(row) }
    }
    const job = await this.getJob({ id, owner })
    if (!job) return { kind: 'not-found' }
    return { kind: job.state === 'cancelled' ? 'already-cancelled' : 'finished', job }
  }

  /**
   * The `cancel queued` row for a batch of a bulk action, in the caller's transaction: `requestCancel`'s
   * write on every job of `ids` that is queued or running. The rows are locked in id order, as every
   * batched write of the table locks them, so two batches never wait on each other in a cycle.
   */
  async requestCancels({ ids, owner }: BatchParams): Promise<BatchedJob[]> {
    return this.moveBatch({ ids, owner }, cancelWrite(this.sql), CANCELLABLE_STATES)
  }

  /**
   * The batched form of a row: `write` on every job of `ids` (the caller's, unless admin) whose state
   * is one of `states`, the rows locked in id order. Answers every job found, moved or not, with
   * the state it was in.
   */
  private async moveBatch(
    { ids, owner }: BatchParams,
    write: PendingQuery<Row[]>,
    states: readonly JobState[],
  ): Promise<BatchedJob[]> {
    if (ids.length === 0) return []
    const sql = this.sql
    const rows = await sql<BatchedRow[]>`
      with target as materialized (
        select id, state, type, queue from ${this.schema}.job_runner_jobs
        where id = any(array(select jsonb_array_elements_text(${sql.json(ids as unknown as Json)})::bigint))
          ${ownedBy(sql, owner)}
        order by id
        for update
      ),
      moved as (
        update ${this.schema}.job_runner_jobs j
        set ${write}
        from target
        where j.id = target.id and target.state in ${sql(states)}
        returning ${movedColumns(sql)}
      )
      ${outboxFromMoved(sql, this.schema)}
      select t.id, t.type, t.queue, t.state as previous_state, m.id is not null as moved
      from target t left join moved m on m.id = t.id
      order by t.id`
    return rows.map(toBatchedJob)
  }

  /**
   * The `retry` row: a failed or cancelled job goes back to `queued`, by an operator's hand. Its
   * attempts and interruptions start again from zero (a job that failed for want of either could
   * not run otherwise), `retries` counts the retry, and a cancel flag left from a cancel is cleared.
   * Its error history stays. Any other state is left as it is and answered `not-retryable`.
   */
  async retryJob({ id, owner, from, runAt }: RetryParams): Promise<RetryOutcome> {
    if (!isJobId(id)) return { kind: 'not-found' }
    const sql = this.sql
    const [row] = await sql<JobRow[]>`
      with target as (
        select id, state from ${this.schema}.job_runner_jobs
        where id = ${id} ${ownedBy(sql, owner)}
        for update
      )
      update ${this.schema}.job_runner_jobs j
      set ${retryWrite(sql, { from, runAt })}
      from target
      where j.id = target.id and target.state in ${sql(RETRYABLE_STATES)}
      returning j.*`
    if (row) return { kind: 'retried', job: toJob(row) }
    const job = await this.getJob({ id, owner })
    return job ? { kind: 'not-retryable', job } : { kind: 'not-found' }
  }

  /**
   * The `retry` row for a batch of a bulk action, in the caller's transaction: `retryJob`'s write on
   * every job of `ids` that is failed or cancelled, from its checkpoint, runnable now. Rows are
   * locked in id order (see `requestCancels`).
   */
  async retryJobs({ ids, owner }: BatchParams): Promise<BatchedJob[]> {
    return this.moveBatch({ ids, owner }, retryWrite(this.sql, { from: 'checkpoint', runAt: null }), RETRYABLE_STATES)
  }

  /**
   * A new job copying the type and options of job `id` (an `enqueue` row), with `replay_of` naming
   * it; payload, queue, priority and runAt may be overridden. Undefined when `id` is not the
   * caller's. The caller validates the payload first: the type of a job never changes.
   */
  async replayJob({ id, owner, payload, queue, priority, runAt }: ReplayParams): Promise<OwnedJob | undefined> {
    if (!isJobId(id)) return undefined
    const sql = this.sql
    const [row] = await sql<JobRow[]>`
      insert into ${this.schema}.job_runner_jobs
        (owner, type, queue, payload, priority, max_attempts, max_interruptions, timeout_seconds, run_at, replay_of,
         concurrency_key)
      select o.owner, o.type, ${queue === undefined ? sql`o.queue` : sql`${queue}`},
             ${payload === undefined ? sql`o.payload` : sql`${sql.json(payload)}::jsonb`},
             ${priority === undefined ? sql`o.priority` : sql`${priority}::int`},
             o.max_attempts, o.max_interruptions, o.timeout_seconds,
             coalesce(${runAt?.toISOString() ?? null}::timestamptz, now()), o.id, o.concurrency_key
      from ${this.schema}.job_runner_jobs o
      where o.id = ${id} ${owner === undefined ? sql`` : sql`and o.owner = ${owner}`}
      returning *`
    return row && toJob(row)
  }

  /**
   * Extends the leases of the jobs this instance holds (`ids`: running, settling or waiting in its
   * local queue) and beats its heartbeat, in one round trip. Returns those whose lease it still
   * holds, with their cancel flag: the fallback path of cancellation, and (by absence) the jobs
   * another instance recovered. Only the named jobs are renewed. With `findStrays`, the jobs leased to
   * this instance that it did not name come back too, as `strays`: a claim or an enqueue that started
   * its jobs here committed while its answer was lost with the connection, or is still on its way.
   * The runner tells the two apart and hands the first back (src/runner/strayLeases.ts); unrenewed,
   * their lease expires otherwise, and the sweeper gives them back with the attempt counted.
   */
  async renewLeases({
    instanceId,
    leaseMs,
    ids,
    findStrays = false,
  }: {
    instanceId: string
    leaseMs: number
    ids: readonly string[]
    findStrays?: boolean
  }): Promise<RenewedLeases> {
    const named = this.sql`select jsonb_array_elements_text(${this.sql.json(ids as unknown as Json)})::bigint as id`
    const renew = (namedIds: PendingQuery<Row[]>) => this.sql`
      update ${this.schema}.job_runner_jobs
      set lease_expires_at = now() + ${leaseMs} * interval '1 millisecond'
      where id = any(array(${namedIds})) and lease_owner = ${instanceId} and state = 'running'
      returning id, cancel_requested, pause_requested`
    const heartbeat = this.sql`
      update ${this.schema}.job_runner_instances set heartbeat_at = now() where id = ${instanceId}`
    if (!findStrays) {
      const rows = await this.sql<{ id: string; cancel_requested: boolean; pause_requested: boolean }[]>`
        with heartbeat as (${heartbeat}) ${renew(named)}`
      return { renewed: rows.map(leaseFlags), strays: [] }
    }
    // Every job leased in the cluster is read, from the two lease indexes (migration 029), one arm
    // each: the plain claims' and starts here, and the limited claim's. Those not named are told
    // apart by `except`, which has no nested-loop plan: the planner reckons a hundred named jobs and
    // a few leased, and as `not exists` it joined them in a nested loop in two of four runs (about
    // 190 ms for 2,000 named, against 4 ms: bench/RESULTS.md, "The stray look's plan").
    const leasedHere = (held: PendingQuery<Row[]>) => this.sql`
      select id from ${this.schema}.job_runner_jobs
      where lease_expires_at is not null and ${held} and lease_owner = ${instanceId} and state = 'running'`
    const rows = await this.sql<
      {
        id: string
        cancel_requested: boolean
        pause_requested: boolean
        stray: boolean
        attempts: number | null
        queue: string | null
      }[]
    >`
      with heartbeat as (${heartbeat}),
      named as (${named}),
      renewed as (${renew(this.sql`select id from named`)}),
      unnamed as (
        (${leasedHere(this.sql`not claimed_limited`)} union all ${leasedHere(this.sql`claimed_limited`)})
        except all select id from named)
      select id, cancel_requested, pause_requested, false as stray, null::int as attempts, null::text as queue from renewed
      union all
      select id, false, false, true, attempts, queue from ${this.schema}.job_runner_jobs
      where id = any(array(select id from unnamed)) and lease_owner = ${instanceId} and state = 'running'`
    const renewed: RenewedLeases['renewed'] = []
    const strays: StrayLease[] = []
    for (const r of rows) {
      if (r.stray) strays.push({ id: String(r.id), attempt: r.attempts!, queue: r.queue! })
      else renewed.push(leaseFlags(r))
    }
    return { renewed, strays }
  }

  /**
   * Which of these claims still hold their job (running, leased to `instanceId`, under the attempt
   * the claim counted), their leases renewed: the runner's check of a claim that met its job's own
   * outcome write (RunnerGeneration.takeOnceSettled). No transition: only the lease moves.
   */
  async renewClaims({
    instanceId,
    leaseMs,
    claims,
  }: {
    instanceId: string
    leaseMs: number
    claims: readonly ClaimRef[]
  }): Promise<{ id: string; cancelRequested: boolean; pauseRequested: boolean }[]> {
    if (claims.length === 0) return []
    const rows = await this.sql<{ id: string; cancel_requested: boolean; pause_requested: boolean }[]>`
      update ${this.schema}.job_runner_jobs j
      set lease_expires_at = now() + ${leaseMs} * interval '1 millisecond'
      from ${claimRows(this.sql, claims)}
      where j.id = x.id and ${fenced(this.sql, instanceId)}
      returning j.id, j.cancel_requested, j.pause_requested`
    return rows.map(leaseFlags)
  }

  /**
   * What ended a claim, asked by its runner when an outcome write under it failed and a retry was
   * refused by the fence (`fenced`). The first try may have committed while its answer was lost with
   * the connection, and then the fence refuses the runner's own write. Only two things end a claim
   * of a job whose code ran: its runner's outcome write, and the `lease expired` row, which leaves its
   * trace in the job's error history (a `LeaseExpired` entry of the claim's attempt naming its
   * instance, `leaseExpiredMessage`). No transition: a read.
   *
   * Returns the state the runner's own write left the job in (`queued` when the job has been claimed
   * again since), or null when the lease expired and the sweep took the job (the outcome is lost), or
   * when the job is no longer stored or the claim still holds it.
   */
  async ownOutcomeLanded({ instanceId, claim }: { instanceId: string; claim: ClaimRef }): Promise<JobState | null> {
    const [row] = await this.sql<{ state: JobState; held: boolean; recovered: boolean }[]>`
      select state,
             (state = 'running' and lease_owner = ${instanceId} and attempts = ${claim.attempt}) as held,
             exists (select from jsonb_array_elements(errors) e
                     where e->>'name' = 'LeaseExpired' and (e->>'attempt')::int = ${claim.attempt}
                       and e->>'message' = ${leaseExpiredMessage(this.sql, this.sql`${instanceId}::uuid`)}) as recovered
      from ${this.schema}.job_runner_jobs
      where id = ${claim.id}`
    if (!row || row.held || row.recovered) return null
    return row.state === 'running' ? 'queued' : row.state
  }

  /**
   * The `lease expired` row: recovers jobs whose runner vanished (SIGKILL, a crash, a lost network, an
   * event loop blocked past the lease). Its claim counted the attempt, which stays used: the job goes
   * back to `queued` with its last written checkpoint, or to `failed` when that was its last attempt,
   * so a job that kills or blocks its runner cannot loop forever. (A row with no `started_at` was
   * claimed by an older version, which counted the attempt at a later start mark: nothing was counted,
   * and it keeps its place in line.) At most `limit` jobs of the plain claims and as many of the
   * limited claim's a call; the next sweep takes the rest.
   */
  async recoverExpiredLeases({ limit = 1000 }: { limit?: number } = {}): Promise<
    { id: string; queue: string; state: JobState; attempts: number }[]
  > {
    const lost = leaseExpiredMessage(this.sql, this.sql`j.lease_owner`)
    // Two scans, one per lease index (migration 029): the plain claims' jobs and the limited claim's.
    const expiredOf = (held: PendingQuery<Row[]>) => this.sql`
        select id from ${this.schema}.job_runner_jobs
        where state = 'running' and lease_expires_at < now() and ${held}
        order by lease_expires_at
        limit ${limit}
        for update skip locked`
    const rows = await this.sql<
      ({ id: string; queue: string; state: JobState; attempts: number } & QueuedDeliveries)[]
    >`
      with expired_plain as (${expiredOf(this.sql`not claimed_limited`)}),
      expired_limited as (${expiredOf(this.sql`claimed_limited`)}),
      expired as (select id from expired_plain union all select id from expired_limited),
      moved as (
      update ${this.schema}.job_runner_jobs j
      set state = case when j.started_at is not null and j.attempts >= j.max_attempts then 'failed' else 'queued' end,
          finished_at = case when j.started_at is not null and j.attempts >= j.max_attempts then now() end,
          run_at = case when j.started_at is null then j.run_at else now() end,
          updated_at = now(),
          error = case when j.started_at is null then j.error else ${lost} end,
          errors = case when j.started_at is null then j.errors
                        else ${appendError(
                          this.sql,
                          this.sql`jsonb_build_object('name', 'LeaseExpired',
                               'message', ${lost})`,
                        )} end,
          lease_owner = null, lease_expires_at = null
      from expired
      where j.id = expired.id
      returning ${movedColumns(this.sql)})
      ${outboxFromMoved(this.sql, this.schema)}
      select id, queue, state, attempts, ${queuedDeliveries(this.sql)} from moved`
    this.noteDeliveries(rows)
    return rows.map((r) => ({ id: String(r.id), queue: r.queue, state: r.state, attempts: r.attempts }))
  }

  /**
   * The `expire` row: queued jobs whose `expires_at` has passed become `expired` (finished, with an
   * error saying so). The claims never start such a job (they skip it); this sweep, run by every
   * instance, marks them, oldest deadline first, skipping rows another sweep or a cancel holds.
   */
  async expireJobs({ limit = 1000 }: { limit?: number } = {}): Promise<{ id: string; type: string; queue: string }[]> {
    const rows = await this.sql<({ id: string; type: string; queue: string } & QueuedDeliveries)[]>`
      with due as (
        select id from ${this.schema}.job_runner_jobs
        where state = 'queued' and expires_at is not null and expires_at <= now()
        order by expires_at
        limit ${limit}
        for update skip locked
      ),
      moved as (
        update ${this.schema}.job_runner_jobs j
        set state = 'expired', finished_at = now(), updated_at = now(),
            error = 'expired: not started by ' || to_char(j.expires_at at time zone 'UTC', ${ISO_TIMESTAMP})
        from due
        where j.id = due.id
        returning ${movedColumns(this.sql)}
      )
      ${outboxFromMoved(this.sql, this.schema)}
      select id, type, queue, ${queuedDeliveries(this.sql)} from moved`
    this.noteDeliveries(rows)
    return rows.map((r) => ({ id: String(r.id), type: r.type, queue: r.queue }))
  }

  /**
   * When the next queued jobs of `queues` enqueued for later become due (milliseconds since the
   * epoch, soonest first, distinct): read once when a runner starts, so that it wakes for them. The
   * claim index has no `run_at` order across priorities, so this reads every future job of the
   * queues; it is not on any hot path.
   */
  async upcomingRunTimes({ queues, limit }: { queues: readonly string[]; limit: number }): Promise<number[]> {
    const rows = await this.sql<{ at: string }[]>`
      select distinct (extract(epoch from run_at) * 1000)::float8 as at from ${this.schema}.job_runner_jobs
      where state = 'queued' and queue = any(string_to_array(${queues.join(',')}, ',')) and run_at > now()
      order by at
      limit ${limit}`
    return rows.map((r) => Number(r.at))
  }

  async registerInstance(instance: InstanceInfo): Promise<void> {
    await this.sql`
      insert into ${this.schema}.job_runner_instances (id, hostname, pid, queues)
      values (${instance.id}, ${instance.hostname}, ${instance.pid}, string_to_array(${instance.queues.join(',')}, ','))
      on conflict (id) do update set heartbeat_at = now()`
  }

  async deregisterInstance({ instanceId }: { instanceId: string }): Promise<void> {
    await this.sql`delete from ${this.schema}.job_runner_instances where id = ${instanceId}`
  }

  /**
   * Forgets instances whose heartbeat stopped `silentForMs` ago (their jobs are recovered by lease
   * expiry), and counts those that beat within `liveWithinMs`: the instances sharing the cluster's
   * maintenance (src/runner/clusterPace.ts).
   */
  async pruneInstances({
    silentForMs,
    liveWithinMs,
  }: {
    silentForMs: number
    liveWithinMs: number
  }): Promise<{ pruned: number; live: number }> {
    const [row] = await this.sql<{ pruned: number; live: number }[]>`
      with pruned as (
        delete from ${this.schema}.job_runner_instances where heartbeat_at < now() - ${silentForMs} * interval '1 millisecond'
        returning id
      )
      select (select count(*) from pruned)::int as pruned,
             (select count(*) from ${this.schema}.job_runner_instances
              where heartbeat_at >= now() - ${liveWithinMs} * interval '1 millisecond')::int as live`
    return row!
  }

  /**
   * Reads the next `window` jobs in id order after `afterId` and deletes those that finished more
   * than `olderThanMs` ago (their owner listings go with them: migration 004's trigger). There is no
   * index of finished jobs to read instead (migration 005: its entry cost every outcome write): ids
   * follow creation, so the oldest jobs come first, and once a window holds a job created after the
   * cutoff nothing beyond it can be old enough (`reachedRecent`; the caller starts again from the
   * beginning next time). `lastId` is where the next window starts, or null when it read nothing.
   */
  async pruneFinishedJobs({
    olderThanMs,
    afterId,
    window,
  }: {
    olderThanMs: number
    afterId: string
    window: number
  }): Promise<PruneWindow> {
    const [row] = await this.sql<{ pruned: number; last_id: string | null; reached_recent: boolean | null }[]>`
      with cutoff as materialized (select now() - ${olderThanMs} * interval '1 millisecond' as at),
      scanned as materialized (
        select id, state, finished_at, created_at from ${this.schema}.job_runner_jobs
        where id > ${afterId}
        order by id
        limit ${window}
      ),
      pruned as (
        delete from ${this.schema}.job_runner_jobs j
        where j.id = any(array(
          -- Only the finished candidates are locked (another instance's pruner skips them); a
          -- finished job never changes again, so no runner waits on these locks.
          select c.id from ${this.schema}.job_runner_jobs c
          where c.id = any(array(
            select s.id from scanned s, cutoff
            where s.state in ('succeeded', 'failed', 'cancelled', 'expired') and s.finished_at < cutoff.at))
          for update skip locked))
        returning j.id
      ),
      -- Their log lines go with them (migration 014: no foreign key, so that a job's delete or a
      -- truncate of the jobs never waits on its lines).
      pruned_logs as (
        delete from ${this.schema}.job_runner_job_logs l where l.job_id = any(array(select id from pruned))
      ),
      -- And their checkpoint history (migration 021), for the same reason.
      pruned_checkpoints as (
        delete from ${this.schema}.job_runner_checkpoint_history h where h.job_id = any(array(select id from pruned))
      )
      select (select count(*)::int from pruned) as pruned,
             (select max(id)::text from scanned) as last_id,
             (select bool_or(s.created_at >= cutoff.at) from scanned s, cutoff) as reached_recent`
    return { pruned: row!.pruned, lastId: row!.last_id, reachedRecent: row!.reached_recent ?? false }
  }

  /**
   * How many jobs each queue holds in each state: the queue depth of `/metrics` (read at scrape
   * time) and of the dashboard. Pairs with no job are left out.
   */
  async countJobsByQueueAndState(): Promise<{ queue: string; state: JobState; count: number }[]> {
    const rows = await this.sql<{ queue: string; state: JobState; count: string }[]>`
      select queue, state, count(*) as count from ${this.schema}.job_runner_jobs group by queue, state order by queue, state`
    return rows.map((r) => ({ queue: r.queue, state: r.state, count: Number(r.count) }))
  }

  /** Jobs' own log lines, appended and trimmed in batches (src/queue/jobLogStore.ts). */
  async appendJobLogs(lines: readonly NewJobLogLine[]): Promise<void> {
    await appendJobLogs(this.sql, this.schema, lines)
    if (lines.length > 0) this.options.onJobLogsAppended?.([...new Set(lines.map((line) => line.jobId))])
  }

  /** Each job's lines after a line id, for the event streams (src/queue/jobLogStore.ts). */
  listJobLogsAfter(params: {
    after: readonly { jobId: string; afterId: string }[]
    limitPerJob: number
  }): Promise<StreamedJobLogLine[]> {
    return listJobLogsAfter(this.sql, this.schema, params)
  }

  /** An owner's jobs' lines after a line id: a stream of many jobs' catch-up (src/queue/jobLogStore.ts). */
  listOwnerJobLogsAfter(params: JobScope & { afterId: string; limit: number }): Promise<StreamedJobLogLine[]> {
    return listOwnerJobLogsAfter(this.sql, this.schema, params)
  }

  /**
   * Where a new stream of many jobs starts: the newest log line id of any job ('0' when none) and
   * the database's clock as a version, so that its first ids resume from now, not from the start.
   */
  async eventStreamStart(): Promise<{ logId: string; version: string }> {
    const [row] = await this.sql<{ logId: string; version: string }[]>`
      select (select coalesce(max(id), 0) from ${this.schema}.job_runner_job_logs)::text as "logId",
        to_char(now() at time zone 'UTC', ${VERSION_FORMAT}) as version`
    return row!
  }

  /** A page of a job's log lines after a line id (src/queue/jobLogStore.ts); the caller checks the job is visible. */
  listJobLogs(params: { jobId: string; afterId?: string; limit: number }): Promise<JobLogLine[]> {
    return listJobLogs(this.sql, this.schema, params)
  }

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
  async refreshStatistics({ tables }: { tables: readonly string[] }): Promise<string[]> {
    const sizes = await this.sql<{ table: string; oid: number; stale: boolean }[]>`
      select t.table, c.oid, (c.relpages = 0 and p.pages > 0) or p.pages > c.relpages * 2 + 8 or p.pages < c.relpages / 2 as stale
      from jsonb_array_elements_text(${this.sql.json(tables as unknown as Json)}) as t("table")
      join pg_class c on c.oid = to_regclass(quote_ident(${this.schemaName}) || '.' || quote_ident(t.table))
      cross join lateral (select pg_relation_size(c.oid) / current_setting('block_size')::int as pages) p`
    const analyzed: string[] = []
    for (const { table, oid } of sizes.filter((size) => size.stale)) {
      const ran = await this.sql.begin(async (tx) => {
        const [lock] = await tx<{ taken: boolean }[]>`
          select pg_try_advisory_xact_lock(hashtext('job_runner.analyze'), hashtext(${`${this.schemaName}.${table}`})) as taken`
        if (!lock?.taken) return false
        const relpages = () => tx<{ pages: number }[]>`select relpages as pages from pg_class where oid = ${oid}`
        const [before] = await relpages()
        await tx`analyze ${this.schema}.${tx(table)}`
        // A role that does not own the table is only warned ("skipping"): the statistics stay as they
        // were, and saying so keeps the keeper backing off instead of asking again every second.
        const [after] = await relpages()
        return before?.pages !== after?.pages
      })
      if (ran) analyzed.push(table)
    }
    return analyzed
  }

  /** Cheap liveness check for `/readyz`. */
  async ping(): Promise<void> {
    await this.sql`select 1`
  }

  /**
   * The queues that live instances serve, with how many serve each: an instance is live while its
   * heartbeat (beaten with every lease renewal) is younger than `liveWithinMs`. A drained or
   * stopped instance has deregistered, so it serves nothing.
   */
  async servedQueues({ liveWithinMs }: { liveWithinMs: number }): Promise<{ queue: string; instances: number }[]> {
    return this.sql<{ queue: string; instances: number }[]>`
      select q.name as queue, count(*)::int as instances
      from ${this.schema}.job_runner_instances i, unnest(i.queues) as q(name)
      where i.heartbeat_at > now() - ${liveWithinMs} * interval '1 millisecond'
      group by q.name`
  }

  /**
   * Jobs per queue and state (and how many queued ones wait for a future `run_at`), with a bounded
   * number of rows whatever queue names clients sent: the `named` queues, plus the
   * `undeclaredLimit` other queues holding the most queued or running jobs, each on its own rows;
   * every other queue is summed into rows whose `queue` is null (`otherQueues` says how many
   * queues those are, on every row). Pairs with no job are left out.
   */
  async countJobsByQueueBounded({
    named,
    undeclaredLimit,
  }: {
    named: readonly string[]
    undeclaredLimit: number
  }): Promise<{ queue: string | null; state: JobState; count: number; scheduled: number; otherQueues: number }[]> {
    type Row = { queue: string | null; state: JobState; count: number; scheduled: number; other_queues: number }
    // Queue names hold no comma (see the class comment), so the list travels as one string.
    const rows = await this.sql<Row[]>`
      with named as materialized (
        select unnest(string_to_array(${named.join(',')}, ',')) as queue
      ),
      counts as materialized (
        select queue, state, count(*) as count,
               count(*) filter (where state = 'queued' and run_at > statement_timestamp()) as scheduled
        from ${this.schema}.job_runner_jobs
        group by queue, state
      ),
      shown as (
        select c.queue from counts c
        where c.queue not in (select queue from named)
        group by c.queue
        order by sum(c.count) filter (where c.state in ('queued', 'running')) desc nulls last, c.queue
        limit ${undeclaredLimit}
      )
      select case when c.queue in (select queue from named) or c.queue in (select queue from shown)
                  then c.queue end as queue,
             c.state, sum(c.count)::int as count, sum(c.scheduled)::int as scheduled,
             (select count(distinct o.queue)::int from counts o
              where o.queue not in (select queue from named)
                and o.queue not in (select queue from shown)) as other_queues
      from counts c
      group by 1, c.state`
    return rows.map(({ other_queues, ...row }) => ({ ...row, otherQueues: other_queues }))
  }

  /**
   * Publishes live progress reports to the other instances (`JOB_PROGRESS_CHANNEL`), one
   * notification per payload: callers keep each under PostgreSQL's 8,000-byte limit.
   */
  async notifyProgress({ payloads }: { payloads: readonly string[] }): Promise<void> {
    if (payloads.length === 0) return
    await this.sql`
      select pg_notify(${this.progressChannel}, p)
      from jsonb_array_elements_text(${this.sql.json(payloads as unknown as Json)}) as x(p)`
  }
}

/** A job with the version of its row (`getVersionedJobs`). */
export interface VersionedJob {
  job: OwnedJob
  version: string
}

/** `j.updated_at` as a version: fixed-width UTC digits to the microsecond, ordered as text. */
function versionOfJ(sql: Sql): PendingQuery<Row[]> {
  return sql`to_char(j.updated_at at time zone 'UTC', ${VERSION_FORMAT})`
}
const VERSION_FORMAT = 'YYYYMMDDHH24MISSUS'

function toVersionedJob({ version, ...row }: JobRow & { version: string }): VersionedJob {
  return { job: toJob(row), version }
}

/** The rows of the transition table (see the header), each the name of the statement that performs it. */
export const JOB_TRANSITIONS = {
  enqueue: 'enqueueJobs',
  startHere: 'enqueueJobs',
  claim: ['claimJobs', 'claimLimitedJobs'],
  release: 'releaseJobs',
  complete: 'completeJobs',
  fail: 'failJobs',
  interrupt: 'requeueInterruptedJobs',
  pause: 'requeuePausedJobs',
  yield: 'requeueYieldedJobs',
  pauseJob: 'requestPause',
  resume: 'resumeJob',
  replace: 'replaceJob',
  abandon: 'abandonJobs',
  cancelRunning: 'markJobsCancelled',
  cancelQueued: ['requestCancel', 'requestCancels'],
  leaseExpired: 'recoverExpiredLeases',
  expire: 'expireJobs',
  retry: ['retryJob', 'retryJobs'],
} as const satisfies Record<string, keyof JobStore | readonly (keyof JobStore)[]>

/** The states the `cancel queued` row moves (or flags), and those the `retry` row moves. */
export const CANCELLABLE_STATES = ['queued', 'running', 'paused'] as const satisfies readonly JobState[]
export const RETRYABLE_STATES = ['failed', 'cancelled'] as const satisfies readonly JobState[]

/**
 * The write of the `cancel queued` row, on `j` with its locked `target`: a queued job is cancelled
 * now, a running one only flagged (its runner aborts its token with `cancelled`).
 */
function cancelWrite(sql: Sql): PendingQuery<Row[]> {
  return sql`state = case when target.state in ('queued', 'paused') then 'cancelled' else j.state end,
          finished_at = case when target.state in ('queued', 'paused') then now() else j.finished_at end,
          cancel_requested = true, cancel_requested_at = coalesce(j.cancel_requested_at, now()),
          cancel_acknowledged_at = case when target.state in ('queued', 'paused') then now() else j.cancel_acknowledged_at end,
          pause_requested = false, updated_at = now()`
}

/** The write of the `retry` row, on `j`: queued again with attempts and interruptions from zero. */
function retryWrite(sql: Sql, { from, runAt }: Pick<RetryParams, 'from' | 'runAt'>): PendingQuery<Row[]> {
  const fromStart = from === 'start'
  return sql`state = 'queued', attempts = 0, interruptions = 0, retries = j.retries + 1,
          run_at = coalesce(${runAt?.toISOString() ?? null}::timestamptz, now()),
          started_at = null, finished_at = null, cancel_requested = false, result = null, updated_at = now(),
          cancel_requested_at = null, cancel_acknowledged_at = null, pause_requested = false,
          checkpoint = case when ${fromStart} then null else j.checkpoint end,
          progress = case when ${fromStart} then null else j.progress end`
}

/**
 * The write of the `pause` and `yield` rows, on `j` with the runner's snapshot `x`: the attempt given
 * back, no interruption counted, the checkpoint written. The job goes to `cancelled` when a cancel
 * came after its token fired (the first reason wins there, and a paused job would never be claimed
 * to hear of the cancel), to `paused` when it was asked to pause, and to `queued` otherwise.
 */
function stoppedWrite(sql: Sql): PendingQuery<Row[]> {
  return sql`state = case when j.cancel_requested then 'cancelled' when j.pause_requested then 'paused' else 'queued' end,
          finished_at = case when j.cancel_requested then now() end,
          cancel_acknowledged_at = case when j.cancel_requested then now() else j.cancel_acknowledged_at end,
          attempts = greatest(j.attempts - 1, 0), pause_requested = false,
          checkpoint = x.checkpoint, ${checkpointVersionFromX(sql)}, progress = coalesce(x.progress, j.progress),
          started_at = coalesce(j.started_at, now()), updated_at = now(), lease_owner = null, lease_expires_at = null`
}

const FINISHED_STATE_SET: ReadonlySet<JobState> = new Set(FINISHED_STATES)

/** `and owner = …` for a caller's own jobs; nothing for an admin (`owner` undefined). */
function ownedBy(sql: Sql, owner: string | undefined): PendingQuery<Row[]> {
  return owner === undefined ? sql`` : sql`and owner = ${owner}`
}

type BatchedRow = { id: string; type: string; queue: string; previous_state: JobState; moved: boolean }

function toBatchedJob(row: BatchedRow): BatchedJob {
  return { id: String(row.id), type: row.type, queue: row.queue, previousState: row.previous_state, moved: row.moved }
}

/**
 * `j.errors` with `entry` appended (its attempt and time taken from the row being written), the
 * oldest dropped past `MAX_ERROR_HISTORY`. Every statement that writes a failure appends through it.
 */
function appendError(sql: Sql, entry: PendingQuery<Row[]>): PendingQuery<Row[]> {
  return sql`(case when jsonb_array_length(j.errors) >= ${MAX_ERROR_HISTORY} then j.errors - 0 else j.errors end)
    || jsonb_build_array(
         jsonb_build_object('attempt', j.attempts, 'at', to_char(now() at time zone 'UTC', ${ISO_TIMESTAMP})) || ${entry})`
}

/**
 * The error a lease recovery writes, naming the instance whose lease expired (`owner`, a uuid): the
 * `lease expired` row's, and what `ownOutcomeLanded` looks for in the history.
 */
function leaseExpiredMessage(sql: Sql, owner: PendingQuery<Row[]>): PendingQuery<Row[]> {
  return sql`('runner lost: the lease of instance ' || coalesce(${owner}::text, '?') || ' expired')`
}

/** A failed attempt's entry within the history's bounds (UTF-8 bytes, cut on a character boundary). */
export function boundedFailedAttempt({ message, name, stack }: FailedAttempt): FailedAttempt {
  return {
    message: truncateUtf8(message, MAX_ERROR_MESSAGE_BYTES),
    name: truncateUtf8(name, 200),
    ...(stack === undefined ? {} : { stack: truncateUtf8(stack, MAX_ERROR_STACK_BYTES) }),
  }
}

function truncateUtf8(text: string, maxBytes: number): string {
  const bytes = Buffer.from(text, 'utf8')
  if (bytes.length <= maxBytes) return text
  // Dropping a partial character at the cut leaves a U+FFFD, which the trim removes.
  return bytes
    .subarray(0, maxBytes)
    .toString('utf8')
    .replace(/\uFFFD+$/, '')
}

/** Snapshots as rows `x(id, attempt, checkpoint, progress)`: what the interrupt, pause, yield and abandon writes read. */
function snapshotRows(sql: Sql, jobs: readonly JobSnapshot[]): PendingQuery<Row[]> {
  return sql`jsonb_to_recordset(${sql.json(jobs as unknown as Json)})
    as x(id bigint, attempt int, checkpoint jsonb, "checkpointVersion" int, progress jsonb)`
}

/** Claims as rows `x(id, attempt)`, for `fenced`. */
function claimRows(sql: Sql, claims: readonly ClaimRef[]): PendingQuery<Row[]> {
  return sql`jsonb_to_recordset(${sql.json(claims as unknown as Json)}) as x(id bigint, attempt int)`
}

/** The version of the checkpoint a runner writes (`x."checkpointVersion"`), the stored one when it sent none. */
function checkpointVersionFromX(sql: Sql): PendingQuery<Row[]> {
  return sql`checkpoint_version = coalesce(x."checkpointVersion", j.checkpoint_version)`
}

/** A renewed lease's flags, as `renewLeases` and `renewClaims` answer them. */
function leaseFlags(row: { id: string; cancel_requested: boolean; pause_requested: boolean }) {
  return { id: String(row.id), cancelRequested: row.cancel_requested, pauseRequested: row.pause_requested }
}

/**
 * The lease fence every runner write carries, its rows `x` naming the claim (`ClaimRef`): the job
 * still runs, `instanceId` still holds its lease, and under the same claim (`attempts` moves with
 * every claim, and a lost lease keeps the attempt it counted, so a claim after a recovery never has
 * the attempt of the one before). A write of a run whose lease was lost writes nothing, even when
 * this same instance has claimed the job again since. (A job failed by a recovery and retried by
 * hand starts counting from zero again: a write stalled through all of that and as many new claims
 * could pass. It lands as soon as the database answers, long before.)
 */
function fenced(sql: Sql, instanceId: string): PendingQuery<Row[]> {
  // Built once per lease owner, one per runner generation, and reused (see src/queue/outbox.ts on why).
  const owners = cached(fencesOf, sql, () => new Map<string, PendingQuery<Row[]>>())
  if (owners.size >= 16 && !owners.has(instanceId)) owners.clear()
  return cached(
    owners,
    instanceId,
    () => sql`j.lease_owner = ${instanceId} and j.attempts = x.attempt and j.state = 'running'`,
  )
}
const fencesOf = new WeakMap<Sql, Map<string, PendingQuery<Row[]>>>()

/**
 * The PostgreSQL channel that carries live progress between instances (src/observability/progressRelay.ts),
 * named in the service's schema (src/db/channelName.ts).
 */
export const JOB_PROGRESS_CHANNEL = 'jobProgress'

/** Ids are bigint identities; anything else cannot name a job (and must not reach SQL as a bigint). */
export function isJobId(id: string): boolean {
  return /^[1-9][0-9]{0,17}$/.test(id)
}

/**
 * The claim's order (priority, run_at, id), in which a claim's jobs are handed to the runner: a job
 * that yielded its slice (run_at now) goes behind the jobs that waited, even those enqueued after it.
 * Both claims return `run_at` as `ISO_TIMESTAMP` text (`runAt`), which sorts as it compares.
 */
function inClaimOrder(a: ClaimedJob, b: ClaimedJob): number {
  const [x, y] = [a.runAt, b.runAt]
  return a.priority - b.priority || (x < y ? -1 : x > y ? 1 : 0) || compareIds(a.id, b.id)
}

/** Orders ids as numbers without parsing them: they are digit strings with no leading zero, so the shorter is the smaller. */
function compareIds(a: string | number, b: string | number): number {
  const x = String(a)
  const y = String(b)
  return x.length - y.length || (x < y ? -1 : x > y ? 1 : 0)
}
