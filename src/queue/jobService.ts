/**
 * The queue as the HTTP routes (and the CLI) use it: enqueue with validation against the job's
 * schema and defaults, read, list, cancel, and wait for a change. It knows nothing of HTTP and
 * nothing of which database runs; errors are domain errors that the app maps to problem+json.
 */
import { createHash } from 'node:crypto'
import type { JobRegistry, PayloadProblem } from '../../jobs/registry.js'
import { Doorbell } from '../support/doorbell.js'
import { withTimeout } from '../support/withTimeout.js'
import { TypedEmitter } from '../runner/events.js'
import { MAX_CONCURRENCY_KEY_BYTES, type JobCallback, type Json, type JobState, type OwnedJob } from './job.js'
import { webhookUrlProblem } from '../webhooks/webhookUrl.js'
import type { JobLogLine, StreamedJobLogLine } from './jobLogStore.js'
import type { Notifier } from './notifier.js'
import type {
  CancelOutcome,
  ClaimedJob,
  EnqueuedJob,
  JobScope,
  JobStore,
  NewJob,
  PauseOutcome,
  ResumeOutcome,
  RetryOutcome,
  VersionedJob,
} from './store.js'
import { EnqueueBatches } from './enqueueBatches.js'
import type { LocalStarts } from '../runner/localStarts.js'
import { CheckpointService } from './checkpointService.js'
import { CANCELLABLE_STATES } from './store.js'
import { parseTimestamp, TIMESTAMP_RANGE } from './timestamp.js'

export interface EnqueueRequest {
  type: string
  payload?: Json
  queue?: string
  priority?: number
  runAt?: string
  maxAttempts?: number
  timeoutSeconds?: number
  idempotencyKey?: string
  /** Counted under its type's `concurrency.perKey` limit; at most `MAX_CONCURRENCY_KEY_BYTES`. */
  concurrencyKey?: string
  /** Not started by then, it is `expired`. Give this or `ttlSeconds`, not both. */
  expiresAt?: string
  /** `expiresAt` as seconds from the enqueue. */
  ttlSeconds?: number
  /** A completion webhook for this job alone (src/webhooks/). */
  callback?: JobCallback
  /**
   * With `idempotencyKey`: the key's job is cancelled if still queued, paused or running, and this
   * one enqueued under the key instead, atomically (`JobStore.replaceJob`). Not part of the hash.
   */
  replace?: boolean
}

/** What a job's own callback needs: the URL policy, and a secret to sign it with (WEBHOOK_SECRET). */
export interface CallbackPolicy {
  allowHttp: boolean
  signingSecretSet: boolean
}

/** A job the service refuses to store: unknown type or a payload that fails the type's schema. */
export class InvalidJobError extends Error {
  override name = 'InvalidJobError'
  constructor(
    message: string,
    readonly problems: readonly (PayloadProblem & { index?: number })[] = [],
  ) {
    super(message)
  }
}

export interface RetryRequest {
  from?: 'checkpoint' | 'start'
  runAt?: string
}

/** What a replay may change of the job it copies. */
export interface ReplayRequest {
  payload?: Json
  queue?: string
  priority?: number
  runAt?: string
}

/** A job whose cancel committed, and the state it was in: queued (now cancelled) or running (flagged). */
export interface CancelledJob extends Pick<OwnedJob, 'id' | 'type' | 'queue'> {
  previousState: JobState
}

export interface JobServiceEvents {
  /** Jobs newly stored (replays of an idempotency key are not new). Metrics count them here. */
  'jobs:enqueued': { jobs: readonly OwnedJob[] }
  /** A queued job cancelled at once (a running one settles through the runner instead). */
  'job:cancelled': { job: Pick<OwnedJob, 'id' | 'type' | 'queue'> }
}

/**
 * Turns stored jobs into the jobs the API shows (live progress, wait reasons):
 * src/observability/jobSignals.ts. It never rejects and bounds its own waits.
 */
export type JobView = (jobs: readonly OwnedJob[]) => Promise<OwnedJob[]>

export class JobService {
  readonly events = new TypedEmitter<JobServiceEvents>()
  /** Group commit of single, key-less enqueues (one per HTTP request). */
  private readonly singles: EnqueueBatches
  /** Jobs' checkpoints as a resource: read, replace with a compare-and-set, history (issue 23). */
  readonly checkpoints: CheckpointService

  constructor(
    private readonly store: JobStore,
    private readonly registry: JobRegistry,
    private readonly notifier: Notifier,
    private readonly view: JobView = async (jobs) => [...jobs],
    private readonly callbacks: CallbackPolicy = { allowHttp: false, signingSecretSet: false },
    /** This instance's runner, which may take new jobs at once (src/runner/localStarts.ts); none: every job is queued. */
    private readonly localStarts: () => LocalStarts | undefined = () => undefined,
  ) {
    // One deadline a statement, not one a request: a timer per group-commit batch. A request queued
    // behind batches in flight waits for them first, so its wait is bounded by twice STORE_TIMEOUT_MS.
    this.checkpoints = new CheckpointService(store, registry, notifier)
    this.singles = new EnqueueBatches({ enqueueJobs: (batch) => this.insert(batch) })
  }

  /** Validates every job first, then stores all of them in one statement, or none. */
  async enqueue({
    owner,
    jobs,
    traceparent = null,
  }: {
    owner: string
    jobs: readonly EnqueueRequest[]
    /** The enqueue's trace (W3C traceparent), stored with every job; not part of the request's hash. */
    traceparent?: string | null
  }): Promise<EnqueuedJob[]> {
    jobs.forEach((request, index) => refuseReservedKey(request.idempotencyKey, jobs.length > 1 ? index : undefined))
    const replacing = jobs.length === 1 && jobs[0]!.replace === true
    if (replacing && jobs[0]!.idempotencyKey === undefined) {
      throw new InvalidJobError('replace: true needs an Idempotency-Key: it replaces the job holding that key', [
        { pointer: '/replace', message: 'needs an Idempotency-Key header' },
      ])
    }
    const rows = jobs.map((request, index) => this.toNewJob(request, jobs.length > 1 ? index : undefined, traceparent))
    if (replacing) return this.viewEnqueued([await this.replace(owner, rows[0]!)])
    const single = rows.length === 1 && rows[0]!.idempotencyKey === null ? rows[0]! : undefined
    // A single job is announced with the rest of its group-commit batch, once per batch.
    if (single) return this.viewEnqueued([await this.singles.enqueue(owner, single)])
    return this.viewEnqueued(await this.insert({ owner, jobs: rows }))
  }

  /**
   * The `replace` row: the key's job cancelled (a running one told to abort its token with
   * `cancelled`, on whichever instance runs it) and `job` enqueued under the key, in one transaction.
   */
  private async replace(owner: string, job: NewJob): Promise<EnqueuedJob> {
    const { job: fresh, replaced } = await answersInTime(this.store.replaceJob({ owner, job }))
    if (replaced && (CANCELLABLE_STATES as readonly JobState[]).includes(replaced.previousState)) {
      const { id, type, queue } = replaced.job
      await this.announceCancels([{ id, type, queue, previousState: replaced.previousState }])
    }
    const enqueued = { job: fresh, replayed: false }
    this.announce([enqueued])
    return enqueued
  }

  /**
   * Stores `jobs` in one statement and announces them (`announce`), before any caller is answered.
   * The database announces their queue to every listening instance (migrations 007 and 026), this
   * one too: whichever of that notice and the statement's answer comes first wakes this instance's
   * runner, the other does not (src/queue/ownEchoes.ts). That holds for a batch of one queue, the
   * usual one; a notice naming several queues is packed by the database in its own order, and wakes
   * this instance once more.
   */
  private async insert(batch: { owner: string; jobs: readonly NewJob[] }): Promise<EnqueuedJob[]> {
    const queue = batch.jobs[0]?.queue
    const notice =
      queue !== undefined && batch.jobs.every((job) => job.queue === queue)
        ? this.notifier.awaitNotice('jobsAvailable', queue)
        : undefined
    const reservation = batch.jobs.every((job) => job.idempotencyKey === null)
      ? this.localStarts()?.reserveStarts(batch.jobs)
      : undefined
    const inserting = this.store.enqueueJobs(reservation ? { ...batch, startHere: reservation } : batch)
    // The runner hears of the statement's end, not of the caller's wait: one that answers past its
    // deadline has still claimed its jobs here, and they must run rather than wait for their lease to expire.
    if (reservation)
      inserting.then((inserted) => reservation.accept(startedHere(inserted, batch.jobs)), reservation.cancel)
    let enqueued: EnqueuedJob[]
    try {
      enqueued = await answersInTime(inserting)
    } catch (error) {
      notice?.forget()
      throw error
    }
    // A batch of replays only inserted nothing, and the database announced nothing.
    const announced = enqueued.some(insertedQueued)
    if (!announced) notice?.forget()
    this.announce(enqueued, { woken: announced && notice?.answered() === true })
    return enqueued
  }

  /** The view bounds its own waits (it must not fail an enqueue that committed), so no timer per call here. */
  private async viewEnqueued(enqueued: readonly EnqueuedJob[]): Promise<EnqueuedJob[]> {
    const jobs = await this.view(enqueued.map((e) => e.job))
    return enqueued.map((e, i) => ({ ...e, job: jobs[i]! }))
  }

  private async viewOne(job: OwnedJob | undefined): Promise<OwnedJob | undefined> {
    return job && (await this.view([job]))[0]
  }

  /**
   * A request checked against its type's schema and completed with the type's defaults, ready for
   * `JobStore.enqueueJobs`: the enqueue path of a schedule's fire, which stores it inside its own
   * transaction and then calls `announce`. Throws `InvalidJobError`.
   */
  prepare(request: EnqueueRequest): NewJob {
    return this.toNewJob(request, undefined)
  }

  /**
   * Wakes this instance's runner for the queues that got new runnable jobs (unless `woken` says the
   * database's notice of them did already), and tells the metrics. Other instances hear of them from
   * the database itself, which notifies on insert (migration 007).
   */
  announce(enqueued: readonly EnqueuedJob[], { woken = false } = {}): void {
    if (!woken) {
      const queues = new Set(enqueued.filter(insertedQueued).map((e) => e.job.queue))
      for (const queue of queues) this.notifier.publishLocal('jobsAvailable', queue)
    }
    announceDueTimes(this.notifier, enqueued)
    const fresh = enqueued.filter((e) => !e.replayed).map((e) => e.job)
    if (fresh.length > 0) this.events.emit('jobs:enqueued', { jobs: fresh })
  }

  async get(scope: JobScope & { id: string }): Promise<OwnedJob | undefined> {
    return this.viewOne(await answersInTime(this.store.getJob(scope)))
  }

  /** Jobs by id with their row's version, every owner's, as the API shows them (event streams: src/events/). */
  async getVersioned(ids: readonly string[]): Promise<VersionedJob[]> {
    return this.viewVersioned(await answersInTime(this.store.getVersionedJobs({ ids })))
  }

  /** What a stream of many jobs missed: jobs of the scope written after `since`, oldest first. */
  async writtenSince(params: JobScope & { since: string; limit: number }): Promise<VersionedJob[]> {
    return this.viewVersioned(await answersInTime(this.store.listJobsWrittenSince(params)))
  }

  private async viewVersioned(rows: readonly VersionedJob[]): Promise<VersionedJob[]> {
    const jobs = await this.view(rows.map((row) => row.job))
    return rows.map((row, i) => ({ job: jobs[i]!, version: row.version }))
  }

  /** A page of the job's own log lines, or undefined when the job is not the caller's (a 404). */
  async logs(
    scope: JobScope & { id: string },
    page: { afterId?: string; limit: number },
  ): Promise<JobLogLine[] | undefined> {
    const job = await answersInTime(this.store.getJob(scope))
    if (!job) return undefined
    return answersInTime(this.store.listJobLogs({ jobId: job.id, limit: page.limit, ...optionalAfter(page.afterId) }))
  }

  /** Each job's stored log lines after a line id, every owner's: what event streams send as `log` events. */
  logsAfter(params: Parameters<JobStore['listJobLogsAfter']>[0]): Promise<StreamedJobLogLine[]> {
    return answersInTime(this.store.listJobLogsAfter(params))
  }

  /** What a stream of many jobs missed of their logs: the scope's lines after a line id, oldest first. */
  ownerLogsAfter(params: JobScope & { afterId: string; limit: number }): Promise<StreamedJobLogLine[]> {
    return answersInTime(this.store.listOwnerJobLogsAfter(params))
  }

  /** Where a new stream of many jobs starts: the newest stored log line, and now as a version. */
  eventStreamStart(): Promise<{ logId: string; version: string }> {
    return answersInTime(this.store.eventStreamStart())
  }

  async list(params: Parameters<JobStore['listJobs']>[0]): Promise<OwnedJob[]> {
    return this.view(await answersInTime(this.store.listJobs(params)))
  }

  /** Jobs per queue and state, across every owner: queue depth for operators. */
  countByQueueAndState(): ReturnType<JobStore['countJobsByQueueAndState']> {
    return this.store.countJobsByQueueAndState()
  }

  async cancel(scope: JobScope & { id: string }): Promise<CancelOutcome> {
    return this.cancelled(await answersInTime(this.store.requestCancel(scope)))
  }

  /**
   * What follows a stored cancel: the running instance told to abort the token (its lease renewal
   * reads the flag too, should the message be lost), watchers woken, metrics told. A schedule's
   * `cancel-previous` fire stores the cancel in its own transaction and calls this after commit.
   */
  async cancelled(stored: CancelOutcome): Promise<CancelOutcome> {
    const outcome = stored.kind === 'not-found' ? stored : { ...stored, job: (await this.viewOne(stored.job))! }
    if (outcome.kind === 'cancelled' || outcome.kind === 'requested') {
      const { id, type, queue } = outcome.job
      await this.announceCancels([
        { id, type, queue, previousState: outcome.kind === 'cancelled' ? 'queued' : 'running' },
      ])
    }
    return outcome
  }

  /**
   * Tells everyone of cancels that committed (one job, or a bulk action's batch): a running job's
   * cancel goes to whichever instance runs it (`cancelRequested`, over NOTIFY where the database
   * carries it; its lease renewal reads the flag too), and its token aborts with `cancelled` there.
   */
  async announceCancels(jobs: readonly CancelledJob[]): Promise<void> {
    await Promise.all(
      jobs
        .filter((job) => job.previousState === 'running')
        .map((job) => this.notifier.publish('cancelRequested', job.id)),
    )
    for (const job of jobs) {
      this.notifier.announce('jobChanged', job.id)
      if (job.previousState === 'queued' || job.previousState === 'paused') this.events.emit('job:cancelled', { job })
    }
  }

  /**
   * The `pause job` row: a queued job is `paused` now; a running one is flagged and its instance told
   * (`pauseRequested`, over NOTIFY where the database carries it; its lease renewal reads the flag
   * too), where its token aborts with `paused`, its checkpoint is written and it becomes `paused`.
   */
  async pause(scope: JobScope & { id: string }): Promise<PauseOutcome> {
    const stored = await answersInTime(this.store.requestPause(scope))
    if (stored.kind === 'not-found') return stored
    const outcome = { ...stored, job: (await this.viewOne(stored.job))! }
    if (outcome.kind === 'requested') await this.notifier.publish('pauseRequested', outcome.job.id)
    if (outcome.kind === 'requested' || outcome.kind === 'paused') this.notifier.announce('jobChanged', outcome.job.id)
    return outcome
  }

  /** The `resume` row: a paused job back to `queued` (runners woken), or a running job's pause request withdrawn. */
  async resume(scope: JobScope & { id: string }): Promise<ResumeOutcome> {
    const stored = await answersInTime(this.store.resumeJob(scope))
    if (stored.kind === 'not-found') return stored
    const outcome = { ...stored, job: (await this.viewOne(stored.job))! }
    if (outcome.kind === 'resumed') {
      // An update, unlike an insert, is not announced by the database (migration 007): tell everyone.
      if (outcome.job.state === 'queued') await this.notifier.publish('jobsAvailable', outcome.job.queue)
      this.notifier.announce('jobChanged', outcome.job.id)
    }
    return outcome
  }

  /** Sends a failed or cancelled job back to the queue (the `retry` row), and wakes runners for it. */
  async retry(scope: JobScope & { id: string }, request: RetryRequest): Promise<RetryOutcome> {
    const runAt = request.runAt === undefined ? null : readRunAt(request.runAt, '')
    const outcome = await answersInTime(this.store.retryJob({ ...scope, from: request.from ?? 'checkpoint', runAt }))
    if (outcome.kind === 'retried') {
      await this.announceRetries([outcome.job])
      // Retried for later: runners wake when it is due, not at a poll (which waits long when idle).
      if (runAt !== null) announceDueTimes(this.notifier, [{ job: outcome.job, replayed: false }])
    }
    return outcome
  }

  /** Wakes the runners of the queues that retried jobs (one, or a bulk action's batch) went back to. */
  async announceRetries(jobs: readonly Pick<OwnedJob, 'id' | 'queue'>[]): Promise<void> {
    // An update, unlike an insert, is not announced by the database (migration 007): tell everyone.
    await Promise.all(
      [...new Set(jobs.map((job) => job.queue))].map((queue) => this.notifier.publish('jobsAvailable', queue)),
    )
    for (const job of jobs) this.notifier.announce('jobChanged', job.id)
  }

  /**
   * Enqueues a copy of job `id` with `replayOf` set, the payload (the original's or the one given)
   * checked against the type's schema as on enqueue. Undefined when the job is not the caller's.
   */
  async replay(scope: JobScope & { id: string }, request: ReplayRequest): Promise<OwnedJob | undefined> {
    const original = await answersInTime(this.store.getJob(scope))
    if (!original) return undefined
    if (!this.registry.get(original.type)) {
      const known = this.registry.names().join(', ')
      throw new InvalidJobError(`job type ${JSON.stringify(original.type)} is no longer known; known types: ${known}`)
    }
    const payload = request.payload ?? original.payload
    this.validatePayload(original.type, payload, '')
    const runAt = request.runAt === undefined ? null : readRunAt(request.runAt, '')
    const job = await answersInTime(
      this.store.replayJob({
        ...scope,
        ...(request.payload === undefined ? {} : { payload: request.payload }),
        ...(request.queue === undefined ? {} : { queue: request.queue }),
        ...(request.priority === undefined ? {} : { priority: request.priority }),
        runAt,
      }),
    )
    if (job) this.announce([{ job, replayed: false }])
    return job
  }

  /**
   * Resolves with the job once `isChanged(job)` says it changed, or with its latest state after
   * `timeoutMs`. Wakes on change notices and re-reads at least every `pollMs` as a fallback.
   */
  async waitForChange(
    scope: JobScope & { id: string },
    isChanged: (job: OwnedJob) => boolean,
    { timeoutMs, pollMs = 1000, signal }: { timeoutMs: number; pollMs?: number; signal?: AbortSignal },
  ): Promise<OwnedJob | undefined> {
    const deadline = Date.now() + timeoutMs
    // Rung by a change notice that may arrive while the job is being read: it is not lost.
    const doorbell = new Doorbell()
    const unsubscribe = this.notifier.watchJob(scope.id, () => doorbell.ring())
    const onAbort = () => doorbell.ring()
    signal?.addEventListener('abort', onAbort)
    try {
      for (;;) {
        const job = await this.viewOne(await answersInTime(this.store.getJob(scope)))
        if (!job || isChanged(job) || Date.now() >= deadline || signal?.aborted) return job
        await doorbell.wait(Math.min(pollMs, deadline - Date.now()))
      }
    } finally {
      unsubscribe()
      signal?.removeEventListener('abort', onAbort)
    }
  }

  private validatePayload(type: string, payload: Json, where: string, index?: number): void {
    const problems = this.registry.validatePayload(type, payload)
    if (problems.length > 0) {
      throw new InvalidJobError(
        `payload does not match the schema of ${type}${where}: ${problems.map((p) => `${p.pointer} ${p.message}`).join('; ')}`,
        problems.map((p) => (index === undefined ? p : { ...p, index })),
      )
    }
  }

  /** `traceparent`: the enqueue's trace, stored with the job (none for `prepare`'s jobs). */
  private toNewJob(request: EnqueueRequest, index: number | undefined, traceparent: string | null = null): NewJob {
    const definition = this.registry.get(request.type)
    const where = index === undefined ? '' : ` (jobs[${index}])`
    if (!definition) {
      throw new InvalidJobError(
        `unknown job type ${JSON.stringify(request.type)}${where}; known types: ${this.registry.names().join(', ')}`,
      )
    }
    const payload = request.payload ?? {}
    this.validatePayload(request.type, payload, where, index)
    const runAt = request.runAt === undefined ? null : readRunAt(request.runAt, where)
    if (request.callback !== undefined) this.checkCallback(request.callback, index)
    const concurrencyKey = request.concurrencyKey ?? null
    if (concurrencyKey !== null && Buffer.byteLength(concurrencyKey, 'utf8') > MAX_CONCURRENCY_KEY_BYTES) {
      throw new InvalidJobError(`concurrencyKey${where} is longer than ${MAX_CONCURRENCY_KEY_BYTES} bytes (UTF-8)`, [
        {
          pointer: index === undefined ? '/concurrencyKey' : `/jobs/${index}/concurrencyKey`,
          message: `must be at most ${MAX_CONCURRENCY_KEY_BYTES} bytes`,
        },
      ])
    }
    const expiresAt = readDeadline(request, runAt, where, index)
    return {
      type: request.type,
      queue: request.queue ?? definition.defaults.queue,
      payload,
      priority: request.priority ?? 0,
      maxAttempts: request.maxAttempts ?? definition.defaults.maxAttempts,
      maxInterruptions: definition.defaults.maxInterruptions,
      timeoutSeconds: request.timeoutSeconds ?? definition.defaults.timeoutSeconds,
      runAt,
      idempotencyKey: request.idempotencyKey ?? null,
      requestHash: request.idempotencyKey === undefined ? null : hashRequest(request),
      callback: request.callback ?? null,
      concurrencyKey,
      expiresAt,
      // In the literal, not spread in afterwards: every job the store is handed has the one shape.
      traceparent,
    }
  }

  private checkCallback(callback: JobCallback, index: number | undefined): void {
    const pointer = index === undefined ? '/callback' : `/jobs/${index}/callback`
    const problem = webhookUrlProblem(callback.url, this.callbacks)
    if (problem) throw new InvalidJobError(`callback.url ${problem}`, [{ pointer: `${pointer}/url`, message: problem }])
    if (!this.callbacks.signingSecretSet) {
      throw new InvalidJobError('callbacks need WEBHOOK_SECRET set on the service, to sign them', [
        { pointer, message: 'needs WEBHOOK_SECRET' },
      ])
    }
  }
}

function optionalAfter(afterId: string | undefined): { afterId?: string } {
  return afterId === undefined ? {} : { afterId }
}

/** The jobs an enqueue inserted claimed by this instance (the `start here` row), as a claim hands them to the runner. */
function startedHere(enqueued: readonly EnqueuedJob[], jobs: readonly NewJob[]): ClaimedJob[] {
  return enqueued.flatMap(({ job, replayed }, i) =>
    !replayed && job.state === 'running' ? [{ ...job, traceparent: jobs[i]!.traceparent ?? null }] : [],
  )
}

/**
 * A job the statement inserted as queued: what the database's insert trigger announces (migration
 * 026), and so what this instance announces to itself.
 */
function insertedQueued({ replayed, job }: EnqueuedJob): boolean {
  return !replayed && job.state === 'queued'
}

/**
 * Tells every instance when jobs enqueued for later become due (each distinct time of each queue;
 * the messages travel packed, many to a NOTIFY), so that they start on time rather than at a poll.
 * Jobs due now cost nothing here: the database announces their insert (migration 007).
 */
function announceDueTimes(notifier: Pick<Notifier, 'announce'>, enqueued: readonly EnqueuedJob[]): void {
  let sent: Set<string> | undefined
  for (const enqueuedJob of enqueued) {
    const { job } = enqueuedJob
    // A job enqueued for now has the insert's time as both (no parse on the hot path).
    if (!insertedQueued(enqueuedJob) || job.runAt === job.createdAt) continue
    // Due by now (the insert took longer than the wait): announced all the same, as the insert's
    // own notice went out before it was due. A due timer rings at once for a passed time.
    const at = Date.parse(job.runAt)
    const message = `${job.queue} ${at}`
    if (sent?.has(message)) continue
    ;(sent ??= new Set()).add(message)
    notifier.announce('jobsDue', message)
  }
}

/** Idempotency keys a schedule gives the job of each slot; a client may not take one first. */
export const SCHEDULE_KEY_PREFIX = 'schedule:'

function refuseReservedKey(key: string | undefined, index: number | undefined): void {
  if (key === undefined || !key.startsWith(SCHEDULE_KEY_PREFIX)) return
  const where = index === undefined ? 'Idempotency-Key' : `jobs[${index}].idempotencyKey`
  throw new InvalidJobError(`${where} may not begin with "${SCHEDULE_KEY_PREFIX}": schedules name their jobs so`, [
    { pointer: index === undefined ? '/idempotencyKey' : `/jobs/${index}/idempotencyKey`, message: 'is reserved' },
  ])
}

/**
 * The start-by deadline of a request: `expiresAt`, or now plus `ttlSeconds`. It must come after the
 * job may first start (its `runAt`, or now): a job that could never start is refused, not stored.
 */
function readDeadline(
  request: EnqueueRequest,
  runAt: Date | null,
  where: string,
  index: number | undefined,
): Date | null {
  const pointer = (field: string) => (index === undefined ? `/${field}` : `/jobs/${index}/${field}`)
  const refuse = (field: string, message: string): never => {
    throw new InvalidJobError(`${field}${where} ${message}`, [{ pointer: pointer(field), message }])
  }
  if (request.expiresAt !== undefined && request.ttlSeconds !== undefined) {
    return refuse('ttlSeconds', 'may not be given with expiresAt: give one of them')
  }
  let deadline: Date | null = null
  if (request.ttlSeconds !== undefined) deadline = new Date(Date.now() + request.ttlSeconds * 1000)
  if (request.expiresAt !== undefined) {
    const parsed = parseTimestamp(request.expiresAt)
    if (!('date' in parsed))
      return refuse('expiresAt', `${parsed.problem}: it must be an RFC 3339 date-time ${TIMESTAMP_RANGE}`)
    deadline = parsed.date
  }
  if (deadline !== null && deadline.getTime() <= (runAt ?? new Date()).getTime()) {
    return refuse(
      request.ttlSeconds !== undefined ? 'ttlSeconds' : 'expiresAt',
      'must end after the job may start (its runAt, or now)',
    )
  }
  return deadline
}

/** Only timestamps that read back as the same instant are stored (see timestamp.ts). */
function readRunAt(text: string, where: string): Date {
  const parsed = parseTimestamp(text)
  if ('date' in parsed) return parsed.date
  throw new InvalidJobError(`runAt${where} ${parsed.problem}: it must be an RFC 3339 date-time ${TIMESTAMP_RANGE}`)
}

/**
 * How long a caller's store call may wait. postgres.js queues a query while it has no connection
 * and, when new connections are reset during start-up, retries them forever without failing the
 * query: a request would hang for the whole outage. Past this it fails with code STORE_TIMEOUT,
 * which the app answers 503 with Retry-After. (A write that times out may still land when the
 * database returns: callers retry with an Idempotency-Key.)
 */
export const STORE_TIMEOUT_MS = 5000

export class StoreTimeoutError extends Error {
  override name = 'StoreTimeoutError'
  readonly code = 'STORE_TIMEOUT'
}

/** `work`, or a `StoreTimeoutError` past `ms` (the app answers it 503 with Retry-After). */
export function answersInTime<T>(work: Promise<T>, ms = STORE_TIMEOUT_MS): Promise<T> {
  return withTimeout(work, ms, () => new StoreTimeoutError(`the database did not answer within ${ms} ms`))
}

/** A stable hash of what the caller asked for, so a replay with other content is told apart. */
export function hashRequest(request: EnqueueRequest): string {
  // `replace` says what to do with the key's earlier job, not what this job is: a retry of a
  // replace without it replays the job it made.
  const { idempotencyKey: _key, replace: _replace, ...content } = request
  return createHash('sha256').update(canonicalJson(content)).digest('base64url')
}

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`
  }
  return JSON.stringify(value)
}

export type { JobState }
