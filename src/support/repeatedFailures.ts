/**
 * Keeps a failure that repeats from flooding the log. While the database is gone, the work of an
 * instance fails at every turn: each running job's outcome write at every retry, the claim at every
 * poll, the lease keeper, the sweeps and the checkpoint flush at every tick, the bulk-action and
 * webhook workers at every poll. A few seconds of outage logged 72 lines of one outcome-write error
 * (test/soak/databaseFaults.ts), which buries the line that says what happened. So the first failure
 * of a kind is logged, the same kind again within `windowMs` is only counted, and the first one after
 * the window is logged with that count. The runner's failures all count in
 * `job_runner_runner_errors_total` (src/observability/metrics.ts).
 */
import type { Logger } from '../log.js'

/** The window unless told otherwise: a failure of one kind is logged once a minute. */
export const REPEATED_FAILURE_WINDOW_MS = 60_000

/** Kinds remembered at most: failures' messages may carry details (a port, an address) that vary. */
const MAX_KINDS = 100

export interface Admission {
  /** Whether to log this failure now. */
  log: boolean
  /** Failures of its kind not logged since the last one that was (0 when `log` is false). */
  heldBack: number
}

export class RepeatedFailures {
  /** Per kind, when it was last logged and how many of it were held back since; oldest first. */
  private readonly kinds = new Map<string, { loggedAtMs: number; heldBack: number }>()

  constructor(
    private readonly windowMs: number = REPEATED_FAILURE_WINDOW_MS,
    private readonly now: () => number = Date.now,
  ) {}

  admit(kind: string): Admission {
    const now = this.now()
    const seen = this.kinds.get(kind)
    if (seen && now - seen.loggedAtMs < this.windowMs) {
      seen.heldBack++
      return { log: false, heldBack: 0 }
    }
    // Moved to the end, so that the first entry is the one logged longest ago.
    this.kinds.delete(kind)
    if (this.kinds.size >= MAX_KINDS) this.kinds.delete(this.kinds.keys().next().value!)
    this.kinds.set(kind, { loggedAtMs: now, heldBack: 0 })
    return { log: true, heldBack: seen?.heldBack ?? 0 }
  }

  /**
   * Logs `message` with `error` at `level`, unless the same message with the same error's message was
   * logged within the window; the line after such a wait says how many it stood for (`heldBack`).
   */
  log(logger: Logger, level: 'warn' | 'error', message: string, error: Error, fields: object = {}): void {
    const { log, heldBack } = this.admit(`${message}\n${error.message}`)
    if (!log) return
    if (heldBack === 0) logger[level]({ ...fields, err: error }, message)
    else
      logger[level](
        { ...fields, err: error, heldBack },
        `${message} (${heldBack} more like it since the last one logged)`,
      )
  }
}
