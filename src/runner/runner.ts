/**
 * The in-process runner: `concurrency` slots, filled from a local queue of jobs claimed ahead
 * (`LocalQueue`) or straight from a claim; one `JobExecution` per started job; outcomes written in
 * batches as jobs settle; and the background services (lease keeper, checkpoint flusher, lease
 * sweeper, finished-job pruner).
 *
 *   idle ──start()──▶ running ──stop()──▶ stopping ──▶ stopped ──start()──▶ running
 *
 * A job's way through it: claimed (leased, attempt counted) → waiting in the local queue → started
 * in a free slot (start mark written in a batch) → settled (the slot frees at once) → outcome
 * written (the job's `job:settled` event).
 *
 * `stop({ graceMs })` is what a drain or a SIGTERM calls: stop claiming, hand the jobs waiting in the
 * local queue back at once, abort every token with `shutdown`, wait for jobs to settle until shortly
 * before the deadline, write each outcome (interrupted jobs go back to `queued` with their
 * checkpoint), then abandon whatever still runs: its last checkpoint is written and it is requeued.
 * Whether the service may claim at all is asked of `mayClaim` (the lifecycle), never kept here.
 */
import os from 'node:os'
import { randomUUID } from 'node:crypto'
import { setTimeout as sleep } from 'node:timers/promises'
import type { Logger } from 'pino'
import type { JobRegistry } from '../../jobs/registry.js'
import type { Config } from '../config.js'
import type { OwnedJob } from '../queue/job.js'
import type { Notifier } from '../queue/notifier.js'
import type { JobSnapshot, JobStore } from '../queue/store.js'
import { coerceError } from '../log.js'
import { retryDelayMs } from './backoff.js'
import { Doorbell } from '../support/doorbell.js'
import { TypedEmitter, type JobOutcome, type RunnerEvents } from './events.js'
import { CheckpointFlusher } from './checkpointFlusher.js'
import { FinishedJobPruner } from './finishedJobPruner.js'
import { JobExecution, type Settlement } from './jobExecution.js'
import { OutcomeBatches } from './outcomeBatches.js'
import { LeaseKeeper } from './leaseKeeper.js'
import { LeaseSweeper } from './leaseSweeper.js'
import { LocalQueue } from './localQueue.js'
import { GraceTimer } from './graceTimer.js'
import { sharedAbortController } from '../support/sharedAbortController.js'
import { withTimeout } from '../support/withTimeout.js'

export interface RunnerConfig {
  concurrency: number
  /** Most jobs claimed ahead of the free slots (see `LocalQueue`); 0 claims only for free slots. */
  localQueueSize?: number
  queues: readonly string[]
  leaseMs: number
  checkpointIntervalMs: number
  pollIntervalMs: number
  retryBaseMs: number
  /** How often expired leases are looked for; by default often enough to recover within a second or two. */
  sweepIntervalMs?: number
  /** How long finished jobs are kept before the pruner deletes them (default 7 days). */
  retentionMs?: number
  instanceId?: string
}

/** The runner's settings, as the service configuration gives them. */
export function runnerConfigFrom(config: Config): RunnerConfig {
  return {
    concurrency: config.concurrency,
    localQueueSize: config.localQueueSize,
    queues: config.queues,
    leaseMs: config.leaseMs,
    checkpointIntervalMs: config.checkpointIntervalMs,
    pollIntervalMs: config.pollIntervalMs,
    retryBaseMs: config.retryBaseMs,
    retentionMs: config.retentionMs,
  }
}

export interface RunnerDependencies {
  store: JobStore
  notifier: Notifier
  registry: JobRegistry
  log: Logger
  /** The lifecycle's answer to "may I claim now?". */
  mayClaim?: () => boolean
}

export interface StopReport {
  /** Jobs claimed ahead that never started: handed back without counting an attempt. */
  released: string[]
  /** Jobs that stopped on their token and went back to the queue with their checkpoint. */
  interrupted: string[]
  /** Jobs that ignored their token until the deadline: checkpoint written and requeued anyway. */
  abandoned: string[]
  /** Jobs whose outcome could not be written before the deadline (their lease will expire). */
  unwritten: string[]
}

type RunnerState = 'idle' | 'running' | 'stopping' | 'stopped'

const WRITE_RETRY_MS = [100, 250, 500, 1000, 2000, 5000]
const DEFAULT_RETENTION_MS = 7 * 24 * 3600 * 1000
const DEFAULT_LOCAL_QUEUE_SIZE = 2000 // as LOCAL_QUEUE_SIZE defaults in src/config.ts

export class Runner {
  readonly instanceId: string
  readonly events = new TypedEmitter<RunnerEvents>()
  private state: RunnerState = 'idle'
  /** Jobs started and not yet settled: one per busy slot. */
  private readonly executions = new Map<string, JobExecution>()
  /** Jobs claimed ahead, waiting for a slot. */
  private readonly localQueue: LocalQueue
  /** Settled jobs whose outcome is being written; their slot is already free, their lease still held. */
  private readonly settling = new Map<string, JobExecution>()
  /** Outcome writes in flight; a stop waits for them. */
  private readonly writing = new Set<Promise<void>>()
  private readonly doorbell = new Doorbell()
  private claimLoop: Promise<void> | undefined
  private stopping: Promise<StopReport> | undefined
  /** Aborted at the stop deadline: outcome writes still retrying give up. */
  private deadline = sharedAbortController()
  private interruptedIds: string[] = []
  private unwrittenIds: string[] = []
  private readonly leaseKeeper: LeaseKeeper
  private readonly checkpointFlusher: CheckpointFlusher
  private readonly leaseSweeper: LeaseSweeper
  private readonly pruner: FinishedJobPruner
  /** Outcome writes of jobs settling close together go out as one statement. */
  private readonly outcomes: OutcomeBatches
  private readonly unsubscribe: (() => void)[] = []
  private graceTimer = new GraceTimer(Infinity)
  /** A job's `flush()`: one function for every execution. */
  private readonly flushOne = (execution: JobExecution) => this.writeCheckpoints([execution])

  constructor(
    private readonly config: RunnerConfig,
    private readonly deps: RunnerDependencies,
  ) {
    this.instanceId = config.instanceId ?? randomUUID()
    this.localQueue = new LocalQueue({ maxSize: config.localQueueSize ?? DEFAULT_LOCAL_QUEUE_SIZE })
    this.outcomes = new OutcomeBatches(deps.store, this.instanceId, (id) => this.executions.has(id), (error) => this.reportError(coerceError(error), 'start mark'))
    const onError = (during: string) => (error: Error) => this.reportError(error, during)
    const executions = () => this.executions.values()
    this.leaseKeeper = new LeaseKeeper(
      { instanceId: this.instanceId, leaseMs: config.leaseMs },
      {
        store: deps.store,
        executions,
        settling: () => this.settling.keys(),
        localQueue: this.localQueue,
        cancel: (id) => this.cancel(id),
        log: deps.log,
        onError: onError('lease renewal'),
      },
    )
    this.checkpointFlusher = new CheckpointFlusher(
      { intervalMs: config.checkpointIntervalMs },
      { executions, write: (dirty) => this.writeCheckpoints(dirty), onError: onError('checkpoint flush') },
    )
    this.leaseSweeper = new LeaseSweeper(
      { leaseMs: config.leaseMs, ...(config.sweepIntervalMs === undefined ? {} : { intervalMs: config.sweepIntervalMs }) },
      { store: deps.store, log: deps.log, onRecovered: (ids) => this.onLeasesRecovered(ids), onError: onError('lease sweep') },
    )
    this.pruner = new FinishedJobPruner({ retentionMs: config.retentionMs ?? DEFAULT_RETENTION_MS }, { store: deps.store, log: deps.log, onError: onError('pruning') })
  }

  get runningJobs(): number {
    return this.executions.size
  }

  get runningJobIds(): string[] {
    return [...this.executions.keys()]
  }

  /** Jobs claimed ahead and waiting for a slot. */
  get waitingJobs(): number {
    return this.localQueue.size
  }

  /** Registers the instance and starts claiming. Also resumes a stopped runner (after a drain). */
  async start(): Promise<void> {
    if (this.state === 'running') return
    if (this.state === 'stopping') await this.stopping
    await this.deps.store.registerInstance({
      id: this.instanceId,
      hostname: os.hostname(),
      pid: process.pid,
      queues: this.config.queues,
    })
    this.state = 'running'
    this.stopping = undefined
    this.deadline = sharedAbortController()
    const served = new Set(this.config.queues)
    this.unsubscribe.push(
      this.deps.notifier.subscribe('jobsAvailable', (queue) => served.has(queue) && this.doorbell.ring()),
      this.deps.notifier.subscribe('cancelRequested', (id) => this.cancel(id)),
    )
    this.leaseKeeper.start()
    this.checkpointFlusher.start()
    this.leaseSweeper.start()
    this.pruner.start()
    this.claimLoop = this.runClaimLoop()
  }

  /**
   * Stops within `graceMs`, whatever the jobs do. Calling it again returns the same promise.
   */
  stop({ graceMs }: { graceMs: number }): Promise<StopReport> {
    if (this.state === 'idle' || this.state === 'stopped') {
      return this.stopping ?? Promise.resolve({ released: [], interrupted: [], abandoned: [], unwritten: [] })
    }
    // A SIGTERM during a drain brings the drain's deadline forward to its own.
    if (this.stopping) this.graceTimer.tighten(Date.now() + graceMs)
    return (this.stopping ??= this.shutDown(graceMs))
  }

  private async shutDown(graceMs: number): Promise<StopReport> {
    this.graceTimer = new GraceTimer(Date.now() + graceMs)
    const timer = this.graceTimer
    this.state = 'stopping'
    this.interruptedIds = []
    this.unwrittenIds = []
    this.doorbell.ring()
    for (const off of this.unsubscribe.splice(0)) off()
    // A claim stuck on an unreachable database must not eat the grace budget.
    await withTimeout(this.claimLoop ?? Promise.resolve(), timer.remainingMs()).catch(() => {})
    // Jobs that never started go back first, so other instances can take them while these stop.
    const releasing = this.release(this.localQueue.takeAll(), timer)
    for (const execution of this.executions.values()) execution.abort('shutdown')

    await Promise.race([this.allWritten(), timer.reserveReached])

    const abandoned = [...this.executions.values()]
    for (const execution of abandoned) {
      execution.abandoned = true
      // Its outcome write waits for a settlement that may never come: waiting on it would eat the budget left for deregistration.
      this.writing.delete(execution.outcomeWritten!)
      this.deps.log.warn({ jobId: execution.job.id, type: execution.job.type }, 'job ignored its shutdown token until the grace deadline: abandoning it, writing its checkpoint and requeueing it')
    }
    const writeBudgetMs = Math.max(0, timer.remainingMs() - 100)
    const requeued = await withTimeout(
      this.deps.store.requeueInterruptedJobs({
        instanceId: this.instanceId,
        jobs: abandoned.map((execution) => execution.currentState()),
      }),
      writeBudgetMs,
    ).catch((error: unknown) => {
      this.reportError(coerceError(error), 'requeue of abandoned jobs')
      return [] as string[]
    })
    for (const execution of abandoned) {
      this.executions.delete(execution.job.id)
      this.events.emit('job:settled', { job: execution.job, outcome: 'abandoned' })
    }
    // Outcome writes still retrying through a database outage give up now; those jobs' leases expire.
    this.deadline.abort()
    const remainingMs = () => timer.remainingMs()
    await withTimeout(Promise.allSettled([...this.writing]), remainingMs()).catch(() => {})
    const released = await releasing
    await withTimeout(
      Promise.allSettled([this.leaseKeeper.stop(), this.checkpointFlusher.stop(), this.leaseSweeper.stop(), this.pruner.stop()]),
      remainingMs(),
    ).catch(() => {})
    await withTimeout(this.deps.store.deregisterInstance({ instanceId: this.instanceId }), remainingMs()).catch(
      (error: unknown) => this.reportError(coerceError(error), 'deregistration'),
    )
    this.state = 'stopped'
    return {
      released,
      interrupted: this.interruptedIds,
      abandoned: abandoned.map((e) => e.job.id).filter((id) => requeued.includes(id)),
      // Jobs still settling have an outcome write hanging on the database past the deadline: their leases will expire.
      unwritten: [...new Set([...this.unwrittenIds, ...this.settling.keys(), ...abandoned.map((e) => e.job.id).filter((id) => !requeued.includes(id))])],
    }
  }

  /** Resolves once no job runs and no outcome is being written. */
  private async allWritten(): Promise<void> {
    while (this.executions.size > 0 || this.writing.size > 0) {
      await Promise.race<unknown>([...[...this.executions.values()].map((e) => e.settled), ...this.writing])
      // Let the outcome write that follows a settlement register itself.
      await new Promise((resolve) => setImmediate(resolve))
      if (this.writing.size > 0) await Promise.allSettled([...this.writing])
    }
  }

  private get freeSlots(): number {
    return this.config.concurrency - this.executions.size
  }

  /**
   * Claims for the free slots plus what the local queue wants to hold, and sleeps on the doorbell
   * when there is nothing to claim or nowhere to put it. Settling jobs fill their slots from the
   * local queue without waiting for this loop.
   */
  private async runClaimLoop(): Promise<void> {
    let failures = 0
    while (this.state === 'running') {
      this.releaseExpired()
      let claimedAll = false
      if ((this.freeSlots > 0 || this.localQueue.wantsRefill) && (this.deps.mayClaim?.() ?? true)) {
        this.localQueue.sampleRate()
        const limit = Math.max(0, this.freeSlots - this.localQueue.size) + this.localQueue.room
        try {
          const jobs = limit > 0 ? await this.deps.store.claimJobs({ instanceId: this.instanceId, queues: this.config.queues, limit, leaseMs: this.config.leaseMs }) : []
          failures = 0
          // Claimed during a stop: they stay queued here and the stop releases them.
          this.localQueue.push(this.notHeldHere(jobs))
          if (jobs.length > 0) this.events.emit('jobs:claimed', { jobs, waiting: this.localQueue.size })
          this.fillSlots()
          claimedAll = limit > 0 && jobs.length === limit
        } catch (error) {
          this.reportError(coerceError(error), 'claim')
          failures += 1
          await this.doorbell.wait(Math.min(5000, 100 * 2 ** failures))
          continue
        }
      }
      // A full claim may have left more behind: go again at once if there is room for it.
      const room = this.freeSlots > 0 || this.localQueue.wantsRefill
      if (!claimedAll || !room) await this.doorbell.wait(this.config.pollIntervalMs)
    }
  }

  /**
   * A job whose lease expired while this instance still held it (a database outage longer than the
   * lease) is recovered by the sweeper and may be claimed again by this same instance. The run
   * already here stays the only one: its outcome write passes the lease fence, the lease being
   * ours again, so starting the job a second time would run it after it succeeded. A job claimed
   * again while it waits in the local queue replaces its older entry (see `LocalQueue.push`).
   */
  private notHeldHere(jobs: readonly OwnedJob[]): OwnedJob[] {
    return jobs.filter((job) => !this.executions.has(job.id) && !this.settling.has(job.id))
  }

  /** Starts waiting jobs in the free slots. */
  private fillSlots(): void {
    while (this.state === 'running' && this.freeSlots > 0) {
      const job = this.localQueue.take()
      if (!job) return
      this.execute(job)
    }
  }

  private execute(claimed: OwnedJob): void {
    const startedAt = Date.now()
    const job: OwnedJob = { ...claimed, startedAt: new Date(startedAt).toISOString() }
    const execution = new JobExecution(job, this.deps.registry.get(job.type), this.deps.log, this.flushOne)
    this.executions.set(job.id, execution)
    this.localQueue.noteStart()
    this.outcomes.started(job.id)
    // The chaos suite reads these across processes to prove no succeeded job ran again.
    if (this.deps.log.isLevelEnabled('debug')) {
      this.deps.log.debug({ jobId: job.id, type: job.type, attempt: job.attempts, interruptions: job.interruptions, checkpoint: job.checkpoint }, 'job started')
    }
    this.events.emit('job:start', { job })
    // Long-polls here waiting for the job to leave `queued` wake now; those on other instances
    // re-read within their poll interval (a NOTIFY per claim would cost a statement per batch).
    this.deps.notifier.publishLocal('jobChanged', job.id)
    // A cancel may have been requested between the claim and now.
    if (job.cancelRequested) execution.abort('cancelled')
    const write = this.settle(execution)
    this.writing.add(write)
    execution.outcomeWritten = write
  }

  /** Waits for a started job to settle, frees its slot and writes its outcome. */
  private async settle(execution: JobExecution): Promise<void> {
    const { job } = execution
    try {
      const settlement = await execution.settled
      if (execution.abandoned) return
      // The slot frees now; the outcome is written in the next batch, and the lease is held until then.
      this.executions.delete(job.id)
      this.settling.set(job.id, execution)
      this.fillSlots()
      if (this.freeSlots > 0 || this.localQueue.wantsRefill) this.doorbell.ring()
      await this.writeOutcome(execution, settlement)
    } finally {
      // `outcomeWritten` is this call's promise, set before its first await returned.
      this.writing.delete(execution.outcomeWritten!)
      this.settling.delete(job.id)
    }
  }

  /**
   * A cancel request for a job claimed here: a running job's token fires; a job still waiting in the
   * local queue never starts and is marked cancelled with its attempt given back.
   */
  private cancel(id: string): void {
    const execution = this.executions.get(id)
    if (execution) return execution.abort('cancelled')
    const job = this.localQueue.remove(id)
    if (!job) return
    const write = this.retryWrite(() => this.outcomes.cancel({ id, checkpoint: job.checkpoint, progress: job.progress, started: false })).then((written) => {
      if (written === undefined) return this.events.emit('job:settled', { job, outcome: 'lost' })
      this.deps.notifier.announce('jobChanged', id)
      this.events.emit('job:settled', { job, outcome: written ? 'cancelled' : 'lost' })
    })
    this.writing.add(write)
    void write.finally(() => this.writing.delete(write))
  }

  /** Hands back jobs that waited in the local queue longer than its TTL. */
  private releaseExpired(): void {
    const expired = this.localQueue.takeExpired()
    if (expired.length === 0) return
    const write = this.release(expired, this.graceTimer).then(() => {})
    this.writing.add(write)
    void write.finally(() => this.writing.delete(write))
  }

  /** Gives never-started jobs back to the queue; returns the ids released. */
  private async release(jobs: readonly OwnedJob[], timer: GraceTimer): Promise<string[]> {
    if (jobs.length === 0) return []
    const released = await withTimeout(this.deps.store.releaseJobs({ instanceId: this.instanceId, ids: jobs.map((j) => j.id) }), timer.remainingMs()).catch(
      (error: unknown) => {
        // Their leases expire and the sweeper gives them back, attempt included.
        this.reportError(coerceError(error), 'release of waiting jobs')
        return [] as string[]
      },
    )
    if (released.length > 0) {
      for (const queue of new Set(jobs.map((j) => j.queue))) this.deps.notifier.announce('jobsAvailable', queue)
      for (const id of released) this.deps.notifier.announce('jobChanged', id)
    }
    return released
  }

  private async writeOutcome(execution: JobExecution, settlement: Settlement): Promise<void> {
    if (execution.abandoned) return
    const { job } = execution
    const snapshot = execution.currentState()
    let outcome: JobOutcome
    let write: () => Promise<boolean>
    const reason = execution.abortReason
    if (settlement.kind === 'resolved') {
      outcome = 'succeeded'
      write = () => this.outcomes.complete({ ...snapshot, result: settlement.result })
    } else if (reason === 'shutdown') {
      outcome = 'interrupted'
      write = () => this.outcomes.requeue(snapshot)
    } else if (reason === 'cancelled') {
      outcome = 'cancelled'
      write = () => this.outcomes.cancel({ ...snapshot, started: true })
    } else {
      const error = reason === 'timeout' ? `timed out after ${job.timeoutSeconds} s` : settlement.error.message || settlement.error.name
      outcome = job.attempts >= job.maxAttempts ? 'failed' : 'retry'
      const retryDelay = retryDelayMs(job.attempts, { baseMs: this.config.retryBaseMs })
      write = () => this.outcomes.fail({ ...snapshot, error: error.slice(0, 10_000), retryDelayMs: retryDelay })
    }
    const written = await this.retryWrite(write)
    if (execution.abandoned) return
    if (written === undefined) {
      this.unwrittenIds.push(job.id)
      this.events.emit('job:settled', { job, outcome: 'lost' })
      return
    }
    // Zero rows: the lease was lost and another instance owns the job now; its outcome wins.
    const finalOutcome = written ? outcome : 'lost'
    if (finalOutcome === 'interrupted') this.interruptedIds.push(job.id)
    if (finalOutcome === 'lost') this.deps.log.warn({ jobId: job.id }, 'job outcome not written: its lease had been recovered by another instance')
    this.deps.notifier.announce('jobChanged', job.id)
    if (outcome === 'retry' || outcome === 'interrupted') this.deps.notifier.announce('jobsAvailable', job.queue)
    this.events.emit('job:settled', settlement.kind === 'rejected' ? { job, outcome: finalOutcome, error: settlement.error } : { job, outcome: finalOutcome })
  }

  /** Retries a write through a database outage until it lands or the stop deadline passes. */
  private async retryWrite<T>(write: () => Promise<T>): Promise<T | undefined> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await write()
      } catch (error) {
        this.reportError(coerceError(error), 'outcome write')
        if (this.deadline.signal.aborted) return undefined
        const delay = WRITE_RETRY_MS[Math.min(attempt, WRITE_RETRY_MS.length - 1)]!
        await sleep(delay, undefined, { signal: this.deadline.signal, ref: false }).catch(() => {})
        if (this.deadline.signal.aborted) return undefined
      }
    }
  }

  /** Writes checkpoints and progress of `executions` in one statement: the flusher's and a job's `flush()`. */
  private async writeCheckpoints(executions: readonly JobExecution[]): Promise<void> {
    if (executions.length === 0) return
    const snapshots = executions.map((e) => e.snapshot())
    const jobs: JobSnapshot[] = snapshots.map((s) => s.snapshot)
    const written = await this.deps.store.writeCheckpoints({ instanceId: this.instanceId, jobs })
    for (const s of snapshots) s.markWritten()
    if (written.length > 0) {
      this.events.emit('job:checkpoint', { ids: written })
      for (const id of written) this.deps.notifier.announce('jobChanged', id)
    }
  }

  private onLeasesRecovered(ids: readonly string[]): void {
    this.events.emit('leases:recovered', { ids })
    for (const id of ids) this.deps.notifier.announce('jobChanged', id)
    for (const queue of this.config.queues) this.deps.notifier.announce('jobsAvailable', queue)
    this.doorbell.ring()
  }

  private reportError(error: Error, during: string): void {
    this.deps.log.error({ err: error, during }, `runner error during ${during}`)
    this.events.emit('runner:error', { error, during })
  }
}
