/**
 * How full each job type's concurrency limits are, cached: a queued job of a limited type that is
 * otherwise ready says `waitReason: "concurrency"` when its key or its type is at its limit. One
 * read (the limited claim's own count) answers every job read for `freshMs`; only reads showing a
 * queued job of a limited type ask at all.
 */
import type { LimitedType } from '../queue/limitedClaim.js'
import type { JobStore } from '../queue/store.js'

export interface ConcurrencyUsageConfig {
  freshMs?: number
}

/** Places held per type, and per type and key; when each rate-limited type may start again. */
export interface UsageSnapshot {
  byType: ReadonlyMap<string, number>
  byKey: ReadonlyMap<string, number>
  nextStartMs: ReadonlyMap<string, number>
  /** When this snapshot was read (milliseconds since the epoch). */
  readAt: number
}

const keyOf = (type: string, key: string) => `${type}\u0000${key}`

export class ConcurrencyUsage {
  private value: UsageSnapshot | undefined
  private readAt = 0
  private reading: Promise<UsageSnapshot> | undefined
  private readonly limits: ReadonlyMap<string, LimitedType>
  private readonly freshMs: number

  constructor(
    limits: readonly LimitedType[],
    private readonly store: Pick<JobStore, 'countLimitedRunning' | 'readRateLimits'>,
    { freshMs = 500 }: ConcurrencyUsageConfig = {},
  ) {
    this.limits = new Map(limits.map((limit) => [limit.type, limit]))
    this.freshMs = freshMs
  }

  /** Whether jobs of `type` are held by limits at all. */
  isLimited(type: string): boolean {
    return this.limits.has(type)
  }

  /** The usage, at most `freshMs` old. */
  get(): Promise<UsageSnapshot> {
    if (this.value && Date.now() - this.readAt < this.freshMs) return Promise.resolve(this.value)
    return (this.reading ??= this.read().finally(() => (this.reading = undefined)))
  }

  /** Whether `job` could not take a place now: its key or its type is at its limit. */
  atLimit(job: { type: string; concurrencyKey: string | null }, usage: UsageSnapshot): boolean {
    const limit = this.limits.get(job.type)
    if (!limit) return false
    if (limit.total !== null && (usage.byType.get(job.type) ?? 0) >= limit.total) return true
    if (limit.perKey === null || job.concurrencyKey === null) return false
    return (usage.byKey.get(keyOf(job.type, job.concurrencyKey)) ?? 0) >= limit.perKey
  }

  /** Whether `job` waits for its type's rate limit: the next start it allows is still ahead. */
  atRate(job: { type: string }, usage: UsageSnapshot, now = Date.now()): boolean {
    const next = usage.nextStartMs.get(job.type)
    return next !== undefined && next > now
  }

  private async read(): Promise<UsageSnapshot> {
    const types = [...this.limits.keys()]
    const rated = types.filter((type) => this.limits.get(type)!.intervalMs != null)
    const [rows, rates] = await Promise.all([
      this.store.countLimitedRunning({ types }),
      this.store.readRateLimits({ types: rated }),
    ])
    const nextStartMs = new Map(
      rates.map(({ type, tatMs }) => [type, tatMs - (this.limits.get(type)?.toleranceMs ?? 0)] as const),
    )
    const byType = new Map<string, number>()
    const byKey = new Map<string, number>()
    for (const { type, key, running } of rows) {
      byType.set(type, (byType.get(type) ?? 0) + running)
      if (key !== null) byKey.set(keyOf(type, key), running)
    }
    this.value = { byType, byKey, nextStartMs, readAt: Date.now() }
    this.readAt = Date.now()
    return this.value
  }
}
