/**
 * One start-to-stop of the runner. A generation is single-use: it starts once and stops once, and
 * a resume after a drain builds a new one (`Runner.start`), so no timer, subscription, local queue
 * or deadline of an earlier run of the runner can leak into a later one. It leases under an id of
 * its own (`leaseOwner`), so even a late write of a run it abandoned is refused by the lease fence
 * once a later generation holds the job.
 *
 *   created ──start()──▶ starting ──registered──▶ running ──stop()──▶ stopping ──▶ stopped
 *      │                    │                                            ▲
 *      └──── stop() ────────┴──(waits for the registration, claims nothing)┘
 *
 * A job's way through it: claimed (leased, its attempt counted before any of its code runs) →
 * waiting in the local queue → started in a free slot → settled (the slot frees at once) → outcome
 * written.
 *
 * `stop({ graceMs })`: stop claiming, hand back every job whose code never ran (attempt refunded),
 * abort every token with `shutdown`, wait for the jobs to settle until shortly before the deadline
 * and write their outcomes (interrupted jobs go back to `queued` with their checkpoint, attempt
 * refunded), then abandon whatever still runs: its checkpoint is written and it is requeued with the
 * attempt counted. Abandoned runs stay in `LiveRuns`, holding their slots until their code returns.
 */
import os from 'node:os'
import { setTimeout as sleep } from 'node:timers/promises'
import type { Json, JobState, OwnedJob } from '../queue/job.js'
import type { NewJobLogLine } from '../queue/jobLogStore.js'
import type { LimitedClaimParams, LimitedQueue, LimitedType, Limits } from '../queue/limitedClaim.js'
import type { Pause, PauseMode } from '../queue/pauseStore.js'
import {
  boundedFailedAttempt,
  claimOf,
  type ClaimRef,
  type ClaimedJob,
  type Completion,
  type JobSnapshot,
  type NewJob,
  type StrayLease,
} from '../queue/store.js'
import { coerceError } from '../log.js'
import { Doorbell } from '../support/doorbell.js'
import { IdlePoll } from '../support/idlePoll.js'
import { RepeatedFailures } from '../support/repeatedFailures.js'
import { sharedAbortController } from '../support/sharedAbortController.js'
import { withTimeout } from '../support/withTimeout.js'
import { decideRetry } from './retryPolicy.js'
import { CheckpointFlusher } from './checkpointFlusher.js'
import type { JobOutcome, RunnerEvents, TypedEmitter } from './events.js'
import { FinishedJobPruner } from './finishedJobPruner.js'
import { GraceTimer } from './graceTimer.js'
import { JobExecution, type ExecutionTimeouts, type Settlement } from './jobExecution.js'
import { LeaseKeeper } from './leaseKeeper.js'
import { LeaseSweeper } from './leaseSweeper.js'
import { ClaimGate } from './claimGate.js'
import { ClusterPace } from './clusterPace.js'
import { DueTimer } from './dueTimer.js'
import { ExpirySweeper } from './expirySweeper.js'
import { StatisticsKeeper } from './statisticsKeeper.js'
import { StrayLeases, type StrayLook } from './strayLeases.js'
import type { LiveRuns } from './liveRuns.js'
import { LocalQueue } from './localQueue.js'
import type { StartReservation } from './localStarts.js'
import { OutcomeBatches } from './outcomeBatches.js'
import type { RunnerConfig, RunnerDependencies, StopReport } from './runner.js'

type GenerationState = 'created' | 'starting' | 'running' | 'stopping' | 'stopped'

const WRITE_RETRY_MS = [100, 250, 500, 1000, 2000, 5000]
const DEFAULT_RETENTION_MS = 7 * 24 * 3600 * 1000
const DEFAULT_LOCAL_QUEUE_SIZE = 2000 // as LOCAL_QUEUE_SIZE defaults in src/config.ts
const DEFAULT_TIMEOUT_ABANDON_GRACE_MS = 5000
const DEFAULT_IDLE_POLL_MAX_MS = 5000
/** Due times of jobs enqueued for later read at start; later ones are heard of or found by the poll. */
const UPCOMING_READ_LIMIT = 1000
/**
 * How early a job enqueued for later is claimed: its due timer rings this much before its `runAt`,
 * the plain claim takes jobs due within it, and the job waits here until its `runAt` to start. Its
 * start then lags its `runAt` by this process's timer alone, not by a claim's round trip as well
 * (issue 19's on-time starts). Meanwhile it is leased (`running`, `startedAt` its `runAt`) and counts
 * as startable, so no slot is claimed for twice; the limited claim takes no job before it is due.
 * Jobs already due and jobs found by the poll start as before: at once.
 */
const START_LOOKAHEAD_MS = 50

/**
 * Whether jobs under these limits may be claimed ahead of the free slots, into the local queue: under
 * `perKey` limits alone, where such a job holds only its own key's place (see `aheadLimit` in
 * src/queue/limitedClaim.ts). A `total` or a rate limit holds its jobs to free slots.
 */
const claimedAhead = (limits: Limits): boolean => limits.total === null && limits.intervalMs == null

/**
 * An outcome write's claim, for `retryAfter`: what to answer when the store finds that the write's
 * first try had landed (its answer lost), from the state that write left the job in.
 */
interface OwnOutcome<T> {
  claim: ClaimRef
  landed: (state: JobState) => T
}

/** The claim of `job`'s outcome write that answers the state it wrote (null: refused). */
const ownState = (job: OwnedJob): OwnOutcome<JobState | null> => ({ claim: claimOf(job), landed: (state) => state })
/** The claim of `job`'s outcome write that answers whether it wrote. */
const ownWrite = (job: OwnedJob): OwnOutcome<boolean> => ({ claim: claimOf(job), landed: () => true })

export interface GenerationDependencies extends RunnerDependencies {
  events: TypedEmitter<RunnerEvents>
  liveRuns: LiveRuns
}

export class RunnerGeneration {
  private state: GenerationState = 'created'
  private starting: Promise<void> | undefined
  private stopping: Promise<StopReport> | undefined
  /** Jobs claimed ahead (their attempt counted) whose code has not run yet: the next to take a slot. */
  private readonly localQueue: LocalQueue
  /** Runs started by this generation and not settled: each holds a slot. */
  private readonly executions = new Map<string, JobExecution>()
  /** Settled runs whose outcome is being written; their slot is free, their lease still held. */
  private readonly settling = new Map<string, JobExecution>()
  /** Outcome writes in flight; a stop waits for them. */
  private readonly writing = new Set<Promise<void>>()
  private readonly doorbell = new Doorbell()
  /**
   * The claim loop's wait when a claim found nothing: the poll interval, doubling up to
   * `idlePollMaxMs` while claims keep finding nothing, where every instance's wake-ups reach this one
   * (a new, released, retried or recovered job rings the doorbell; a job due later, its due timer).
   * The poll is then only the fallback for what no notice announced (a job changed by hand in SQL,
   * a due time past what the timer keeps). A claim that finds jobs brings it back to the interval.
   */
  private readonly claimPace: IdlePoll
  private readonly dueTimer = new DueTimer(() => this.workMayWait())
  /**
   * Whether the queue may hold jobs this instance has not claimed for want of room: the last claim
   * took all it asked for, or none was made because every slot and the local queue were full, or
   * limits are served (see the claim loop). Only then does a settling job ring the claim loop. After
   * a short claim the queue was empty, and whatever arrives later rings it itself (an enqueue's
   * notice, a due timer, a limited job's end); a ring per settle then made an empty claim per job.
   */
  private queueMayHoldMore = true
  /**
   * Whether the last claim found every queue served here empty of what it could take, and nothing
   * may have come since (no notice of jobs, due time, resync or resume: `workMayWait` counts them in
   * `wakeUps`). Only then may an enqueue start its jobs here (`reserveStarts`): a new job must not
   * pass older ones that wait.
   */
  private queuesDrained = false
  private wakeUps = 0
  /** Places held for enqueues whose jobs may start here, until their insert answers (`reserveStarts`). */
  private reservedStarts = 0
  /** Those inserts, each settled when it answers: a stop waits for them before it hands jobs back. */
  private readonly startsInFlight = new Set<Promise<void>>()
  /** Jobs leased here that this generation never heard of, found by the lease renewals and handed back. */
  private readonly strayLeases = new StrayLeases()
  /** The jobs with a write of this generation's in flight (`trackWrite`), each with its count of writes. */
  private readonly writingIds = new Map<string, number>()
  /**
   * With limits served: whether the plain claim (types and queues without limits) may find work.
   * Closed once it came back short; opened on a notice of jobs available (not on a limited job's
   * end, here or elsewhere, which frees a place under limits only), a due time, a resync, a pause
   * resumed. A keyed drain made an empty plain claim after every limited one: about 0.7 ms of
   * PostgreSQL each, on index entries its own claims had just left dead.
   */
  private readonly plainClaims: ClaimGate
  /**
   * With limits served: whether the limited claim may find work. Closed once it found nothing with a
   * free slot to fill (every key and type it could take was at its limits, or nothing was queued):
   * a settle then frees no place, since the settled job holds it until its outcome is written. Closed
   * too once it took jobs ahead of its free slots (see `claimLimited`).
   * Opened on the end of a limited job, here or on another instance (`limitedJobEnded`), and on
   * whatever opens the plain claim's gate. Each settle in a keyed drain whose keys were all held ran
   * it again, and with every key at its limit it reads the whole backlog to find nothing: 20 ms and
   * more, several times a drain.
   */
  private readonly limitedClaims: ClaimGate
  /** Some job waiting in the local queue was claimed before its `runAt` (START_LOOKAHEAD_MS). */
  private holdsEarlyJobs = false
  /** Fills the slots when the first early job waiting here falls due. */
  private earlyStartTimer: NodeJS.Timeout | undefined
  private claimLoop: Promise<void> | undefined
  /** Aborted at the stop deadline: writes still retrying give up. */
  private readonly deadline = sharedAbortController()
  private graceTimer = new GraceTimer(Infinity)
  private readonly interruptedIds: string[] = []
  private readonly unwrittenIds: string[] = []
  private readonly outcomes: OutcomeBatches
  private readonly leaseKeeper: LeaseKeeper
  private readonly checkpointFlusher: CheckpointFlusher
  private readonly leaseSweeper: LeaseSweeper
  private readonly expirySweeper: ExpirySweeper
  private readonly statisticsKeeper: StatisticsKeeper
  private readonly pruner: FinishedJobPruner
  private readonly unsubscribe: (() => void)[] = []
  /** A failure of one kind is logged once a minute, however often it repeats (an outage). */
  private readonly repeatedFailures = new RepeatedFailures()
  /** A job's `flush()`: one function for every execution. */
  private readonly flushOne = (execution: JobExecution) => this.writeCheckpoints([execution])
  private readonly timeouts: ExecutionTimeouts
  /** The job log writes in flight, chained (see `writeLogLines`). */
  private logWrites: Promise<void> = Promise.resolve()
  /** The next log write while it waits for the one before: lines taken meanwhile join it. */
  private openLogWrite: { lines: NewJobLogLine[]; written: Promise<void> } | undefined
  /** The job types with concurrency limits (`defineJob({ concurrency })`), which only the limited claim takes. */
  private readonly limited: {
    types: readonly LimitedType[]
    names: readonly string[]
    has: ReadonlySet<string>
    /** The served queues with limits (`QUEUE_LIMITS`): all their jobs go to the limited claim. */
    queues: readonly LimitedQueue[]
    queueNames: ReadonlySet<string>
    /** Whether any type or served queue has limits: then claims go through the limited claim too. */
    any: boolean
    /** Whether any has a `total` or a rate limit: its jobs are claimed only for free slots. */
    anyForFreeSlotsOnly: boolean
  }

  /**
   * `leaseOwner`: the id of this generation's claims and writes, and of its row in
   * `job_runner_instances`; unique to it, so that the lease fence tells generations apart.
   */
  constructor(
    readonly leaseOwner: string,
    private readonly config: RunnerConfig,
    private readonly deps: GenerationDependencies,
  ) {
    this.localQueue = new LocalQueue({ maxSize: config.localQueueSize ?? DEFAULT_LOCAL_QUEUE_SIZE })
    this.plainClaims = new ClaimGate(config.pollIntervalMs)
    this.limitedClaims = new ClaimGate(config.pollIntervalMs)
    this.claimPace = new IdlePoll(this.doorbell, {
      pollIntervalMs: config.pollIntervalMs,
      maxIdleMs: deps.notifier.hearsOtherInstances
        ? (config.idlePollMaxMs ?? DEFAULT_IDLE_POLL_MAX_MS)
        : config.pollIntervalMs,
      // Rings after a wait must claim at once: an enqueue's start waits on it.
      minSpacingMs: 0,
    })
    this.timeouts = {
      abandonGraceMs: config.timeoutAbandonGraceMs ?? DEFAULT_TIMEOUT_ABANDON_GRACE_MS,
      onTimeoutIgnored: (execution) => this.abandonTimedOut(execution),
      ...(config.cancelGraceMs === undefined
        ? {}
        : { cancelGraceMs: config.cancelGraceMs, onCancelIgnored: (execution) => this.abandonCancelled(execution) }),
    }
    this.outcomes = new OutcomeBatches(deps.store, this.leaseOwner)
    const limitedTypes = deps.registry.concurrencyLimits()
    const limitedNames = limitedTypes.map((t) => t.type)
    const limitedQueues = (config.queueLimits ?? []).filter((q) => config.queues.includes(q.queue))
    this.limited = {
      types: limitedTypes,
      names: limitedNames,
      has: new Set(limitedNames),
      queues: limitedQueues,
      queueNames: new Set(limitedQueues.map((q) => q.queue)),
      any: limitedTypes.length > 0 || limitedQueues.length > 0,
      anyForFreeSlotsOnly: [...limitedTypes, ...limitedQueues].some((l) => !claimedAhead(l)),
    }
    const onError = (during: string) => (error: Error) => this.reportError(error, during)
    const executions = () => this.executions.values()
    this.leaseKeeper = new LeaseKeeper(
      { instanceId: this.leaseOwner, leaseMs: config.leaseMs },
      {
        store: deps.store,
        executions,
        settling: () => this.settling.keys(),
        waiting: () => this.localQueue.entries(),
        dropWaiting: (id) => this.dropWaiting(id),
        cancel: (id) => this.cancel(id),
        pause: (id) => this.pause(id),
        lookForStrays: () => this.lookForStrays(),
        log: deps.log,
        onError: onError('lease renewal'),
      },
    )
    this.checkpointFlusher = new CheckpointFlusher(
      { intervalMs: config.checkpointIntervalMs },
      { executions, write: (dirty) => this.writeCheckpoints(dirty), onError: onError('checkpoint flush') },
    )
    const pace = new ClusterPace({ leaseMs: config.leaseMs }, deps.store)
    this.leaseSweeper = new LeaseSweeper(
      {
        leaseMs: config.leaseMs,
        ...(config.sweepIntervalMs === undefined ? {} : { intervalMs: config.sweepIntervalMs }),
      },
      {
        store: deps.store,
        pace,
        log: deps.log,
        onRecovered: (jobs) => this.onLeasesRecovered(jobs),
        onError: onError('lease sweep'),
      },
    )
    this.expirySweeper = new ExpirySweeper(
      { ...(config.expirySweepIntervalMs === undefined ? {} : { intervalMs: config.expirySweepIntervalMs }) },
      {
        store: deps.store,
        pace,
        onExpired: (jobs) => {
          this.events.emit('jobs:expired', { jobs })
          for (const { id } of jobs) this.deps.notifier.announce('jobChanged', id)
        },
        onError: onError('expiry sweep'),
      },
    )
    this.statisticsKeeper = new StatisticsKeeper(
      { ...(config.statisticsIntervalMs === undefined ? {} : { intervalMs: config.statisticsIntervalMs }) },
      { store: deps.store, onError: onError('statistics') },
    )
    this.pruner = new FinishedJobPruner(
      { retentionMs: config.retentionMs ?? DEFAULT_RETENTION_MS },
      { store: deps.store, log: deps.log, onError: onError('pruning') },
    )
  }

  /** Starting or running: not yet asked to stop. */
  get isActive(): boolean {
    return this.state === 'starting' || this.state === 'running'
  }

  get runningJobIds(): string[] {
    return [...this.executions.keys()]
  }

  /** Jobs claimed and not started yet. */
  get waitingJobs(): number {
    return this.localQueue.size
  }

  /**
   * Waiting jobs that can take the next free slot. A job whose earlier run still executes in this
   * process (abandoned: see `LiveRuns`) waits here until that run ends; counted as waiting, it would
   * keep the claim loop from claiming for the slot it cannot take.
   */
  private get startableWaiting(): number {
    if (!this.mayBlock) return this.waitingJobs
    let startable = 0
    for (const { job } of this.localQueue.entries()) if (!this.deps.liveRuns.has(job.id)) startable += 1
    return startable
  }

  /** Some live run is not one of this generation's executions: an abandoned run may block a waiting job. */
  private get mayBlock(): boolean {
    return this.deps.liveRuns.size !== this.executions.size
  }

  /** Registers the instance and starts claiming. Once only. */
  start(): Promise<void> {
    if (this.state !== 'created') throw new Error(`a runner generation starts once (it is ${this.state})`)
    this.state = 'starting'
    return (this.starting = this.register())
  }

  private async register(): Promise<void> {
    await this.deps.store.registerInstance({
      id: this.leaseOwner,
      hostname: os.hostname(),
      pid: process.pid,
      queues: this.config.queues,
    })
    // A stop during the registration wins: nothing is claimed.
    if (this.state !== 'starting') return
    this.state = 'running'
    const served = new Set(this.config.queues)
    this.unsubscribe.push(
      this.deps.notifier.subscribe('jobsAvailable', (queue) => {
        if (served.has(queue)) this.workMayWait()
      }),
      // A place under limits freed, here or on another instance: the limited claim looks again.
      // An instance without limits has no claim it could open (its claim is the plain one).
      this.deps.notifier.subscribe('limitedJobEnded', (queue) => {
        if (!this.limited.any || !served.has(queue)) return
        this.limitedClaims.open()
        this.doorbell.ring()
      }),
      this.deps.notifier.subscribe('cancelRequested', (id) => this.cancel(id)),
      this.deps.notifier.subscribe('pauseRequested', (id) => this.pause(id)),
      this.deps.notifier.subscribe('jobsDue', (message) => {
        const [queue, at] = message.split(' ')
        if (queue !== undefined && served.has(queue)) this.noteDue(Number(at))
      }),
      // Wake-ups sent while the LISTEN connection was down are lost: look now.
      this.deps.notifier.onResync(() => this.workMayWait()),
    )
    // Jobs enqueued for later before this start: their times, so they too start on time.
    void this.deps.store
      .upcomingRunTimes({ queues: this.config.queues, limit: UPCOMING_READ_LIMIT })
      .then((times) => {
        for (const at of times) this.noteDue(at)
      })
      .catch((error: unknown) => this.reportError(coerceError(error), 'read of upcoming jobs'))
    if (this.deps.pauses) {
      this.unsubscribe.push(
        this.deps.pauses.onChange(({ added, resumed }) => {
          this.onPause(added)
          // A resume gives work back: claim now rather than at the next poll.
          if (resumed) this.workMayWait()
        }),
      )
    }
    this.leaseKeeper.start()
    this.checkpointFlusher.start()
    this.leaseSweeper.start()
    this.expirySweeper.start()
    this.statisticsKeeper.start()
    this.pruner.start()
    this.claimLoop = this.runClaimLoop()
  }

  /** Stops within `graceMs`, whatever the jobs do. Calling it again returns the same promise, with the stricter deadline. */
  stop({ graceMs }: { graceMs: number }): Promise<StopReport> {
    if (this.stopping) {
      this.graceTimer.tighten(Date.now() + graceMs)
      return this.stopping
    }
    return (this.stopping = this.shutDown(graceMs))
  }

  /**
   * An uncaught exception was blamed on `execution` (or on every run, when no job's file is in its
   * stack): its outcome is a failed attempt, whatever it does next.
   */
  blameCrash(error: Error): string[] {
    const inStack = [...this.executions.values()].filter(
      (e) => e.definition?.sourceFile && error.stack?.includes(e.definition.sourceFile),
    )
    const blamed = inStack.length > 0 ? inStack : [...this.executions.values()]
    for (const execution of blamed) execution.crashError = error
    return blamed.map((e) => e.job.id)
  }

  private async shutDown(graceMs: number): Promise<StopReport> {
    const wasCreated = this.state === 'created'
    this.graceTimer = new GraceTimer(Date.now() + graceMs)
    const timer = this.graceTimer
    this.state = 'stopping'
    if (wasCreated) {
      this.state = 'stopped'
      return { released: [], interrupted: [], abandoned: [], unwritten: [] }
    }
    // A registration stuck on an unreachable database must not eat the grace budget either.
    await withTimeout(this.starting ?? Promise.resolve(), timer.remainingMs()).catch(() => {})
    this.doorbell.ring()
    this.dueTimer.stop()
    clearTimeout(this.earlyStartTimer)
    for (const off of this.unsubscribe.splice(0)) off()
    await withTimeout(this.claimLoop ?? Promise.resolve(), timer.remainingMs()).catch(() => {})
    // Enqueues starting jobs here answer first, so that their jobs go back with the rest (one that
    // answers later finds the local queue released, and hands its jobs back itself: `hold`).
    await withTimeout(Promise.all(this.startsInFlight), timer.remainingMs()).catch(() => {})
    // Jobs whose code never ran go back first, so other instances can take them while these stop.
    const releasing = this.release(this.localQueue.release(), timer)
    for (const execution of this.executions.values()) execution.abort('shutdown')

    await Promise.race([this.allWritten(), timer.reserveReached])

    const stillRunning = [...this.executions.values()]
    for (const execution of stillRunning) {
      execution.abandon()
      this.executions.delete(execution.job.id)
    }
    // A run blamed for the crash behind this stop (its promise never settles when a timer of it threw)
    // fails its attempt with that cause, as it would had it settled: it was not merely slow to stop.
    const abandoned = stillRunning.filter((execution) => !execution.crashError)
    for (const execution of stillRunning) {
      if (execution.crashError)
        this.trackWrite(this.writeFailure(execution, crashedTheProcess(execution.crashError)), [execution.job.id])
    }
    for (const execution of abandoned) {
      this.deps.log.warn(
        { jobId: execution.job.id, type: execution.job.type },
        'job ignored its shutdown token until the grace deadline: abandoning it, writing its checkpoint and requeueing it (the attempt counts)',
      )
    }
    const requeueMs = Math.max(0, timer.remainingMs() - 100)
    const requeued = await withTimeout(
      this.deps.store.abandonJobs({
        instanceId: this.leaseOwner,
        jobs: abandoned.map((execution) => execution.currentState()),
      }),
      requeueMs,
      () => {
        // Cut short, the requeue is what the stop gave up waiting for (a database that no longer
        // answers): the deadline has come, for it as for the writes below, and it is a warning.
        this.deadline.abort()
        return new Error(`timed out after ${requeueMs} ms`)
      },
    ).catch((error: unknown) => {
      this.reportError(coerceError(error), 'requeue of abandoned jobs')
      return [] as { id: string; state: string }[]
    })
    const requeuedIds = new Set(requeued.map((r) => r.id))
    const queuedAgain = new Set(requeued.filter((r) => r.state === 'queued').map((r) => r.id))
    const failed = new Set(requeued.filter((r) => r.state === 'failed').map((r) => r.id))
    for (const execution of abandoned) {
      const outcome = failed.has(execution.job.id) ? 'failed' : 'abandoned'
      this.events.emit('job:settled', { job: execution.job, outcome, ranMs: execution.ranMs })
      if (requeuedIds.has(execution.job.id)) this.deps.notifier.announce('jobChanged', execution.job.id)
      // Other instances take it at once rather than at their next poll.
      if (queuedAgain.has(execution.job.id)) this.deps.notifier.announce('jobsAvailable', execution.job.queue)
    }
    // Outcome writes still retrying through a database outage give up now; those jobs' leases expire.
    this.deadline.abort()
    const remainingMs = () => timer.remainingMs()
    await withTimeout(Promise.allSettled([...this.writing]), remainingMs()).catch(() => {})
    const released = await releasing
    await withTimeout(
      Promise.allSettled([
        this.leaseKeeper.stop(),
        this.checkpointFlusher.stop(),
        this.leaseSweeper.stop(),
        this.expirySweeper.stop(),
        this.statisticsKeeper.stop(),
        this.pruner.stop(),
      ]),
      remainingMs(),
    ).catch(() => {})
    await withTimeout(this.deps.store.deregisterInstance({ instanceId: this.leaseOwner }), remainingMs()).catch(
      (error: unknown) => this.reportError(coerceError(error), 'deregistration'),
    )
    this.state = 'stopped'
    const abandonedIds = abandoned.map((e) => e.job.id)
    return {
      released,
      interrupted: this.interruptedIds,
      abandoned: abandonedIds.filter((id) => requeuedIds.has(id)),
      // Jobs still settling have an outcome write hanging on the database past the deadline: their leases will expire.
      unwritten: [
        ...new Set([
          ...this.unwrittenIds,
          ...this.settling.keys(),
          ...abandonedIds.filter((id) => !requeuedIds.has(id)),
        ]),
      ],
    }
  }

  private get events(): TypedEmitter<RunnerEvents> {
    return this.deps.events
  }

  /** Resolves once no job of this generation runs and no outcome is being written. */
  private async allWritten(): Promise<void> {
    while (this.executions.size > 0 || this.writing.size > 0) {
      await Promise.race<unknown>([...[...this.executions.values()].map((e) => e.settled), ...this.writing])
      // Let the outcome write that follows a settlement register itself.
      await new Promise((resolve) => setImmediate(resolve))
      if (this.writing.size > 0) await Promise.allSettled([...this.writing])
    }
  }

  private get freeSlots(): number {
    return this.config.concurrency - this.deps.liveRuns.slotsTaken
  }

  /**
   * Jobs a claim may take now: for the free slots no waiting job will fill (`slotsToFill`) and the
   * local queue's room, less the places enqueues hold (`reserveStarts`).
   */
  private claimRoom(slotsToFill = this.freeSlots - this.startableWaiting): number {
    return Math.max(0, Math.max(0, slotsToFill) + this.localQueue.room - this.reservedStarts)
  }

  /**
   * Claims for the free slots plus what the local queue wants to hold, and sleeps on the doorbell
   * when there is nothing to claim or nowhere to put it. Settling jobs fill their slots without
   * waiting for this loop.
   */
  private async runClaimLoop(): Promise<void> {
    let failures = 0
    while (this.state === 'running') {
      this.releaseExpired()
      // A job that waited for an abandoned run to end (of this generation or an earlier one) may start now.
      this.fillSlots()
      let claimedAll = false
      const slotsToFill = this.freeSlots - this.startableWaiting
      const unclaimedSlots = slotsToFill - this.reservedStarts
      this.queueMayHoldMore = true
      if ((unclaimedSlots > 0 || this.localQueue.wantsRefill) && (this.deps.mayClaim?.() ?? true)) {
        this.localQueue.sampleRate()
        const limit = this.claimRoom(slotsToFill)
        const wakeUps = this.wakeUps
        const acquisition = this.strayLeases.acquiring()
        try {
          const claimed = await this.claim(limit, Math.max(0, unclaimedSlots))
          const jobs = this.notPaused(claimed)
          failures = 0
          this.hold(this.notHeldHere(jobs))
          acquisition.handedOver()
          if (jobs.length > 0) this.events.emit('jobs:claimed', { jobs, waiting: this.localQueue.size })
          if (claimed.length > 0) this.claimPace.found()
          this.fillSlots()
          claimedAll = limit > 0 && claimed.length === limit
          // Short, the claim left nothing it could take, unless something came while it ran.
          this.queuesDrained = limit > 0 && !claimedAll && wakeUps === this.wakeUps
          // The limited claim takes jobs for free slots only, and one short of its limits may find more
          // as soon as a slot frees: with limits, every settle looks again (at once, not after its
          // write), unless the limited claim found nothing to take (see `limitedClaims`).
          this.queueMayHoldMore = claimedAll || (this.limited.any && this.limitedClaims.isOpen)
        } catch (error) {
          // What the claim leased here before it failed, if anything, is a stray now.
          acquisition.failed()
          this.queuesDrained = false
          this.reportError(coerceError(error), 'claim')
          failures += 1
          await this.doorbell.wait(Math.min(5000, 100 * 2 ** failures))
          continue
        }
      }
      // A full claim may have left more behind: go again at once if there is room for it.
      const room = this.freeSlots - this.startableWaiting > 0 || this.localQueue.wantsRefill
      if (!claimedAll || !room) await this.claimPace.next()
    }
  }

  /**
   * Claims up to `limit` jobs. Job types and queues with limits are claimed first, by their own
   * statement, and only for the `freeSlots` (a job claimed counts against its limits on every
   * instance, so holding one ahead would keep another instance from running it), unless only
   * `perKey` limits hold them (a job held ahead then holds only its own key's place); the plain claim,
   * which leaves those types alone, fills the rest. With no limited type, it is the plain claim alone.
   */
  private async claim(limit: number, freeSlots: number): Promise<OwnedJob[]> {
    if (limit <= 0) return []
    const { leaseOwner: instanceId, config, limited } = this
    const { leaseMs } = config
    const pauses = this.deps.pauses
    if (!limited.any && (!pauses || pauses.isEmpty)) {
      return this.deps.store.claimJobs({
        instanceId,
        queues: config.queues,
        limit,
        leaseMs,
        lookaheadMs: START_LOOKAHEAD_MS,
      })
    }
    // Paused queues and types are left out of both claims (src/queue/pauses.ts).
    const pausedQueues = pauses?.pausedQueues ?? new Set<string>()
    const pausedTypes = pauses?.pausedTypes ?? []
    const queues = pausedQueues.size === 0 ? config.queues : config.queues.filter((q) => !pausedQueues.has(q))
    if (queues.length === 0) return []
    const limitedTypes =
      pausedTypes.length === 0 ? limited.types : limited.types.filter((t) => !pausedTypes.includes(t.type))
    const limitedQueues = limited.queues.filter((q) => !pausedQueues.has(q.queue))
    // Claimed ahead only under perKey limits alone (see `aheadLimit`); otherwise only for free slots.
    const limitedJobs =
      (limitedTypes.length > 0 || limitedQueues.length > 0) &&
      (freeSlots > 0 || (limitedTypes.some(claimedAhead) && limitedQueues.every(claimedAhead)))
        ? await this.claimLimited({
            instanceId,
            queues,
            limit: freeSlots,
            aheadLimit: limit,
            leaseMs,
            types: limitedTypes,
            limitedQueues,
            exceptTypes: pausedTypes,
            onNextStart: this.onNextRateStart,
            onRateWait: this.onRateWait,
          })
        : []
    const rest = limit - limitedJobs.length
    // Pauses are read again: one heard while the limited claim ran holds for this claim too (it would
    // otherwise take a paused queue's job enqueued after the pause was answered, and hand it back).
    const pausedNow = pauses?.pausedQueues ?? pausedQueues
    const pausedTypesNow = pauses?.pausedTypes ?? pausedTypes
    // Limited queues are the limited claim's alone, every type of theirs.
    const plainQueues = queues.filter((q) => !limited.queueNames.has(q) && !pausedNow.has(q))
    if (rest <= 0 || plainQueues.length === 0) return limitedJobs
    const exceptTypes = pausedTypesNow.length === 0 ? limited.names : [...limited.names, ...pausedTypesNow]
    const plain = await this.plainClaims.run(
      () =>
        this.deps.store.claimJobs({
          instanceId,
          queues: plainQueues,
          limit: rest,
          leaseMs,
          exceptTypes,
          lookaheadMs: START_LOOKAHEAD_MS,
        }),
      (claimed) => claimed.length === rest,
      [],
    )
    return limitedJobs.length === 0 ? plain : [...limitedJobs, ...plain]
  }

  /**
   * The limited claim, through its gate (`limitedClaims`). The gate stays open after a claim that took
   * jobs for its free slots (a key with fewer places than candidates leaves it short of what waits
   * behind them, and the next slot a settle frees may take the next job held to free slots, under a
   * `total` with places left or a rate limit), and after one that could not fill a slot for want of
   * one (`limit` 0): a settle then lets it take a job held to free slots. A claim that also took jobs
   * ahead of its free slots closes it: those jobs fill the slots that settles free, and claiming again
   * for the local queue alone, just after a claim that may have taken every place left, read the
   * whole backlog to find nothing (with 400 jobs of each of 1,000 keys queued, 250 ms a claim, and
   * two thirds of the drain: bench/RESULTS.md). The next runs on a limited job's end, which the
   * outcome writes of a drain bring every few milliseconds.
   */
  private claimLimited(params: LimitedClaimParams): Promise<OwnedJob[]> {
    return this.limitedClaims.run(
      () => this.deps.store.claimLimitedJobs(params),
      (claimed) =>
        (claimed.length > 0 && claimed.length <= params.limit) ||
        (params.limit === 0 && this.limited.anyForFreeSlotsOnly),
      [],
    )
  }

  /** A rate-limited type may start again at `atMs`: every instance serving these queues wakes then. */
  private readonly onNextRateStart = (atMs: number): void => {
    for (const queue of this.config.queues) this.deps.notifier.announce('jobsDue', `${queue} ${Math.ceil(atMs)}`)
  }

  /** A rate limiter holds back the limited claim until `atMs`, which this instance may not have heard: it wakes then. */
  private readonly onRateWait = (atMs: number): void => this.dueTimer.note(atMs)

  /**
   * Pauses this instance heard of: jobs of theirs waiting here go back unrun (a pause holds them all
   * in the database, where any instance sees them again once resumed); with `checkpoint`, running
   * ones are stopped with the token reason `paused` and go back with their checkpoint (the `pause` row).
   */
  private onPause(added: readonly Pause[]): void {
    if (this.state !== 'running' || added.length === 0) return
    const holds = (job: OwnedJob, mode?: PauseMode) =>
      added.some((p) => (p.kind === 'queue' ? job.queue === p.name : job.type === p.name) && (!mode || p.mode === mode))
    const waiting = [...this.localQueue.entries()].filter(({ job }) => holds(job)).map(({ job }) => job)
    for (const job of waiting) this.localQueue.remove(job.id)
    if (waiting.length > 0) this.releaseTracked(waiting)
    for (const execution of this.executions.values()) {
      if (holds(execution.job, 'checkpoint')) execution.abort('paused')
    }
  }

  /** Jobs a claim brought that a pause (heard of while the claim ran) holds: handed back unrun. */
  private notPaused(jobs: OwnedJob[]): OwnedJob[] {
    const pauses = this.deps.pauses
    if (!pauses || pauses.isEmpty || jobs.length === 0) return jobs
    const held = jobs.filter((job) => pauses.modeFor(job) !== undefined)
    if (held.length === 0) return jobs
    this.releaseTracked(held)
    return jobs.filter((job) => pauses.modeFor(job) === undefined)
  }

  /**
   * A job whose lease expired while this generation still held it (a database outage, or an event
   * loop blocked, longer than the lease) is recovered by a sweeper and may be claimed again by this
   * same generation. That claim is the job's now: the lease fence refuses every write of the run
   * before it (`fenced` in the store: its claim counted an older attempt). A run still executing here
   * under the old claim is superseded (`supersede`), and the new claim waits in the local queue until
   * that run's code returns: never two live runs of one job here.
   *
   * A job whose run has settled here while its outcome is being written may be claimed again too:
   * either that outcome requeued it (a yield; a retry due within the start lookahead) and committed
   * before the claim, which is then the job's next attempt, or the claim came first and the fence
   * refuses the outcome. Both ways the claim holds the job, but it waits for that write to answer
   * (`takeOnceSettled`): one job's two writes never share a batch, and its run is not under way
   * twice in the runner's bookkeeping.
   */
  private notHeldHere(jobs: readonly OwnedJob[]): OwnedJob[] {
    const reclaimed: OwnedJob[] = []
    const fresh = jobs.filter((job) => {
      const running = this.executions.get(job.id)
      if (running) this.supersede(running)
      if (!this.settling.has(job.id)) return true
      reclaimed.push(job)
      return false
    })
    if (reclaimed.length > 0) this.trackWrite(this.takeOnceSettled(reclaimed), reclaimed.map(idOf))
    return fresh
  }

  /**
   * A run whose claim this generation has made again since its lease was lost: nothing it writes can
   * pass the fence any more, so it is stopped (its token fires with `shutdown`) and forgotten like an
   * abandoned run, its slot held until its code returns (`LiveRuns`); the new claim then runs the
   * job from its last written checkpoint.
   */
  private supersede(execution: JobExecution): void {
    const { job } = execution
    execution.abandon()
    this.executions.delete(job.id)
    this.deps.log.warn(
      { jobId: job.id, attempt: job.attempts },
      'lease lost, and the job claimed again here since: stopping the run of the lost claim; the new claim runs after it',
    )
    execution.abort('shutdown')
    this.events.emit('job:settled', { job, outcome: 'lost', ranMs: execution.ranMs })
  }

  /**
   * Jobs claimed while their last run's outcome was still being written here. Once those writes have
   * answered, a claim that still holds its job (running, leased here, under the attempt it counted)
   * waits here like any claimed job, its lease renewed. One that does not lost its lease meanwhile
   * (the write waited out an outage longer than the lease): the sweep gave the job back, and the
   * claim is forgotten.
   */
  private async takeOnceSettled(jobs: readonly OwnedJob[]): Promise<void> {
    await Promise.allSettled(jobs.map((job) => this.settling.get(job.id)?.outcomeWritten))
    const claims = jobs.map(claimOf)
    const held = await this.retryWrite(() =>
      this.deps.store.renewClaims({ instanceId: this.leaseOwner, leaseMs: this.config.leaseMs, claims }),
    )
    if (!held || held.length === 0) return
    const flags = new Map(held.map((row) => [row.id, row]))
    const taken = jobs.flatMap((job) => {
      const row = flags.get(job.id)
      // A cancel or pause asked while the claim waited here is honoured at its start.
      return row
        ? [
            {
              ...job,
              cancelRequested: job.cancelRequested || row.cancelRequested,
              pauseRequested: job.pauseRequested || row.pauseRequested,
            },
          ]
        : []
    })
    this.hold(taken)
    this.fillSlots()
  }

  /**
   * Puts claimed jobs in the local queue. Claimed while the stop began, the released queue refuses
   * them, and they go back at once.
   */
  private hold(jobs: readonly OwnedJob[]): void {
    const refused = this.localQueue.push(jobs)
    if (refused.length > 0) this.releaseTracked(refused)
    // A claimed job's runAt is text in toISOString's form (ISO_TIMESTAMP): times compare as texts,
    // without a parse per job.
    const now = new Date().toISOString()
    if (jobs.some((job) => job.runAt > now)) this.holdsEarlyJobs = true
  }

  /**
   * Which of an enqueue's jobs may start here at once (the `start here` row; src/runner/localStarts.ts):
   * while this generation claims, its last claim found the queues empty (`queuesDrained`), and it has
   * room as a claim would count it (free slots and the local queue's), those due now, of a queue it
   * serves and a type it runs, neither paused nor under limits (whose places only the limited claim
   * counts). Their places are held until the insert answers.
   */
  reserveStarts(jobs: readonly NewJob[]): StartReservation | undefined {
    if (this.state !== 'running' || !this.queuesDrained || !(this.deps.mayClaim?.() ?? true)) return undefined
    this.localQueue.sampleRate()
    let room = this.claimRoom()
    if (room <= 0) return undefined
    const pauses = this.deps.pauses
    const now = Date.now()
    const starts = jobs.map((job) => {
      const startable =
        room > 0 &&
        job.runAt === null &&
        (job.expiresAt == null || job.expiresAt.getTime() > now) &&
        this.config.queues.includes(job.queue) &&
        this.deps.registry.get(job.type) !== undefined &&
        !this.limited.has.has(job.type) &&
        !this.limited.queueNames.has(job.queue) &&
        (!pauses || pauses.isEmpty || pauses.modeFor(job) === undefined)
      if (startable) room -= 1
      return startable
    })
    const count = starts.filter(Boolean).length
    if (count === 0) return undefined
    this.reservedStarts += count
    let answered!: () => void
    const inFlight = new Promise<void>((resolve) => (answered = resolve))
    this.startsInFlight.add(inFlight)
    const acquisition = this.strayLeases.acquiring()
    let held = true
    const free = () => {
      if (!held) return
      held = false
      this.reservedStarts -= count
      this.startsInFlight.delete(inFlight)
      answered()
    }
    return {
      instanceId: this.leaseOwner,
      leaseMs: this.config.leaseMs,
      starts,
      accept: (claimed) => {
        free()
        this.takeStarted(claimed)
        acquisition.handedOver()
      },
      // The insert failed; if it committed all the same (its answer lost), its jobs are strays.
      cancel: () => {
        free()
        acquisition.failed()
      },
    }
  }

  /** Jobs an enqueue inserted claimed by this generation: held and started as a claim's are. */
  private takeStarted(claimed: readonly ClaimedJob[]): void {
    if (claimed.length === 0) return
    // A pause heard while the insert ran holds them; a stop begun meanwhile hands them back (`hold`).
    const jobs = this.notPaused([...claimed])
    this.hold(jobs)
    if (jobs.length > 0) this.events.emit('jobs:claimed', { jobs, waiting: this.localQueue.size })
    this.fillSlots()
  }

  /** Starts waiting jobs in the free slots. */
  private fillSlots(): void {
    const now = Date.now()
    const early = this.holdsEarlyJobs
    const nowText = early ? new Date(now).toISOString() : ''
    while (this.state === 'running' && this.freeSlots > 0) {
      // A job claimed while an abandoned run of it still executes here waits for that run to end;
      // one claimed before its runAt waits for it.
      const mayBlock = this.mayBlock
      const [job] =
        mayBlock || early
          ? this.localQueue.take(
              1,
              (waiting) => (!early || waiting.runAt <= nowText) && !(mayBlock && this.deps.liveRuns.has(waiting.id)),
            )
          : this.localQueue.take(1)
      if (!job) break
      this.execute(job)
    }
    if (early) this.armEarlyStart(now, nowText)
  }

  /**
   * Notes a due time for the claim loop twice: early by the lookahead, and on time. The on-time ring
   * is for the limited claim, which takes no job early, and for a ring that came while every slot was
   * taken or promised to jobs held early (no claim ran then, and the settles that rang later may all
   * have come before the job was within the lookahead): without it, the job would wait for the poll.
   */
  private noteDue(atMs: number): void {
    this.dueTimer.note(atMs - START_LOOKAHEAD_MS)
    this.dueTimer.note(atMs)
  }

  /** Arms the start of the first early job still waiting, or forgets that there are any. `nowText`: `now` as ISO text. */
  private armEarlyStart(now: number, nowText: string): void {
    let first: string | undefined
    for (const { job } of this.localQueue.entries()) {
      if (job.runAt > nowText && (first === undefined || job.runAt < first)) first = job.runAt
    }
    clearTimeout(this.earlyStartTimer)
    this.holdsEarlyJobs = first !== undefined
    if (first === undefined) return
    this.earlyStartTimer = setTimeout(() => this.fillSlots(), Date.parse(first) - now)
    this.earlyStartTimer.unref()
  }

  /** Runs a claimed job (its attempt counted, as the job object shows). */
  private execute(job: OwnedJob): void {
    const execution = new JobExecution(
      job,
      this.deps.registry.get(job.type),
      this.deps.log,
      this.flushOne,
      this.timeouts,
      this.deps.onProgress,
      this.onSettled,
    )
    this.executions.set(job.id, execution)
    this.deps.liveRuns.add(execution)
    this.localQueue.noteStart()
    // The chaos suite reads these across processes to prove no succeeded job ran again.
    if (this.deps.log.isLevelEnabled('debug')) {
      this.deps.log.debug(
        {
          jobId: job.id,
          type: job.type,
          attempt: job.attempts,
          interruptions: job.interruptions,
          checkpoint: job.checkpoint,
        },
        'job started',
      )
    }
    this.events.emit('job:start', { job, startedAt: execution.startedAt })
    // Long-polls and streams here waiting for the job to leave `queued` wake now; the notice crosses
    // to another instance only where one watches the job (a stream of many jobs there has no poll:
    // it would show the job go from queued to its outcome), and costs nothing where none does.
    this.deps.notifier.announce('jobChanged', job.id)
    // A cancel may have been requested between the claim and now.
    if (job.cancelRequested) execution.abort('cancelled')
    // Or its pause (the first reason wins): it stops at once, and the `pause` row makes it `paused`.
    if (job.pauseRequested) execution.abort('paused')
    execution.start()
  }

  /** Jobs may have become claimable (a notice, a due time, a resync, a resume): the loop looks, with both claims. */
  private workMayWait(): void {
    this.wakeUps += 1
    this.queuesDrained = false
    this.plainClaims.open()
    this.limitedClaims.open()
    this.doorbell.ring()
  }

  /**
   * A started job settled (never during `execute`: see JobExecution's `onSettled`): its slot frees
   * at once, and its outcome is written in the next batch, the lease held until then.
   */
  private readonly onSettled = (execution: JobExecution, settlement: Settlement): void => {
    this.deps.liveRuns.end(execution)
    // Its job may be waiting here for this end: the claim loop starts it.
    if (execution.abandoned) return this.doorbell.ring()
    const { id } = execution.job
    this.executions.delete(id)
    this.settling.set(id, execution)
    const write = this.writeSettled(execution, settlement)
    this.writing.add(write)
    execution.outcomeWritten = write
    this.fillSlots()
    if (!this.queueMayHoldMore) return
    if (this.freeSlots - this.startableWaiting > 0 || this.localQueue.wantsRefill) this.doorbell.ring()
  }

  /**
   * Writes a settled run's log lines, then its outcome. Before the outcome: whoever sees the job
   * finished sees its last lines too. Not past the stop deadline, though: the outcome matters more
   * than its last lines.
   */
  private writeSettled(execution: JobExecution, settlement: Settlement): Promise<void> {
    return settlement.kind === 'resolved' && !execution.crashError
      ? this.writeSuccess(execution, settlement.result)
      : this.writeUnsuccessful(execution, settlement)
  }

  /**
   * A success, nearly every run of a busy queue: one async frame from settlement to written (each
   * frame of a run lives until its batch is written, tens of thousands of them a second in a drain).
   * Its completion joins the next batch; a failed first write is retried as any other outcome's.
   */
  private async writeSuccess(execution: JobExecution, result: Json | null): Promise<void> {
    try {
      if (execution.usedLog) await this.untilDeadline(this.writeLogLines([execution]))
      const completion: Completion = execution.stateChanged
        ? { ...execution.currentState(), result }
        : { id: execution.job.id, attempt: execution.job.attempts, result, unchanged: true }
      let written: boolean | undefined
      try {
        written = await this.outcomes.complete(completion)
      } catch (error) {
        written = await this.retryAfter(error, () => this.outcomes.complete(completion), ownWrite(execution.job))
      }
      this.afterOutcome(execution, undefined, 'succeeded', written)
    } finally {
      this.writeEnded(execution)
    }
  }

  /** A run that threw, or crashed the process. */
  private async writeUnsuccessful(execution: JobExecution, settlement: Settlement): Promise<void> {
    try {
      if (execution.usedLog) await this.untilDeadline(this.writeLogLines([execution]))
      if (execution.crashError) {
        await this.writeFailure(execution, crashedTheProcess(execution.crashError), undefined, settlement)
      } else if (settlement.kind === 'rejected') await this.writeRejected(execution, settlement)
    } finally {
      this.writeEnded(execution)
    }
  }

  /** The outcome of `execution` is written (or given up on). */
  private writeEnded(execution: JobExecution): void {
    const { job } = execution
    // `outcomeWritten` is the promise of the write, set before its first await returned.
    this.writing.delete(execution.outcomeWritten!)
    this.settling.delete(job.id)
    this.placeFreed(job)
  }

  /**
   * A job of a limited type or queue holds its place no more: its outcome is written (or given up
   * on), or it left the local queue cancelled or paused, or its run was abandoned and its failure or
   * cancel written. Instances that found its key or type at its limit, this one included, claim again
   * now rather than at their next poll (src/runner/claimGate.ts).
   */
  private placeFreed(job: { type: string; queue: string }): void {
    if (this.limited.has.has(job.type) || this.limited.queueNames.has(job.queue)) {
      this.deps.notifier.announce('limitedJobEnded', job.queue)
    }
  }

  /**
   * A job settled apart from its run's own outcome (cancelled or paused while it waited here, or its
   * run abandoned on a cancel), once that write answered: `lost` when its row was not written.
   * Watchers hear of a written one; its place under limits is given up either way.
   */
  private settledApart(job: OwnedJob, outcome: JobOutcome, ranMs?: number): void {
    if (outcome !== 'lost') this.deps.notifier.announce('jobChanged', job.id)
    this.placeFreed(job)
    this.events.emit('job:settled', ranMs === undefined ? { job, outcome } : { job, outcome, ranMs })
  }

  /**
   * A run that ignored its timeout's token for `timeoutAbandonGraceMs`: its checkpoint is written and
   * the attempt fails (retried with backoff while attempts remain); its slot goes to other jobs. The
   * code goes on until it returns, and `LiveRuns` keeps this job from starting here again meanwhile.
   */
  private abandonTimedOut(execution: JobExecution): void {
    if (execution.abandoned || execution.isSettled || this.state !== 'running') return
    const { job } = execution
    execution.abandon()
    this.executions.delete(job.id)
    this.deps.liveRuns.releaseSlot(execution)
    const graceSeconds = this.timeouts.abandonGraceMs / 1000
    this.deps.log.warn(
      { jobId: job.id, type: job.type, timeoutSeconds: job.timeoutSeconds, graceSeconds },
      'job ignored its timeout: abandoning it and freeing its slot',
    )
    const error = `timed out after ${job.timeoutSeconds} s and ignored its token for ${graceSeconds} s: abandoned`
    this.trackWrite(
      this.writeFailure(execution, error, 'abandoned').finally(() => this.placeFreed(job)),
      [job.id],
    )
    this.fillSlots()
    this.doorbell.ring()
  }

  /**
   * A run that ignored its cancel's token for `cancelGraceMs` (CANCEL_GRACE_SECONDS): abandoned like
   * at shutdown, its slot freed, but its outcome is the one asked for: `cancelled` (the `cancel
   * running` row, its checkpoint written). The code goes on until it returns; `LiveRuns` keeps the job
   * from starting here again meanwhile, and the lease fence refuses its late outcome.
   */
  private abandonCancelled(execution: JobExecution): void {
    if (execution.abandoned || execution.isSettled || this.state !== 'running') return
    const { job } = execution
    execution.abandon()
    this.executions.delete(job.id)
    this.deps.liveRuns.releaseSlot(execution)
    const graceSeconds = (this.config.cancelGraceMs ?? 0) / 1000
    this.deps.log.warn(
      { jobId: job.id, type: job.type, graceSeconds },
      `job ${job.id} (${job.type}) ignored its cancel for ${graceSeconds} s: abandoning it as cancelled and freeing its slot`,
    )
    const { ranMs } = execution
    this.trackWrite(
      this.retryWrite(() => this.outcomes.cancel({ ...execution.currentState(), started: true }), ownWrite(job)).then(
        (written) => this.settledApart(job, written ? 'cancelled' : 'lost', ranMs),
      ),
      [job.id],
    )
    this.fillSlots()
    this.doorbell.ring()
  }

  /**
   * A pause request for a job claimed here (`POST /v1/jobs/{id}/pause`): a running job's token fires
   * with `paused`; a job whose code has not run yet never starts and takes the `pause` row at once,
   * the attempt its claim counted given back.
   */
  private pause(id: string): void {
    const execution = this.executions.get(id)
    if (execution) return execution.abort('paused')
    const job = this.localQueue.remove(id)
    if (!job) return
    this.trackWrite(
      this.retryWrite(
        () => this.outcomes.pause({ ...claimOf(job), checkpoint: job.checkpoint, progress: job.progress }),
        ownState(job),
      ).then((state) => this.settledApart(job, state ? settledAs(state, 'paused') : 'lost')),
      [job.id],
    )
  }

  /**
   * A cancel request for a job claimed here: a running job's token fires; a job whose code has not run
   * yet never starts and is marked cancelled, the attempt its claim counted given back.
   */
  private cancel(id: string): void {
    const execution = this.executions.get(id)
    if (execution) return execution.abort('cancelled')
    const job = this.localQueue.remove(id)
    if (!job) return
    this.trackWrite(
      this.retryWrite(
        () =>
          this.outcomes.cancel({ ...claimOf(job), checkpoint: job.checkpoint, progress: job.progress, started: false }),
        ownWrite(job),
      ).then((written) => this.settledApart(job, written ? 'cancelled' : 'lost')),
      [job.id],
    )
  }

  /** Forgets a waiting job whose lease another instance recovered. */
  private dropWaiting(id: string): void {
    this.localQueue.remove(id)
  }

  /**
   * Hands back jobs that waited longer than the local queue's TTL (their attempt is refunded): behind
   * slots held by slow jobs, another instance may run them sooner.
   */
  private releaseExpired(): void {
    const expired = this.localQueue.takeExpired()
    if (expired.length > 0) this.releaseTracked(expired)
  }

  /**
   * A write of this generation's, which the stop waits for. `ids`: the jobs it writes that the runner
   * holds nowhere else meanwhile (no execution, no local queue, no outcome being written): they are
   * not strays (`knows`).
   */
  private trackWrite(write: Promise<void>, ids: readonly string[] = []): void {
    this.writing.add(write)
    for (const id of ids) this.writingIds.set(id, (this.writingIds.get(id) ?? 0) + 1)
    void write.finally(() => {
      this.writing.delete(write)
      for (const id of ids) {
        const count = this.writingIds.get(id)! - 1
        if (count === 0) this.writingIds.delete(id)
        else this.writingIds.set(id, count)
      }
    })
  }

  /** Whether this generation holds the job: running, settling, waiting here, or under a write of its own; or its code still runs here. */
  private knows(id: string): boolean {
    return (
      this.executions.has(id) ||
      this.settling.has(id) ||
      this.localQueue.has(id) ||
      this.writingIds.has(id) ||
      this.deps.liveRuns.has(id)
    )
  }

  /**
   * Whether a lease renewal should look for jobs leased here that this generation does not know of
   * (src/runner/strayLeases.ts), and what to do with them: the strays go back to the queue, the
   * attempt refunded. Not once the stop has begun: it hands back what it holds, and a stray's lease
   * expires.
   */
  private lookForStrays(): ((found: readonly StrayLease[]) => void) | undefined {
    const look = this.state === 'running' ? this.strayLeases.look() : undefined
    return look && ((found) => this.handBackStrays(look, found))
  }

  private handBackStrays(look: StrayLook, found: readonly StrayLease[]): void {
    if (this.state !== 'running') return
    const strays = look.sift(found, (id) => this.knows(id))
    if (strays.length === 0) return
    this.deps.log.warn(
      { jobIds: strays.map(idOf) },
      'jobs leased here by a claim or an enqueue whose answer was lost: handing them back, the attempt refunded',
    )
    const jobs = strays.map(({ id, attempt, queue }) => ({ id, attempts: attempt, queue }))
    this.releaseTracked(jobs)
  }

  /** Gives back jobs whose code never ran, a write the stop waits for (`trackWrite`). */
  private releaseTracked(jobs: readonly Pick<OwnedJob, 'id' | 'attempts' | 'queue'>[]): void {
    this.trackWrite(
      this.release(jobs, this.graceTimer).then(() => {}),
      jobs.map(idOf),
    )
  }

  /** Gives back jobs whose code never ran; returns the ids released. */
  private async release(
    jobs: readonly Pick<OwnedJob, 'id' | 'attempts' | 'queue'>[],
    timer: GraceTimer,
  ): Promise<string[]> {
    if (jobs.length === 0) return []
    const released = await withTimeout(
      this.deps.store.releaseJobs({ instanceId: this.leaseOwner, claims: jobs.map(claimOf) }),
      timer.remainingMs(),
    ).catch((error: unknown) => {
      // While this generation runs, its lease renewals find them and hand them back (`lookForStrays`);
      // otherwise their leases expire and the sweeper gives them back.
      this.strayLeases.noteFailure()
      this.reportError(coerceError(error), 'release of waiting jobs')
      return [] as string[]
    })
    if (released.length > 0) {
      for (const queue of new Set(jobs.map((j) => j.queue))) this.deps.notifier.announce('jobsAvailable', queue)
      for (const id of released) this.deps.notifier.announce('jobChanged', id)
    }
    return released
  }

  /** A run that threw: a failed attempt, or one its token stopped (a shutdown, a cancel, a pause, its slice's end). */
  private async writeRejected(execution: JobExecution, settlement: Settlement & { kind: 'rejected' }): Promise<void> {
    const { job } = execution
    const reason = execution.abortReason
    if (reason !== 'shutdown' && reason !== 'cancelled' && reason !== 'paused' && reason !== 'yield') {
      const error =
        reason === 'timeout'
          ? `timed out after ${job.timeoutSeconds} s`
          : settlement.error.message || settlement.error.name
      return this.writeFailure(execution, error, undefined, settlement)
    }
    const snapshot = execution.currentState()
    const write: () => Promise<JobState | null> =
      reason === 'paused'
        ? () => this.outcomes.pause(snapshot)
        : reason === 'yield'
          ? () => this.outcomes.yield(snapshot)
          : reason === 'shutdown'
            ? () => this.outcomes.requeue(snapshot)
            : () => this.outcomes.cancel({ ...snapshot, started: true }).then((done) => (done ? 'cancelled' : null))
    const state = await this.retryWrite(write, ownState(job))
    const written = state === undefined ? undefined : state !== null
    this.afterOutcome(execution, settlement, stoppedAs(reason, state ?? null), written)
  }

  /**
   * What follows an outcome write: `written` true when the row was written, false when the lease had
   * been lost (another instance owns the job now, and its outcome wins), undefined when the write
   * gave up at the stop deadline.
   */
  private afterOutcome(
    execution: JobExecution,
    rejected: (Settlement & { kind: 'rejected' }) | undefined,
    outcome: JobOutcome,
    written: boolean | undefined,
  ): void {
    const { job } = execution
    if (execution.abandoned) return
    const { ranMs } = execution
    if (written === undefined) {
      this.unwrittenIds.push(job.id)
      this.events.emit('job:settled', { job, outcome: 'lost', ranMs })
      return
    }
    const finalOutcome = written ? outcome : 'lost'
    if (finalOutcome === 'interrupted') this.interruptedIds.push(job.id)
    if (finalOutcome === 'lost')
      this.deps.log.warn({ jobId: job.id }, 'job outcome not written: its lease had been recovered by another instance')
    this.deps.notifier.announce('jobChanged', job.id)
    if (outcome === 'interrupted' || finalOutcome === 'yielded') this.deps.notifier.announce('jobsAvailable', job.queue)
    this.events.emit(
      'job:settled',
      rejected ? { job, outcome: finalOutcome, error: rejected.error, ranMs } : { job, outcome: finalOutcome, ranMs },
    )
  }

  /** A failed attempt: retried after its backoff while attempts remain, otherwise `failed`. */
  private async writeFailure(
    execution: JobExecution,
    error: string,
    settledAs?: JobOutcome,
    settlement?: Settlement,
  ): Promise<void> {
    const { job } = execution
    // What failed: the job's own error, or the crash or timeout the runner saw.
    const thrown = settlement?.kind === 'rejected' && execution.abortReason !== 'timeout' ? settlement.error : undefined
    const failedWith = execution.crashError ?? thrown ?? namedError('TimeoutError', error)
    const decision = decideRetry(execution.definition, job.attempts, failedWith, {
      defaultBaseMs: this.config.retryBaseMs,
      onPolicyError: (policyError) => {
        const fields = { err: coerceError(policyError), jobId: job.id, type: job.type }
        this.deps.log.error(fields, 'retry policy threw; using the default backoff')
      },
    })
    const stack = failedWith.stack ? { stack: failedWith.stack } : {}
    const entry = boundedFailedAttempt({ message: error, name: failedWith.name || 'Error', ...stack })
    const failure = {
      ...execution.currentState(),
      error: error.slice(0, 10_000),
      retryDelayMs: decision.delayMs,
      giveUp: decision.giveUp,
      entry,
    }
    const state = await this.retryWrite(() => this.outcomes.fail(failure), ownState(job))
    if (state === undefined) {
      this.unwrittenIds.push(job.id)
      this.events.emit('job:settled', { job, outcome: 'lost', ranMs: execution.ranMs })
      return
    }
    if (state === null)
      this.deps.log.warn({ jobId: job.id }, 'job outcome not written: its lease had been recovered by another instance')
    else this.deps.notifier.announce('jobChanged', job.id)
    if (state === 'queued') {
      this.deps.notifier.announce('jobsAvailable', job.queue)
      // Its retry becomes due after the backoff: every instance wakes for it then.
      if (decision.delayMs > 0) this.deps.notifier.announce('jobsDue', `${job.queue} ${Date.now() + decision.delayMs}`)
    }
    // A failed job is `failed` whatever failed its last attempt, so that every job that ends failed counts as one.
    const outcome: JobOutcome = state === null ? 'lost' : state === 'failed' ? 'failed' : (settledAs ?? 'retry')
    const cause = settlement?.kind === 'rejected' ? settlement.error : new Error(error)
    this.events.emit('job:settled', { job, outcome, error: cause, ranMs: execution.ranMs })
  }

  /** `work`, or nothing once the stop deadline passes. */
  private untilDeadline(work: Promise<void>): Promise<void> {
    const { signal } = this.deadline
    if (signal.aborted) return Promise.resolve()
    return new Promise((resolve) => {
      const done = () => {
        signal.removeEventListener('abort', done)
        resolve()
      }
      signal.addEventListener('abort', done, { once: true })
      void work.then(done)
    })
  }

  /**
   * Retries a write through a database outage until it lands or the stop deadline passes. An outcome
   * write passes its claim (`own`): see `retryAfter`.
   */
  private async retryWrite<T>(write: () => Promise<T>, own?: OwnOutcome<T>): Promise<T | undefined> {
    try {
      return await write()
    } catch (error) {
      return this.retryAfter(error, write, own)
    }
  }

  /**
   * `retryWrite` after a first attempt failed with `error`. That attempt may have committed while its
   * answer was lost with the connection: the fence then refuses the retry (false or null), as it
   * would after a lease recovery. So for an outcome write (`own`) a refused retry asks the store which
   * of the two ended the claim, and reports the job as its own write left it when it was that write.
   */
  private async retryAfter<T>(error: unknown, write: () => Promise<T>, own?: OwnOutcome<T>): Promise<T | undefined> {
    for (let attempt = 0; ; attempt++) {
      this.reportError(coerceError(error), 'outcome write')
      if (this.deadline.signal.aborted) return undefined
      const delay = WRITE_RETRY_MS[Math.min(attempt, WRITE_RETRY_MS.length - 1)]!
      await sleep(delay, undefined, { signal: this.deadline.signal, ref: false }).catch(() => {})
      if (this.deadline.signal.aborted) return undefined
      let value: T
      try {
        value = await write()
      } catch (next) {
        error = next
        continue
      }
      if (own === undefined || (value !== false && value !== null)) return value
      const landed = await this.deps.store
        .ownOutcomeLanded({ instanceId: this.leaseOwner, claim: own.claim })
        .catch((readError: unknown) => {
          this.reportError(coerceError(readError), 'outcome check')
          return null
        })
      return landed === null ? value : own.landed(landed)
    }
  }

  /**
   * Writes checkpoints and progress of `executions` in one statement, and their log lines in one
   * more: the flusher's (which passes runs with news of either kind) and a job's `flush()`.
   */
  private async writeCheckpoints(executions: readonly JobExecution[]): Promise<void> {
    if (executions.length === 0) return
    // A run whose state is written (or being written) already has nothing to add.
    await this.writeSnapshots(executions.filter((e) => e.dirty))
    await this.writeLogLines(executions)
  }

  /**
   * The log lines of `executions` in one statement (lines that cannot be written are dropped with a
   * warning). Writes go one after the other, in the order their lines were taken: line ids are the
   * log's order and its trim keeps the newest ids, and an outcome waits for the writes before it.
   * Lines taken while a write is in flight join the next one, which goes when that write ends: each
   * finishing job that logged writes its lines before its outcome, and one write (two statements)
   * per job, in a row, held a drain of such jobs to a few hundred a second (bench/RESULTS.md, P8features).
   */
  private writeLogLines(executions: readonly JobExecution[]): Promise<void> {
    const lines = executions.flatMap((e) => (e.hasPendingLogs ? e.takeLogLines() : []))
    if (lines.length === 0) return this.logWrites
    if (this.openLogWrite) {
      this.openLogWrite.lines.push(...lines)
      return this.openLogWrite.written
    }
    const next: { lines: NewJobLogLine[]; written: Promise<void> } = { lines, written: Promise.resolve() }
    this.openLogWrite = next
    next.written = this.logWrites.then(() => {
      // From here on, lines taken go to the write after this one.
      if (this.openLogWrite === next) this.openLogWrite = undefined
      return this.deps.store.appendJobLogs(next.lines).catch((error: unknown) => {
        this.reportError(coerceError(error), 'job log write')
      })
    })
    this.logWrites = next.written
    return next.written
  }

  private async writeSnapshots(executions: readonly JobExecution[]): Promise<void> {
    if (executions.length === 0) return
    const snapshots = executions.map((e) => e.snapshot())
    const jobs: JobSnapshot[] = snapshots.map((s) => s.snapshot)
    const written = await this.deps.store.writeCheckpoints({ instanceId: this.leaseOwner, jobs })
    for (const s of snapshots) s.markWritten()
    if (written.length > 0) {
      this.events.emit('job:checkpoint', { ids: written })
      for (const id of written) this.deps.notifier.announce('jobChanged', id)
    }
  }

  /**
   * Jobs this instance's sweep recovered, perhaps its own (an outage longer than the lease). One still
   * waiting in the local queue under the claim whose lease was lost is forgotten now: the job is queued
   * again, and that stale entry, started after this instance claimed the job again but before that
   * claim's answer was read, would be a run the fence refuses every write of. An entry of a later claim
   * (more attempts counted than the recovered row kept) stays. A run already executing goes on until
   * the lease keeper finds its lease gone, or a new claim here supersedes it (`notHeldHere`).
   */
  private onLeasesRecovered(recovered: readonly { id: string; queue: string; attempts: number }[]): void {
    const lost = new Map(recovered.map((job) => [job.id, job.attempts]))
    const stale = [...this.localQueue.entries()]
      .filter(({ job }) => job.attempts <= (lost.get(job.id) ?? -1))
      .map(({ job }) => job.id)
    for (const id of stale) this.localQueue.remove(id)
    if (stale.length > 0) this.deps.log.warn({ jobIds: stale }, 'lease lost while the job waited here: forgotten')
    const ids = recovered.map((job) => job.id)
    this.events.emit('leases:recovered', { ids, forgotten: stale })
    for (const id of ids) this.deps.notifier.announce('jobChanged', id)
    // Each to the queues they came from, which this instance need not serve: the instances that do
    // run them now, or (a lost job's last attempt, now failed) take the places under limits they
    // held, rather than at their next poll.
    for (const queue of new Set(recovered.map((job) => job.queue))) this.deps.notifier.announce('jobsAvailable', queue)
    this.workMayWait()
  }

  private reportError(error: Error, during: string): void {
    // Past the stop's deadline, what fails is what the stop gave up waiting for (a database that no
    // longer answers): expected, and already accounted for (those leases expire, the instance row is
    // forgotten). A warning, not an error that pages someone during every shutdown in an outage.
    const level = this.deadline.signal.aborted ? 'warn' : 'error'
    this.repeatedFailures.log(this.deps.log, level, `runner error during ${during}`, error, { during })
    this.events.emit('runner:error', { error, during })
  }
}

const idOf = (job: { readonly id: string }): string => job.id

/** The outcome of a run stopped by a pause or a yield, from the state its row wrote. */
function settledAs(state: string, stopped: 'paused' | 'yielded'): JobOutcome {
  return state === 'cancelled' ? 'cancelled' : stopped
}

/**
 * The outcome of a run its token stopped, from the state its row wrote (null: none written). A cancel
 * that came after a pause's or a yield's token fired wins (the row wrote `cancelled`); an interruption
 * past maxInterruptions fails the job instead.
 */
function stoppedAs(reason: 'shutdown' | 'cancelled' | 'paused' | 'yield', state: JobState | null): JobOutcome {
  if (reason === 'paused' || reason === 'yield') {
    const stopped = reason === 'paused' ? 'paused' : 'yielded'
    return state === null ? stopped : settledAs(state, stopped)
  }
  if (reason === 'shutdown') return state === 'failed' ? 'failed' : 'interrupted'
  return 'cancelled'
}

/** The error of an attempt blamed for an uncaught exception. */
function crashedTheProcess(error: Error): string {
  return `crashed the process: ${error.message || error.name}`
}

function namedError(name: string, message: string): Error {
  const error = new Error(message)
  error.name = name
  return error
}
