/**
 * A background task that runs every `intervalMs` until stopped, never overlapping itself. Errors are
 * reported, not thrown: a database outage must not kill the lease keeper that outlives it. The task
 * gets a signal that `stop()` aborts, so that a long run can end early instead of holding the stop.
 * A task that paces itself (the statistics keeper backs off while it finds nothing to do) resolves
 * to the wait before its next run; one that resolves to nothing, or throws, waits `intervalMs`.
 */
import { coerceError } from '../log.js'

export class Periodic {
  private timer: NodeJS.Timeout | undefined
  private running: Promise<void> | undefined
  private active = false
  private stopped = new AbortController()
  /** The wait the last run asked for, if it asked. */
  private nextWaitMs: number | undefined

  constructor(
    readonly name: string,
    private readonly intervalMs: number,
    private readonly task: (signal: AbortSignal) => Promise<number | void>,
    private readonly onError: (error: Error) => void,
  ) {}

  start(): void {
    if (this.active) return
    this.active = true
    if (this.stopped.signal.aborted) this.stopped = new AbortController()
    this.nextWaitMs = undefined
    this.schedule()
  }

  /** Runs the task now (waiting for a run in progress first). */
  async runNow(): Promise<void> {
    while (this.running) await this.running
    this.running = this.task(this.stopped.signal).then(
      (waitMs) => {
        this.nextWaitMs = typeof waitMs === 'number' ? waitMs : undefined
      },
      (thrown: unknown) => {
        this.nextWaitMs = undefined
        this.onError(coerceError(thrown))
      },
    )
    await this.running
    this.running = undefined
  }

  /** Stops scheduling and waits for a run in progress. Safe to call twice. */
  async stop(): Promise<void> {
    this.active = false
    this.stopped.abort()
    clearTimeout(this.timer)
    await this.running
  }

  private schedule(): void {
    if (!this.active) return
    this.timer = setTimeout(async () => {
      await this.runNow()
      this.schedule()
    }, this.nextWaitMs ?? this.intervalMs)
    this.timer.unref()
  }
}
