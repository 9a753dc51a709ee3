/**
 * The service's one lifecycle state machine. Every other module asks it ("may I accept work? may I
 * claim?") instead of keeping a flag of its own.
 *
 *   running ──drain()──▶ draining ──runner stopped──▶ drained
 *      ▲                    │                            │
 *      └──────resume()──────┴────────────────────────────┘
 *
 *   running | draining | drained ──shutdown()──▶ stopping ──▶ exited
 *
 * A drain (an orchestrator's HTTP call) stops claiming and runs the runner's stop: tokens abort
 * with `shutdown`, checkpoints are written, unfinished jobs requeued; the process lives on and
 * `resume()` undoes it. A shutdown (SIGTERM, SIGINT) does the same within the grace budget, then
 * closes the database and the server and exits. Calling `shutdown()` again (Heroku sends several
 * SIGTERMs) returns the same promise and changes nothing.
 */
import type { Logger } from 'pino'
import { TypedEmitter } from './runner/events.js'
import type { StopReport } from './runner/runner.js'
import { coerceError } from './log.js'
import { sharedAbortController } from './support/sharedAbortController.js'
import { withTimeout } from './support/withTimeout.js'

export type LifecycleState = 'running' | 'draining' | 'drained' | 'stopping' | 'exited'

export interface LifecycleEvents {
  'lifecycle:state': { state: LifecycleState; previous: LifecycleState; cause: string }
  'lifecycle:stopped': { report: StopReport; exitCode: number }
}

export interface ControlledRunner {
  start(): Promise<void>
  stop(options: { graceMs: number }): Promise<StopReport>
  readonly runningJobs: number
}

export interface LifecycleOptions {
  runner: ControlledRunner
  log: Logger
  /** SIGTERM to exit, everything included. */
  shutdownGraceMs: number
  /** Closes what must close before exit (HTTP server, database), in that order. */
  closeResources?: (budgetMs: number) => Promise<void>
  exit?: (code: number) => void
}

const EMPTY_REPORT: StopReport = { released: [], interrupted: [], abandoned: [], unwritten: [] }

export class Lifecycle {
  readonly events = new TypedEmitter<LifecycleEvents>()
  private current: LifecycleState = 'running'
  private draining: Promise<StopReport> | undefined
  private stopping: Promise<void> | undefined
  /** Aborted when the shutdown begins: long-polls and other waits end early on it. */
  private readonly shutdownController = sharedAbortController()
  readonly startedAt = new Date()

  constructor(private readonly options: LifecycleOptions) {}

  get state(): LifecycleState {
    return this.current
  }

  get shutdownSignal(): AbortSignal {
    return this.shutdownController.signal
  }

  /** Job routes take work only while running. */
  mayAccept(): boolean {
    return this.current === 'running'
  }

  mayClaim(): boolean {
    return this.current === 'running'
  }

  /** During a shutdown every request but `/livez` is refused. */
  isShuttingDown(): boolean {
    return this.current === 'stopping' || this.current === 'exited'
  }

  /** Starts a drain and returns at once; the promise settles when the drain is complete. */
  drain(cause = 'http drain'): Promise<StopReport> {
    if (this.isShuttingDown()) return this.draining ?? Promise.resolve(EMPTY_REPORT)
    if (this.draining) return this.draining
    this.transition('draining', cause)
    const drain = this.options.runner.stop({ graceMs: this.options.shutdownGraceMs }).then((report) => {
      if (this.current === 'draining') this.transition('drained', 'runner stopped')
      return report
    })
    this.draining = drain
    return drain
  }

  /** Undoes a drain (never a shutdown). */
  async resume(cause = 'http resume'): Promise<LifecycleState> {
    if (this.isShuttingDown()) return this.current
    if (this.draining) await this.draining
    if (this.isShuttingDown() || this.current === 'running') return this.current
    this.draining = undefined
    await this.options.runner.start()
    this.transition('running', cause)
    return this.current
  }

  /**
   * Stops within the grace budget and exits. Calling it again returns the same promise.
   * `failed` (a crash) exits non-zero after the same careful stop, so the platform sees a failure.
   */
  shutdown(cause: string, { failed = false }: { failed?: boolean } = {}): Promise<void> {
    return (this.stopping ??= this.stop(cause, failed))
  }

  private async stop(cause: string, failed: boolean): Promise<void> {
    const { runner, log, shutdownGraceMs, closeResources, exit } = this.options
    const deadline = Date.now() + shutdownGraceMs
    this.transition('stopping', cause)
    this.shutdownController.abort('shutdown')
    // A last guard: whatever hangs, the process is gone before the platform's kill timer.
    const guard = setTimeout(() => {
      log.error({ graceMs: shutdownGraceMs }, 'shutdown did not finish inside the grace budget: exiting now')
      exit?.(1)
    }, Math.max(0, shutdownGraceMs - 50))
    guard.unref()
    // Keeps back time for closing the server and the database after the runner has stopped.
    const closeReserveMs = Math.min(1500, shutdownGraceMs * 0.15)
    let report = EMPTY_REPORT
    let exitCode = failed ? 1 : 0
    try {
      report = await runner.stop({ graceMs: Math.max(0, deadline - closeReserveMs - Date.now()) })
      log.info({ released: report.released.length, interrupted: report.interrupted.length, abandoned: report.abandoned, unwritten: report.unwritten }, 'runner stopped')
      await withTimeout(closeResources?.(Math.max(0, deadline - Date.now() - 100)) ?? Promise.resolve(), Math.max(0, deadline - Date.now() - 50))
    } catch (error) {
      exitCode = 1
      log.error({ err: coerceError(error) }, 'shutdown step failed')
    }
    clearTimeout(guard)
    this.transition('exited', 'shutdown complete')
    log.info({ exitCode, elapsedMs: shutdownGraceMs - (deadline - Date.now()) }, 'exiting')
    this.events.emit('lifecycle:stopped', { report, exitCode })
    exit?.(exitCode)
  }

  private transition(next: LifecycleState, cause: string): void {
    const previous = this.current
    if (previous === next) return
    this.current = next
    this.options.log.info({ state: next, previous, cause }, `lifecycle: ${previous} → ${next}`)
    this.events.emit('lifecycle:state', { state: next, previous, cause })
  }
}
