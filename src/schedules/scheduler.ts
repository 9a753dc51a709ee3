/**
 * The scheduler: fires due schedules on this instance, beside every other instance's scheduler. It
 * has no leader to elect: each fire claims due schedules with `for update skip locked` and commits
 * the slots' jobs with the advance of `next_run_at` (src/schedules/store.ts), so two instances never
 * fire one slot, and a slot is never lost to an instance killed in the middle of a fire.
 *
 *   stopped ──start()──▶ idle ──due (by the database's clock) or woken──▶ firing ──▶ idle
 *   idle | firing ──stop()──▶ stopped (a fire in progress commits or rolls back first)
 *
 * While idle it asks one question, "how long until the earliest schedule is due?", and sleeps that
 * long, at most `maxIdleMs`; a schedule created, changed or resumed on any instance wakes it at once
 * (a `schedulesChanged` notification; over PGlite, in-process). A due schedule that another instance
 * holds locked is retried after `contendedBackoffMs`. The lifecycle starts it with the runner and
 * stops it first on a drain or a shutdown; a drained instance fires nothing.
 *
 * Each start is a new generation with its own loop, so a stop and a later start share no state.
 */
import type { Logger } from 'pino'
import { coerceError } from '../log.js'
import type { JobService } from '../queue/jobService.js'
import type { Notifier } from '../queue/notifier.js'
import { TypedEmitter } from '../runner/events.js'
import { Doorbell } from '../support/doorbell.js'
import { enqueueRequestOf } from './schedule.js'
import type { FiredSchedule, FireReport, PrepareSlotJob, ScheduleStore } from './store.js'

export interface SchedulerConfig {
  /** Schedules fired per transaction. */
  batchSize: number
  /** The longest sleep while no schedule is due: the fallback for a lost wake-up. */
  maxIdleMs: number
  /** Wait before retrying due schedules that another instance is firing. */
  contendedBackoffMs: number
  /** Wait after a failed statement (the database away). */
  errorBackoffMs: number
}

export const DEFAULT_SCHEDULER_CONFIG: SchedulerConfig = {
  batchSize: 100,
  maxIdleMs: 30_000,
  contendedBackoffMs: 100,
  errorBackoffMs: 1000,
}

export interface SchedulerEvents {
  /** One schedule's part of a fire, after commit. */
  'schedule:fired': { schedule: FiredSchedule }
  'scheduler:error': { error: Error }
}

export interface SchedulerDependencies {
  store: ScheduleStore
  jobs: Pick<JobService, 'prepare' | 'announce' | 'cancelled'>
  notifier: Pick<Notifier, 'subscribe'>
  /** The lifecycle's answer: false while draining or stopping. */
  mayFire: () => boolean
  log: Logger
}

export class Scheduler {
  readonly events = new TypedEmitter<SchedulerEvents>()
  private generation: SchedulerGeneration | undefined
  private readonly config: SchedulerConfig

  constructor(
    config: Partial<SchedulerConfig>,
    private readonly deps: SchedulerDependencies,
  ) {
    this.config = { ...DEFAULT_SCHEDULER_CONFIG, ...config }
  }

  /** Starts a generation; no-op while one runs. */
  start(): void {
    if (this.generation && !this.generation.stopping) return
    this.generation = new SchedulerGeneration(this.config, this.deps, this.events)
  }

  /** Stops the running generation (the same promise when called again). */
  stop(): Promise<void> {
    return this.generation?.stop() ?? Promise.resolve()
  }

  /** Looks at the schedules now (one was changed here). */
  wake(): void {
    this.generation?.wake()
  }
}

class SchedulerGeneration {
  stopping: Promise<void> | undefined
  private readonly doorbell = new Doorbell()
  private readonly loop: Promise<void>
  private readonly unsubscribe: () => void

  constructor(
    private readonly config: SchedulerConfig,
    private readonly deps: SchedulerDependencies,
    private readonly events: TypedEmitter<SchedulerEvents>,
  ) {
    this.unsubscribe = deps.notifier.subscribe('schedulesChanged', () => this.doorbell.ring())
    this.loop = this.run()
  }

  wake(): void {
    this.doorbell.ring()
  }

  stop(): Promise<void> {
    return (this.stopping ??= (async () => {
      this.unsubscribe()
      this.doorbell.ring()
      await this.loop
    })())
  }

  private async run(): Promise<void> {
    const { store, mayFire } = this.deps
    while (!this.stopping) {
      let waitMs: number
      try {
        if (!mayFire()) {
          waitMs = this.config.maxIdleMs
        } else {
          const dueInMs = await store.msUntilNextDue()
          if (this.stopping) break
          if (dueInMs !== null && dueInMs <= 0) {
            const report = await store.fireDue({ limit: this.config.batchSize, prepare: this.prepare })
            this.announce(report)
            // None claimed while some are due: another instance holds them; it commits in a moment.
            if (report.claimed > 0) continue
            waitMs = this.config.contendedBackoffMs * (0.5 + Math.random())
          } else {
            waitMs = dueInMs === null ? this.config.maxIdleMs : Math.min(Math.ceil(dueInMs), this.config.maxIdleMs)
          }
        }
      } catch (thrown) {
        const error = coerceError(thrown)
        this.deps.log.warn({ err: error }, 'scheduler: a fire failed; retrying')
        this.events.emit('scheduler:error', { error })
        waitMs = this.config.errorBackoffMs
      }
      if (this.stopping) break
      await this.doorbell.wait(waitMs)
    }
  }

  private readonly prepare: PrepareSlotJob = (template) => this.deps.jobs.prepare(enqueueRequestOf(template))

  /** After commit: runners woken, cancels delivered, metrics and logs told. */
  private announce(report: FireReport): void {
    const { jobs, log } = this.deps
    for (const schedule of report.schedules) {
      if (schedule.enqueued.length > 0) jobs.announce(schedule.enqueued)
      if (schedule.cancelled) void jobs.cancelled(schedule.cancelled).catch(() => {})
      if (schedule.error !== undefined) {
        log.warn(
          { schedule: schedule.id, error: schedule.error },
          'schedule: its job template was refused; slot skipped',
        )
      }
      if (schedule.missed > 0) {
        log.info({ schedule: schedule.id, missed: schedule.missed }, 'schedule: slots missed beyond the backfill')
      }
      log.debug(
        { schedule: schedule.id, slots: schedule.slots.map((s) => s.toISOString()), skipped: schedule.skipped },
        'schedule fired',
      )
      this.events.emit('schedule:fired', { schedule })
    }
  }
}
