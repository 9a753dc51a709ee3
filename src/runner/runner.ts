/**
 * The in-process runner as the service sees it: `concurrency` slots, started and stopped by the
 * lifecycle. Each start builds a new, single-use `RunnerGeneration` (claim loop, local queue, runs,
 * outcome writes and background services: src/runner/generation.ts) and each stop ends it, so a
 * drain → resume → drain sequence never reuses a timer, a subscription or a deadline.
 *
 *   idle ──start()──▶ generation 1 running ──stop()──▶ stopped ──start()──▶ generation 2 running …
 *
 * What outlives a generation lives here: the instance id shown to operators, the typed events, and
 * `LiveRuns`, the runs whose code still executes (an abandoned run keeps its slot and blocks a second
 * run of its job until its code returns). Whether the service may claim at all is asked of
 * `mayClaim` (the lifecycle), never kept here.
 */
import { randomUUID } from 'node:crypto'
import type { Logger } from 'pino'
import type { JobRegistry } from '../../jobs/registry.js'
import type { Config } from '../config.js'
import type { Notifier } from '../queue/notifier.js'
import type { JobExecution } from './jobExecution.js'
import type { JobStore, NewJob } from '../queue/store.js'
import type { LocalStarts, StartReservation } from './localStarts.js'
import type { LimitedQueue } from '../queue/limitedClaim.js'
import type { PauseBoard } from '../queue/pauses.js'
import { TypedEmitter, type RunnerEvents } from './events.js'
import { RunnerGeneration } from './generation.js'
import { LiveRuns } from './liveRuns.js'

export interface RunnerConfig {
  concurrency: number
  /** Most jobs claimed ahead of the free slots (see `LocalQueue`); 0 claims only for free slots. */
  localQueueSize?: number
  queues: readonly string[]
  /** Limits per queue (`QUEUE_LIMITS`); none when absent. */
  queueLimits?: readonly LimitedQueue[]
  leaseMs: number
  checkpointIntervalMs: number
  pollIntervalMs: number
  /**
   * Longest wait between two claims that found nothing, where other instances' wake-ups reach this
   * one (LISTEN/NOTIFY): an idle claim loop backs off from `pollIntervalMs` up to it, since every
   * runnable job is announced (default 5 s). Without LISTEN the loop polls every `pollIntervalMs`.
   */
  idlePollMaxMs?: number
  retryBaseMs: number
  /** How often expired leases are looked for; by default often enough to recover within a second or two. */
  sweepIntervalMs?: number
  /** How often queued jobs past their `expiresAt` are marked `expired` (default a second). */
  expirySweepIntervalMs?: number
  /** The first and shortest wait between looks at the queue tables' statistics (src/runner/statisticsKeeper.ts; default 1 s). */
  statisticsIntervalMs?: number
  /** How long finished jobs are kept before the pruner deletes them (default 7 days). */
  retentionMs?: number
  /** How long a run may ignore its timeout's token before it is abandoned and its slot freed (default 5 s). */
  timeoutAbandonGraceMs?: number
  /**
   * How long a run may ignore a cancel's token before it is abandoned as `cancelled` and its slot
   * freed (CANCEL_GRACE_SECONDS); never when absent.
   */
  cancelGraceMs?: number
  instanceId?: string
}

/** The runner's settings, as the service configuration gives them. */
export function runnerConfigFrom(config: Config): RunnerConfig {
  return {
    concurrency: config.concurrency,
    localQueueSize: config.localQueueSize,
    queues: config.queues,
    queueLimits: config.queueLimits,
    leaseMs: config.leaseMs,
    checkpointIntervalMs: config.checkpointIntervalMs,
    pollIntervalMs: config.pollIntervalMs,
    retryBaseMs: config.retryBaseMs,
    retentionMs: config.retentionMs,
    cancelGraceMs: config.cancelGraceMs,
  }
}

export interface RunnerDependencies {
  store: JobStore
  notifier: Notifier
  registry: JobRegistry
  log: Logger
  /** The lifecycle's answer to "may I claim now?". */
  mayClaim?: () => boolean
  /** The cluster's paused queues and job types, left out of claims (src/queue/pauses.ts). */
  pauses?: PauseBoard
  /** Hears each progress report of a job running here as it happens (src/observability/liveProgress.ts). */
  onProgress?: (execution: JobExecution) => void
}

export interface StopReport {
  /** Jobs claimed ahead that never started: handed back without counting an attempt. */
  released: string[]
  /** Jobs that stopped on their token and went back to the queue with their checkpoint. */
  interrupted: string[]
  /** Jobs that ignored their token until the deadline: checkpoint written, requeued with the attempt counted. */
  abandoned: string[]
  /** Jobs whose outcome could not be written before the deadline (their lease will expire). */
  unwritten: string[]
}

const EMPTY_REPORT: StopReport = { released: [], interrupted: [], abandoned: [], unwritten: [] }

export class Runner implements LocalStarts {
  /** This process's id for operators and logs; the first generation leases under it, later ones under ids of their own. */
  readonly instanceId: string
  readonly events = new TypedEmitter<RunnerEvents>()
  private readonly liveRuns = new LiveRuns()
  private generation: RunnerGeneration | undefined
  private generations = 0
  /** Counts `stop()` calls, so that a start can tell a stop came while it waited. */
  private stopsAsked = 0

  constructor(
    private readonly config: RunnerConfig,
    private readonly deps: RunnerDependencies,
  ) {
    this.instanceId = config.instanceId ?? randomUUID()
  }

  /** Runs holding a slot, of any generation (abandoned runs whose code still executes included). */
  get runningJobs(): number {
    return this.liveRuns.slotsTaken
  }

  /** The current generation's running jobs. */
  get runningJobIds(): string[] {
    return this.generation?.runningJobIds ?? []
  }

  /** Jobs claimed ahead and waiting for a slot. */
  get waitingJobs(): number {
    return this.generation?.waitingJobs ?? 0
  }

  /** The lease owner of the current generation (tests read the database with it). */
  get leaseOwner(): string | undefined {
    return this.generation?.leaseOwner
  }

  /** Which of an enqueue's jobs may start here at once (src/runner/localStarts.ts): the current generation's answer. */
  reserveStarts(jobs: readonly NewJob[]): StartReservation | undefined {
    return this.generation?.reserveStarts(jobs)
  }

  /**
   * Starts a new generation, after the previous one has stopped. Starting a running runner does
   * nothing; callers (the lifecycle) serialize start and stop.
   */
  async start(): Promise<void> {
    const previous = this.generation
    if (previous?.isActive) return
    const stopsBefore = this.stopsAsked
    // A generation still stopping finishes first: its jobs must be written before new claims.
    if (previous) await previous.stop({ graceMs: Infinity })
    // A stop asked meanwhile (a shutdown in the same tick as a resume) reached the previous
    // generation only: starting a new one now would leave it claiming after that stop.
    if (this.stopsAsked !== stopsBefore) return
    // The first generation leases under the instance id, so a runner that never drains is one id everywhere.
    const leaseOwner = this.generations++ === 0 ? this.instanceId : randomUUID()
    const generation = new RunnerGeneration(leaseOwner, this.config, {
      ...this.deps,
      events: this.events,
      liveRuns: this.liveRuns,
    })
    this.generation = generation
    await generation.start()
  }

  /** Stops the current generation within `graceMs`. Calling it again returns the same promise, with the stricter deadline. */
  stop({ graceMs }: { graceMs: number }): Promise<StopReport> {
    this.stopsAsked += 1
    return this.generation?.stop({ graceMs }) ?? Promise.resolve(EMPTY_REPORT)
  }

  /**
   * Blames an uncaught exception on the runs whose job file is in its stack (on every run, when none
   * is): their outcome is a failed attempt, so a job that crashes the process uses its attempts and
   * ends `failed`, while the other runs are interrupted and refunded. Returns the ids blamed.
   */
  blameCrash(error: Error): string[] {
    return this.generation?.blameCrash(error) ?? []
  }
}
