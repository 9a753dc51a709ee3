/**
 * The ids seen during about the last `windowMs` (at most `maxSize` of them, so under load the
 * window shrinks rather than the memory grows): two generations of a set, the older dropped when
 * the newer is full or a window old. Used for the change notices a job got while nobody elsewhere
 * watched it: a watch announced at that moment from another instance crossed the change on the
 * wire, and the notice is sent when the watch arrives (src/queue/notifier.ts).
 */
export interface RecentIdsConfig {
  windowMs?: number
  maxSize?: number
}

export class RecentIds {
  private current = new Set<string>()
  private previous = new Set<string>()
  private rotatedAt = Date.now()
  private readonly windowMs: number
  private readonly maxSize: number

  constructor({ windowMs = 1000, maxSize = 10_000 }: RecentIdsConfig = {}) {
    this.windowMs = windowMs
    this.maxSize = maxSize
  }

  add(id: string): void {
    if (this.current.size >= this.maxSize || Date.now() - this.rotatedAt >= this.windowMs) this.rotate()
    this.current.add(id)
  }

  has(id: string): boolean {
    this.expire()
    return this.current.has(id) || this.previous.has(id)
  }

  /** Every id still remembered. */
  all(): string[] {
    this.expire()
    return [...new Set([...this.previous, ...this.current])]
  }

  /** A generation older than two windows holds nothing recent any more. */
  private expire(): void {
    const age = Date.now() - this.rotatedAt
    if (age >= 2 * this.windowMs) {
      this.current = new Set()
      this.previous = new Set()
      this.rotatedAt = Date.now()
    } else if (age >= this.windowMs) this.rotate()
  }

  private rotate(): void {
    this.previous = this.current
    this.current = new Set()
    this.rotatedAt = Date.now()
  }
}
