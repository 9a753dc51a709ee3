/**
 * The ids seen during about the last `windowMs` (at most `maxSize` of them per generation, so under
 * load the window shrinks rather than the memory grows): two generations, the older dropped when the
 * newer is full or a window old. Used for the change notices a job got while nobody elsewhere
 * watched it: a watch announced at that moment from another instance crossed the change on the
 * wire, and the notice is sent when the watch arrives (src/queue/notifier.ts).
 *
 * `add` runs on every start and every settle of a drain, a question (`has`, `recent`, `all`) only
 * when another instance begins a watch: so a generation is an array `add` pushes to, the questions
 * scan it, and `add` reads the clock once every `CLOCK_EVERY` adds. (A set per generation, grown
 * from empty to `maxSize` every rotation, and the clock read on each add cost a drain about 0.7 µs
 * a job.)
 */
export interface RecentIdsConfig {
  windowMs?: number
  /** Adds per generation (an id added twice, as on a job's start and its settle, counts twice). */
  maxSize?: number
}

/**
 * Adds between two readings of the clock: on a drain a few milliseconds, which the window (a
 * second) does not notice; `Date.now()` on every add was a visible share of its cost.
 */
const CLOCK_EVERY = 64

export class RecentIds {
  private current: string[] = []
  private previous: string[] = []
  private rotatedAt = Date.now()
  /** Adds left until `add` reads the clock again. */
  private untilClock = CLOCK_EVERY
  /** How many of `current`'s ids were added before the clock was last read. */
  private timed = 0
  private readonly windowMs: number
  private readonly maxSize: number

  /** `maxSize` counts adds: a job's id comes twice (start, settle), so 20,000 are about 10,000 jobs. */
  constructor({ windowMs = 1000, maxSize = 20_000 }: RecentIdsConfig = {}) {
    this.windowMs = windowMs
    this.maxSize = maxSize
  }

  add(id: string): void {
    if (this.current.length >= this.maxSize) this.rotate(Date.now())
    else if (--this.untilClock <= 0) this.readClock()
    this.current.push(id)
  }

  has(id: string): boolean {
    return this.recent([id]).length > 0
  }

  /** Those of `ids` still remembered, in their order: one pass over the generations for them all. */
  recent(ids: readonly string[]): string[] {
    this.expire()
    const wanted = new Set(ids)
    const found = new Set<string>()
    for (const generation of [this.previous, this.current]) {
      for (const id of generation) if (wanted.has(id)) found.add(id)
    }
    return ids.filter((id) => found.has(id))
  }

  /** Every id still remembered. */
  all(): string[] {
    this.expire()
    return [...new Set([...this.previous, ...this.current])]
  }

  /** A generation a window old makes way for a new one, as if `add` had read the clock itself. */
  private readClock(): void {
    this.untilClock = CLOCK_EVERY
    const now = Date.now()
    if (now - this.rotatedAt >= this.windowMs) this.rotate(now)
    else this.timed = this.current.length
  }

  /**
   * A generation older than two windows holds nothing recent any more, but for the ids added since
   * the clock was last read: when they came is unknown, so they are kept as a fresh generation (a
   * notice sent twice costs a message, one never sent leaves a watcher waiting for its poll).
   */
  private expire(): void {
    const now = Date.now()
    const age = now - this.rotatedAt
    if (age >= 2 * this.windowMs) {
      this.previous = []
      this.current = this.current.slice(this.timed)
      this.restart(now)
    } else if (age >= this.windowMs) this.rotate(now)
  }

  private rotate(now: number): void {
    this.previous = this.current
    this.current = []
    this.restart(now)
  }

  /** `current` begins at `now`, and what it holds counts as added then. */
  private restart(now: number): void {
    this.rotatedAt = now
    this.timed = this.current.length
    this.untilClock = CLOCK_EVERY
  }
}
