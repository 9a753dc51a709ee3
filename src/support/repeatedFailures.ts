/**
 * Keeps a failure that repeats from flooding the log. While the database is gone, the runner's work
 * fails at every turn: each running job's outcome write at every retry, the claim at every poll, the
 * lease keeper, the sweeps, the statistics and the checkpoint flush at every tick. A few seconds of
 * outage logged 72 lines of one outcome-write error (test/soak/databaseFaults.ts), which buries the
 * line that says what happened. So the first failure of a kind is logged, the same kind again within
 * `windowMs` is only counted, and the first one after the window is logged with that count. Every
 * failure still counts in `job_runner_runner_errors_total` (src/observability/metrics.ts).
 */

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
    private readonly windowMs: number,
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
}
