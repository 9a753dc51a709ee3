/**
 * Wakes the claim loop when a job it has heard of becomes due, instead of at its next poll: the
 * `runAt` of a job enqueued for later (here or, over NOTIFY, on another instance), of a retry
 * waiting out its backoff, and of the scheduled jobs found at start-up. It keeps the soonest
 * `maxKnown` due times in order and one timer, for the first of them; times already passed ring at
 * once. A time it forgot (past `maxKnown`) is found by the poll, as before.
 *
 * The claim compares `run_at` with the database's clock, the timer with this process's: an instance
 * whose clock runs behind the database's is woken late by the difference; one whose clock runs
 * ahead claims too early, finds nothing, and falls back to its poll. Keep the clocks synchronised
 * (NTP); the skew is the error of an on-time start.
 */
export interface DueTimerConfig {
  maxKnown?: number
}

const MAX_TIMER_MS = 2 ** 31 - 1

export class DueTimer {
  /** Known due times, soonest first, distinct (milliseconds since the epoch). */
  private dueTimes: number[] = []
  private timer: NodeJS.Timeout | undefined
  private armedFor = Infinity
  private stopped = false
  private readonly maxKnown: number

  constructor(
    private readonly onDue: () => void,
    { maxKnown = 10_000 }: DueTimerConfig = {},
  ) {
    this.maxKnown = maxKnown
  }

  /** Remembers that a job becomes due at `atMs`. */
  note(atMs: number): void {
    if (this.stopped || !Number.isFinite(atMs)) return
    const now = Date.now()
    if (atMs <= now) return this.onDue()
    const at = Math.ceil(atMs)
    const index = lowerBound(this.dueTimes, at)
    if (this.dueTimes[index] === at) return
    if (index >= this.maxKnown) return
    this.dueTimes.splice(index, 0, at)
    if (this.dueTimes.length > this.maxKnown) this.dueTimes.length = this.maxKnown
    this.arm()
  }

  stop(): void {
    this.stopped = true
    clearTimeout(this.timer)
    this.dueTimes = []
  }

  /** How many due times it holds (tests). */
  get known(): number {
    return this.dueTimes.length
  }

  private arm(): void {
    const next = this.dueTimes[0]
    if (next === undefined || next >= this.armedFor) return
    clearTimeout(this.timer)
    this.armedFor = next
    // A timer holds at most 2^31 - 1 ms (about 24.8 days; longer fires at once): a later time is
    // re-armed when that one fires.
    this.timer = setTimeout(() => this.fire(), Math.min(MAX_TIMER_MS, Math.max(0, next - Date.now())))
    this.timer.unref()
  }

  private fire(): void {
    this.armedFor = Infinity
    const now = Date.now()
    let due = 0
    while (due < this.dueTimes.length && this.dueTimes[due]! <= now) due++
    this.dueTimes.splice(0, due)
    if (due > 0) this.onDue()
    this.arm()
  }
}

function lowerBound(sorted: readonly number[], value: number): number {
  let low = 0
  let high = sorted.length
  while (low < high) {
    const mid = (low + high) >>> 1
    if (sorted[mid]! < value) low = mid + 1
    else high = mid
  }
  return low
}
