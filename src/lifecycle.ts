/**
 * The service's one lifecycle state machine. Every other module asks it ("may I accept work? may I
 * claim?") instead of keeping a flag of its own.
 *
 *   running ──drain()──▶ draining ──runner stopped──▶ drained ──resume()──▶ running
 *
 *   running | draining | drained ──shutdown()──▶ stopping ──▶ exited
 *
 * Drains and resumes are commands run one at a time, in order, from one queue: two concurrent
 * resumes start one runner generation, and a resume waits for the drain before it. A shutdown
 * (SIGTERM, SIGINT, a crash) wins over everything: it answers the commands still queued at once,
 * stops claiming the moment it is asked, brings the deadline of a drain in progress forward to its
 * own, stops a generation that a resume in progress is starting, and never goes back to `running`.
 *
 * A drain (an orchestrator's HTTP call) runs the runner's stop: tokens abort with `shutdown`,
 * checkpoints are written, unfinished jobs requeued; the process lives on. A shutdown does the same
 * within the grace budget, then closes the database and the server and exits. Calling `shutdown()`
 * again (Heroku sends several SIGTERMs) returns the same promise and changes nothing.
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

/**
 * What the last drain or shutdown did, for `GET /v1/admin/status` and the drain's answer: the ids of
 * the jobs it released (claimed ahead, never started), interrupted (stopped on their token, their
 * checkpoint written, requeued), abandoned (ignored their token until the deadline) and could not
 * write. `finishedAt` is null while it is under way.
 */
export interface StopRecord extends StopReport {
  kind: 'drain' | 'shutdown'
  cause: string
  startedAt: string
  finishedAt: string | null
}

export interface ControlledRunner {
  start(): Promise<void>
  stop(options: { graceMs: number }): Promise<StopReport>
  readonly runningJobs: number
}

interface Command {
  run(): Promise<void>
  /** Answers the command without running it (a shutdown overtook it). */
  skip(): void
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
  private readonly commands: Command[] = []
  private busy = false
  /** The drain that the next resume undoes; a second drain meanwhile answers with it. */
  private drainInEffect: Promise<StopReport> | undefined
  private stopping: Promise<void> | undefined
  /**
   * A resume is starting the runner. What it starts (the claim loop, the scheduler, the workers)
   * asks at once whether it may work, before the state is `running` again; told no, each would idle
   * until its next poll (the scheduler's is 30 s), so it may already (`mayClaim`).
   */
  private resuming = false
  private lastStopRecord: StopRecord | undefined
  /** Aborted when the shutdown begins: long-polls and other waits end early on it. */
  private readonly shutdownController = sharedAbortController()
  readonly startedAt = new Date()

  constructor(private readonly options: LifecycleOptions) {}

  get state(): LifecycleState {
    return this.current
  }

  /** The last drain or shutdown, under way or done; undefined before the first. */
  get lastStop(): StopRecord | undefined {
    return this.lastStopRecord
  }

  get shutdownSignal(): AbortSignal {
    return this.shutdownController.signal
  }

  /** Job routes take work only while running. */
  mayAccept(): boolean {
    return this.current === 'running'
  }

  /**
   * While running, and while a resume starts the runner (`resuming`); false from the moment a
   * shutdown is asked, even while a resume is still starting the runner.
   */
  mayClaim(): boolean {
    return (this.current === 'running' || (this.resuming && this.current === 'drained')) && this.stopping === undefined
  }

  /** During a shutdown every request but `/livez` is refused. */
  isShuttingDown(): boolean {
    return this.stopping !== undefined
  }

  /** Queues a drain; `draining` begins at once when nothing runs before it. Settles when the drain is complete. */
  drain(cause = 'http drain'): Promise<StopReport> {
    if (this.isShuttingDown()) return Promise.resolve(EMPTY_REPORT)
    return (this.drainInEffect ??= this.enqueue(EMPTY_REPORT, async () => {
      if (this.current !== 'running') return EMPTY_REPORT
      this.transition('draining', cause)
      const record = this.beginStopRecord('drain', cause)
      const report = await this.options.runner.stop({ graceMs: this.options.shutdownGraceMs })
      this.endStopRecord(record, report)
      if (this.state === 'draining') this.transition('drained', 'runner stopped')
      return report
    }))
  }

  /** Queues the undoing of a drain (never of a shutdown); resolves with the state it left. */
  resume(cause = 'http resume'): Promise<LifecycleState> {
    if (this.isShuttingDown()) return Promise.resolve(this.current)
    // A drain asked after this resume runs after it, instead of answering with the drain before it.
    this.drainInEffect = undefined
    return this.enqueue(undefined, async () => {
      if (this.current !== 'drained') return
      this.resuming = true
      try {
        await this.options.runner.start()
      } finally {
        this.resuming = false
      }
      // A shutdown asked while the runner started has stopped (or is stopping) that generation.
      if (this.isShuttingDown()) return
      this.transition('running', cause)
    }).then(() => this.current)
  }

  /**
   * Stops within the grace budget and exits. Calling it again returns the same promise.
   * `failed` (a crash) exits non-zero after the same careful stop, so the platform sees a failure.
   */
  shutdown(cause: string, { failed = false }: { failed?: boolean } = {}): Promise<void> {
    return (this.stopping ??= this.stop(cause, failed))
  }

  /** Runs `command` after those before it; a shutdown answers it with `skipped` instead. */
  private enqueue<T>(skipped: T, command: () => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.commands.push({ run: () => command().then(resolve, reject), skip: () => resolve(skipped) })
      if (!this.busy) this.runNext()
    })
  }

  private runNext(): void {
    const command = this.commands.shift()
    this.busy = command !== undefined
    if (!command) return
    // Called synchronously when the queue was idle: the command's first state change is visible at once.
    void command.run().finally(() => this.runNext())
  }

  private async stop(cause: string, failed: boolean): Promise<void> {
    const { runner, log, shutdownGraceMs, closeResources, exit } = this.options
    const deadline = Date.now() + shutdownGraceMs
    for (const command of this.commands.splice(0)) command.skip()
    this.transition('stopping', cause)
    this.shutdownController.abort('shutdown')
    // A last guard: whatever hangs, the process is gone before the platform's kill timer.
    const guard = setTimeout(
      () => {
        log.error({ graceMs: shutdownGraceMs }, 'shutdown did not finish inside the grace budget: exiting now')
        exit?.(1)
      },
      Math.max(0, shutdownGraceMs - 50),
    )
    guard.unref()
    // Keeps back time for closing the server and the database after the runner has stopped.
    const closeReserveMs = Math.min(1500, shutdownGraceMs * 0.15)
    let report = EMPTY_REPORT
    let exitCode = failed ? 1 : 0
    const record = this.beginStopRecord('shutdown', cause)
    try {
      // A drain in progress is the same stop of the same generation: its deadline comes forward to this one.
      report = await runner.stop({ graceMs: Math.max(0, deadline - closeReserveMs - Date.now()) })
      this.endStopRecord(record, report)
      log.info(
        {
          released: report.released.length,
          interrupted: report.interrupted.length,
          abandoned: report.abandoned,
          unwritten: report.unwritten,
        },
        'runner stopped',
      )
      await withTimeout(
        closeResources?.(Math.max(0, deadline - Date.now() - 100)) ?? Promise.resolve(),
        Math.max(0, deadline - Date.now() - 50),
      )
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

  private beginStopRecord(kind: StopRecord['kind'], cause: string): StopRecord {
    const record: StopRecord = { kind, cause, startedAt: new Date().toISOString(), finishedAt: null, ...EMPTY_REPORT }
    this.lastStopRecord = record
    return record
  }

  private endStopRecord(record: StopRecord, report: StopReport): void {
    Object.assign(record, {
      finishedAt: new Date().toISOString(),
      released: [...report.released],
      interrupted: [...report.interrupted],
      abandoned: [...report.abandoned],
      unwritten: [...report.unwritten],
    })
  }

  private transition(next: LifecycleState, cause: string): void {
    const previous = this.current
    if (previous === next || previous === 'exited' || (previous === 'stopping' && next !== 'exited')) return
    this.current = next
    this.options.log.info({ state: next, previous, cause }, `lifecycle: ${previous} → ${next}`)
    this.events.emit('lifecycle:state', { state: next, previous, cause })
  }
}
