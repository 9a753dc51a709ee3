/**
 * A background task that runs every `intervalMs` until stopped, never overlapping itself. Errors are
 * reported, not thrown: a database outage must not kill the lease keeper that outlives it.
 */
import { coerceError } from '../log.js'

export class Periodic {
  private timer: NodeJS.Timeout | undefined
  private running: Promise<void> | undefined
  private active = false

  constructor(
    readonly name: string,
    private readonly intervalMs: number,
    private readonly task: () => Promise<void>,
    private readonly onError: (error: Error) => void,
  ) {}

  start(): void {
    if (this.active) return
    this.active = true
    this.schedule()
  }

  /** Runs the task now (waiting for a run in progress first). */
  async runNow(): Promise<void> {
    while (this.running) await this.running
    this.running = this.task().catch((thrown) => this.onError(coerceError(thrown)))
    await this.running
    this.running = undefined
  }

  /** Stops scheduling and waits for a run in progress. Safe to call twice. */
  async stop(): Promise<void> {
    this.active = false
    clearTimeout(this.timer)
    await this.running
  }

  private schedule(): void {
    if (!this.active) return
    this.timer = setTimeout(async () => {
      await this.runNow()
      this.schedule()
    }, this.intervalMs)
    this.timer.unref()
  }
}
