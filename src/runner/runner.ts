/**
 * The in-process runner: `concurrency` slots filled by claims from the store, one `JobExecution`
 * per claimed job, outcomes written as jobs settle, and three background services (lease keeper,
 * checkpoint flusher, lease sweeper).
 *
 *   idle ──start()──▶ running ──stop()──▶ stopping ──▶ stopped ──start()──▶ running
 *
 * `stop({ graceMs })` is what a drain or a SIGTERM calls: stop claiming, abort every token with
 * `shutdown`, wait for jobs to settle until shortly before the deadline, write each outcome
 * (interrupted jobs go back to `queued` with their checkpoint), then abandon whatever still runs:
 * its last checkpoint is written and it is requeued. Whether the service may claim at all is asked
 * of `mayClaim` (the lifecycle), never kept here.
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
import { GraceTimer } from './graceTimer.js'
import { withTimeout } from '../support/withTimeout.js'

export interface RunnerConfig {
  concurrency: number
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

export class Runner {
  readonly instanceId: string
  readonly events = new TypedEmitter<RunnerEvents>()
  private state: RunnerState = 'idle'
  private readonly executions = new Map<string, JobExecution>()
  /** Outcome writes in flight; a job keeps its slot (and its lease) until its outcome is written. */
  private readonly writing = new Set<Promise<void>>()
  /** Each execution's outcome write, so an abandoned job's (which never settles) can leave `writing`. */
  private readonly writeOf = new WeakMap<JobExecution, Promise<void>>()
  private readonly doorbell = new Doorbell()
  private claimLoop: Promise<void> | undefined
  private stopping: Promise<StopReport> | undefined
  /** Aborted at the stop deadline: outcome writes still retrying give up. */
  private deadline = new AbortController()
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

  constructor(
    private readonly config: RunnerConfig,
    private readonly deps: RunnerDependencies,
  ) {
    this.instanceId = config.instanceId ?? randomUUID()
    this.outcomes = new OutcomeBatches(deps.store, this.instanceId)
    const onError = (during: string) => (error: Error) => this.reportError(error, during)
    const executions = () => this.executions.values()
    this.leaseKeeper = new LeaseKeeper(
      { instanceId: this.instanceId, leaseMs: config.leaseMs },
      { store: deps.store, executions, log: deps.log, onError: onError('lease renewal') },
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
    this.deadline = new AbortController()
    const served = new Set(this.config.queues)
    this.unsubscribe.push(
      this.deps.notifier.subscribe('jobsAvailable', (queue) => served.has(queue) && this.doorbell.ring()),
      this.deps.notifier.subscribe('cancelRequested', (id) => this.executions.get(id)?.abort('cancelled')),
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
      return this.stopping ?? Promise.resolve({ interrupted: [], abandoned: [], unwritten: [] })
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
    for (const execution of this.executions.values()) execution.abort('shutdown')

    await Promise.race([this.allWritten(), timer.reserveReached])

    const stuck = [...this.executions.values()]
    const abandoned = stuck.filter((execution) => !execution.isSettled)
    for (const execution of abandoned) {
      execution.abandoned = true
      // Its outcome write waits for a settlement that may never come: waiting on it would eat the budget left for deregistration.
      this.writing.delete(this.writeOf.get(execution)!)
      this.deps.log.warn({ jobId: execution.job.id, type: execution.job.type }, 'job ignored its shutdown token until the grace deadline: abandoning it, writing its checkpoint and requeueing it')
    }
    const writeBudgetMs = Math.max(0, timer.remainingMs() - 100)
    const requeued = await withTimeout(
      this.deps.store.requeueInterruptedJobs({
        instanceId: this.instanceId,
        jobs: abandoned.map((execution) => execution.snapshot().snapshot),
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
    await withTimeout(
      Promise.allSettled([this.leaseKeeper.stop(), this.checkpointFlusher.stop(), this.leaseSweeper.stop(), this.pruner.stop()]),
      remainingMs(),
    ).catch(() => {})
    await withTimeout(this.deps.store.deregisterInstance({ instanceId: this.instanceId }), remainingMs()).catch(
      (error: unknown) => this.reportError(coerceError(error), 'deregistration'),
    )
    this.state = 'stopped'
    return {
      interrupted: this.interruptedIds,
      abandoned: abandoned.map((e) => e.job.id).filter((id) => requeued.includes(id)),
      // Jobs still here settled, but their outcome write hangs on the database past the deadline: their leases will expire.
      unwritten: [...new Set([...this.unwrittenIds, ...this.executions.keys(), ...abandoned.map((e) => e.job.id).filter((id) => !requeued.includes(id))])],
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

  private async runClaimLoop(): Promise<void> {
    let failures = 0
    while (this.state === 'running') {
      const free = this.config.concurrency - this.executions.size
      let claimedAll = false
      if (free > 0 && (this.deps.mayClaim?.() ?? true)) {
        try {
          const jobs = await this.deps.store.claimJobs({
            instanceId: this.instanceId,
            queues: this.config.queues,
            limit: free,
            leaseMs: this.config.leaseMs,
          })
          failures = 0
          for (const job of jobs) this.execute(job)
          claimedAll = jobs.length === free
        } catch (error) {
          this.reportError(coerceError(error), 'claim')
          failures += 1
          await this.doorbell.wait(Math.min(5000, 100 * 2 ** failures))
          continue
        }
      }
      // A full claim may have left more behind: go again once a slot frees up.
      if (!claimedAll || this.executions.size >= this.config.concurrency) {
        await this.doorbell.wait(this.config.pollIntervalMs)
      }
    }
  }

  private execute(job: OwnedJob): void {
    const log = this.deps.log.child({ jobId: job.id, type: job.type })
    const execution = new JobExecution(job, this.deps.registry.get(job.type), log, (e) => this.writeCheckpoints([e]))
    this.executions.set(job.id, execution)
    // The chaos suite reads these across processes to prove no succeeded job ran again.
    log.debug({ attempt: job.attempts, interruptions: job.interruptions, checkpoint: job.checkpoint }, 'job started')
    this.events.emit('job:start', { job })
    // Long-polls here waiting for the job to leave `queued` wake now; those on other instances
    // re-read within their poll interval (a NOTIFY per claim would cost a statement per batch).
    this.deps.notifier.publishLocal('jobChanged', job.id)
    // A cancel may have been requested between the claim and now, or a stop begun during the claim.
    if (job.cancelRequested) execution.abort('cancelled')
    if (this.state !== 'running') execution.abort('shutdown')
    const write = execution.settled.then((settlement) => this.writeOutcome(execution, settlement))
    this.writing.add(write)
    this.writeOf.set(execution, write)
    void write.finally(() => {
      this.writing.delete(write)
      this.doorbell.ring()
    })
  }

  private async writeOutcome(execution: JobExecution, settlement: Settlement): Promise<void> {
    if (execution.abandoned) return
    const { job } = execution
    const { snapshot } = execution.snapshot()
    let outcome: JobOutcome
    let write: () => Promise<string[]>
    const reason = execution.abortReason
    if (settlement.kind === 'resolved') {
      outcome = 'succeeded'
      write = () => this.outcomes.complete({ ...snapshot, result: settlement.result })
    } else if (reason === 'shutdown') {
      outcome = 'interrupted'
      write = () => this.outcomes.requeue(snapshot)
    } else if (reason === 'cancelled') {
      outcome = 'cancelled'
      write = () => this.outcomes.cancel(snapshot)
    } else {
      const error = reason === 'timeout' ? `timed out after ${job.timeoutSeconds} s` : settlement.error.message || settlement.error.name
      outcome = job.attempts >= job.maxAttempts ? 'failed' : 'retry'
      const retryDelay = retryDelayMs(job.attempts, { baseMs: this.config.retryBaseMs })
      write = () => this.outcomes.fail({ ...snapshot, error: error.slice(0, 10_000), retryDelayMs: retryDelay })
    }
    const written = await this.retryWrite(write)
    if (execution.abandoned) return
    this.executions.delete(job.id)
    if (written === undefined) {
      this.unwrittenIds.push(job.id)
      this.events.emit('job:settled', { job, outcome: 'lost' })
      return
    }
    // Zero rows: the lease was lost and another instance owns the job now; its outcome wins.
    const finalOutcome = written.length === 0 ? 'lost' : outcome
    if (finalOutcome === 'interrupted') this.interruptedIds.push(job.id)
    if (finalOutcome === 'lost') this.deps.log.warn({ jobId: job.id }, 'job outcome not written: its lease had been recovered by another instance')
    void this.deps.notifier.publish('jobChanged', job.id)
    if (outcome === 'retry' || outcome === 'interrupted') void this.deps.notifier.publish('jobsAvailable', job.queue)
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
      for (const id of written) void this.deps.notifier.publish('jobChanged', id)
    }
  }

  private onLeasesRecovered(ids: readonly string[]): void {
    this.events.emit('leases:recovered', { ids })
    for (const id of ids) void this.deps.notifier.publish('jobChanged', id)
    for (const queue of this.config.queues) void this.deps.notifier.publish('jobsAvailable', queue)
    this.doorbell.ring()
  }

  private reportError(error: Error, during: string): void {
    this.deps.log.error({ err: error, during }, `runner error during ${during}`)
    this.events.emit('runner:error', { error, during })
  }
}
