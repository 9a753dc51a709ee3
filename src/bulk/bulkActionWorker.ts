/**
 * Works bulk actions, one at a time per instance, in batches (`BulkActionStore.workBatch`), and
 * tells the rest of the service what each batch moved (the same announcements as a single retry or
 * cancel: runners wake for retried jobs; a running job's cancel reaches the instance that runs it).
 * The lifecycle starts it beside the runner and stops it on a drain or a shutdown
 * (src/instanceWork.ts).
 *
 *   idle ──start()──▶ working ──stop()──▶ stopping ──▶ idle ──start()──▶ working …
 *
 *   a run's loop:  look for an action ──none──▶ wait (a wake-up or the poll interval) ──▶ look again
 *                      │ leased
 *                      ▼
 *                  batch ─▶ batch ─▶ … ─▶ completed ──▶ look again
 *                      │ stop: the batch under way commits or rolls back, the lease is given back
 *                      │ lease lost (another instance took over after an expiry): look again
 *
 * Each start builds a new run (its own stop signal and loop), so a drain → resume never reuses one.
 * A failed batch rolls back whole and is tried again after a pause while the lease holds; between
 * batches the loop yields to the event loop, so requests keep being answered.
 */
import { setImmediate as yieldToEventLoop } from 'node:timers/promises'
import type { Logger } from 'pino'
import { coerceError } from '../log.js'
import type { CancelledJob } from '../queue/jobService.js'
import type { OwnedJob } from '../queue/job.js'
import { TypedEmitter } from '../runner/events.js'
import { Doorbell } from '../support/doorbell.js'
import { IdlePoll } from '../support/idlePoll.js'
import { RepeatedFailures } from '../support/repeatedFailures.js'
import type { WorkedBulkAction } from './bulkAction.js'
import type { BulkActionStore } from './bulkActionStore.js'

export interface BulkActionWorkerConfig {
  /** This instance: the lease owner of the actions it works. */
  instanceId: string
  /** An action whose worker vanished is carried on by another instance once this expires. */
  leaseMs: number
  /** Jobs per batch, each batch one transaction (default 500). */
  batchSize?: number
  /** How often to look for actions with nothing to wake it (default 1 s). */
  pollIntervalMs?: number
  /** The pause after a failed batch or look-up (default 1 s). */
  errorPauseMs?: number
}

export interface BulkActionWorkerDependencies {
  store: Pick<BulkActionStore, 'claimBulkAction' | 'workBatch' | 'releaseBulkAction'>
  /** Announces what a batch moved: `JobService`'s own announcements of a retry and a cancel. */
  announce: {
    announceRetries(jobs: readonly Pick<OwnedJob, 'id' | 'queue'>[]): Promise<void>
    announceCancels(jobs: readonly CancelledJob[]): Promise<void>
  }
  log: Logger
  /** The lifecycle's answer to "may I take work now?". */
  mayWork?: () => boolean
}

export interface BulkActionWorkerEvents {
  /** A batch committed: the action as it now stands. */
  'bulk:batch': { action: WorkedBulkAction; moved: number }
  'bulk:completed': { action: WorkedBulkAction }
}

export const DEFAULT_BULK_BATCH_SIZE = 500
/** How often an idle worker looks with nothing to wake it, before `IdlePoll` backs off. */
const DEFAULT_POLL_INTERVAL_MS = 1000

export class BulkActionWorker {
  readonly events = new TypedEmitter<BulkActionWorkerEvents>()
  private run: WorkerRun | undefined

  constructor(
    private readonly config: BulkActionWorkerConfig,
    private readonly deps: BulkActionWorkerDependencies,
  ) {}

  /** Starts a new run unless one is working. */
  start(): void {
    if (this.run?.active) return
    this.run = new WorkerRun(this.config, this.deps, this.events)
  }

  /** Stops the run: the batch under way finishes, the lease is given back. Safe to call twice. */
  stop(): Promise<void> {
    return this.run?.stop() ?? Promise.resolve()
  }

  /** Looks for actions now (one was just created here). */
  wake(): void {
    this.run?.wake()
  }
}

class WorkerRun {
  private readonly stopped = new AbortController()
  private readonly doorbell = new Doorbell()
  /** A poll that fails at every turn (the database is gone) logs once a minute. */
  private readonly failures = new RepeatedFailures()
  private readonly pace: IdlePoll
  private readonly loop: Promise<void>
  private stopping: Promise<void> | undefined
  private readonly batchSize: number
  private readonly pollIntervalMs: number

  constructor(
    private readonly config: BulkActionWorkerConfig,
    private readonly deps: BulkActionWorkerDependencies,
    private readonly events: TypedEmitter<BulkActionWorkerEvents>,
  ) {
    this.batchSize = config.batchSize ?? DEFAULT_BULK_BATCH_SIZE
    this.pollIntervalMs = config.pollIntervalMs ?? DEFAULT_POLL_INTERVAL_MS
    this.stopped.signal.addEventListener('abort', () => this.doorbell.ring(), { once: true })
    this.pace = new IdlePoll(this.doorbell, {
      pollIntervalMs: this.pollIntervalMs,
      signal: this.stopped.signal,
    })
    this.loop = this.lookForWork()
  }

  get active(): boolean {
    return !this.stopped.signal.aborted
  }

  wake(): void {
    this.doorbell.ring()
  }

  stop(): Promise<void> {
    return (this.stopping ??= (async () => {
      this.stopped.abort()
      await this.loop
    })())
  }

  private async lookForWork(): Promise<void> {
    const { store, log, mayWork = () => true } = this.deps
    const { instanceId, leaseMs, errorPauseMs = 1000 } = this.config
    while (this.active) {
      if (!mayWork()) {
        await this.doorbell.wait(this.pollIntervalMs)
        continue
      }
      let action: WorkedBulkAction | undefined
      try {
        action = await store.claimBulkAction({ leaseOwner: instanceId, leaseMs })
      } catch (error) {
        this.failures.log(log, 'warn', 'bulk actions: looking for work failed', coerceError(error))
        await this.doorbell.wait(errorPauseMs)
        continue
      }
      if (action) {
        this.pace.found()
        await this.work(action)
      } else await this.pace.next()
    }
  }

  /** Batches until the action completes, the lease is lost, or the run stops (then the lease goes back). */
  private async work(claimed: WorkedBulkAction): Promise<void> {
    const { store, log } = this.deps
    const { instanceId, leaseMs, errorPauseMs = 1000 } = this.config
    const fields = { bulkActionId: claimed.id, action: claimed.action }
    const resumed = claimed.cursorId !== '0'
    log.info({ ...fields, matched: claimed.matched, done: claimed.done, resumed }, 'bulk action: working')
    while (this.active) {
      let result
      try {
        result = await store.workBatch({ id: claimed.id, leaseOwner: instanceId, leaseMs, batchSize: this.batchSize })
      } catch (error) {
        // Rolled back whole (a deadlock, a lost connection): the same batch is tried again.
        log.warn({ ...fields, err: coerceError(error) }, 'bulk action: a batch failed; trying it again')
        await this.doorbell.wait(errorPauseMs)
        continue
      }
      if (result.kind === 'lost') {
        log.info(fields, 'bulk action: its lease was lost; another instance carries it on')
        return
      }
      const { action, moved } = result
      await this.announce(action, moved)
      log.debug({ ...fields, done: action.done, failed: action.failed, cursor: action.cursorId }, 'bulk action: batch')
      this.events.emit('bulk:batch', { action, moved: moved.length })
      if (action.state === 'completed') {
        log.info(
          { ...fields, matched: action.matched, done: action.done, failed: action.failed },
          'bulk action: completed',
        )
        this.events.emit('bulk:completed', { action })
        return
      }
      // Requests waiting for the event loop (or, on PGlite, for the one connection) go first.
      await yieldToEventLoop()
    }
    await store.releaseBulkAction({ id: claimed.id, leaseOwner: instanceId }).catch((error: unknown) => {
      log.warn({ ...fields, err: coerceError(error) }, 'bulk action: giving the lease back failed; it will expire')
    })
    log.info(fields, 'bulk action: stopped; its lease is given back')
  }

  private async announce(action: WorkedBulkAction, moved: readonly CancelledJob[]): Promise<void> {
    if (moved.length === 0) return
    // Announcements are hints (runners poll, lease renewals read cancel flags): one lost costs a delay.
    try {
      if (action.action === 'retry') await this.deps.announce.announceRetries(moved)
      else await this.deps.announce.announceCancels(moved)
    } catch (error) {
      this.deps.log.warn({ bulkActionId: action.id, err: coerceError(error) }, 'bulk action: announcing failed')
    }
  }
}
