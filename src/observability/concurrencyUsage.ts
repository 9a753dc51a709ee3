/**
 * How full each job type's and queue's concurrency limits are, cached: a queued job of a limited type
 * or queue that is otherwise ready says `waitReason: "concurrency"` when its key, its type or its
 * queue is at its limit, and `"rate-limit"` when a rate limiter of its own allows no start yet. One
 * read (the limited claim's own count) answers every job read for `freshMs`; only reads showing a
 * queued job of a limited type ask at all.
 */
import { rateKeyOf, type Limits, type LimitedQueue, type LimitedType, type LimitScope } from '../queue/limitedClaim.js'
import type { JobStore } from '../queue/store.js'

export interface ConcurrencyUsageConfig {
  freshMs?: number
  /** The queues' limits (`QUEUE_LIMITS`). */
  queueLimits?: readonly LimitedQueue[]
}

/** Places held per type or queue, and per key; when each rate limiter may start again. */
export interface UsageSnapshot {
  /** By `scope\0name`. */
  byScope: ReadonlyMap<string, number>
  /** By `scope\0name\0key`. */
  byKey: ReadonlyMap<string, number>
  /** By `scope\0name\0key` ('' for a limiter of the whole type or queue). */
  nextStartMs: ReadonlyMap<string, number>
  /** When this snapshot was read (milliseconds since the epoch). */
  readAt: number
}

const idOf = (...parts: string[]) => parts.join('\u0000')

export class ConcurrencyUsage {
  private value: UsageSnapshot | undefined
  private readAt = 0
  private reading: Promise<UsageSnapshot> | undefined
  private readonly types: ReadonlyMap<string, LimitedType>
  private readonly queues: ReadonlyMap<string, LimitedQueue>
  private readonly freshMs: number

  constructor(
    limits: readonly LimitedType[],
    private readonly store: Pick<JobStore, 'countLimitedRunning' | 'readRateLimits'>,
    { freshMs = 500, queueLimits = [] }: ConcurrencyUsageConfig = {},
  ) {
    this.types = new Map(limits.map((limit) => [limit.type, limit]))
    this.queues = new Map(queueLimits.map((limit) => [limit.queue, limit]))
    this.freshMs = freshMs
  }

  /** Whether jobs of `type` (in `queue`) are held by limits at all. */
  isLimited(type: string, queue?: string): boolean {
    return this.types.has(type) || (queue !== undefined && this.queues.has(queue))
  }

  /** The usage, at most `freshMs` old. */
  get(): Promise<UsageSnapshot> {
    if (this.value && Date.now() - this.readAt < this.freshMs) return Promise.resolve(this.value)
    return (this.reading ??= this.read().finally(() => (this.reading = undefined)))
  }

  /** The limits that hold `job`: its type's and its queue's. */
  private limitsOf(job: { type: string; queue?: string }): [LimitScope, string, Limits][] {
    const held: [LimitScope, string, Limits][] = []
    const type = this.types.get(job.type)
    if (type) held.push(['type', job.type, type])
    const queue = job.queue === undefined ? undefined : this.queues.get(job.queue)
    if (queue) held.push(['queue', job.queue!, queue])
    return held
  }

  /** Whether `job` could not take a place now: its key, its type or its queue is at its limit. */
  atLimit(job: { type: string; queue?: string; concurrencyKey: string | null }, usage: UsageSnapshot): boolean {
    return this.limitsOf(job).some(([scope, name, limit]) => {
      if (limit.total !== null && (usage.byScope.get(idOf(scope, name)) ?? 0) >= limit.total) return true
      if (limit.perKey === null || job.concurrencyKey === null) return false
      return (usage.byKey.get(idOf(scope, name, job.concurrencyKey)) ?? 0) >= limit.perKey
    })
  }

  /** Whether `job` waits for a rate limit of its type or queue: the next start it allows is still ahead. */
  atRate(
    job: { type: string; queue?: string; concurrencyKey?: string | null },
    usage: UsageSnapshot,
    now = Date.now(),
  ): boolean {
    return this.limitsOf(job).some(([scope, name, limit]) => {
      if (limit.intervalMs == null) return false
      const tat = usage.nextStartMs.get(idOf(scope, name, rateKeyOf(limit, job.concurrencyKey ?? null)))
      return tat !== undefined && tat - (limit.toleranceMs ?? 0) > now
    })
  }

  private async read(): Promise<UsageSnapshot> {
    const types = [...this.types.keys()]
    const queues = [...this.queues.keys()]
    const rated = <T extends Limits>(map: ReadonlyMap<string, T>) =>
      [...map.keys()].filter((name) => map.get(name)!.intervalMs != null)
    const [rows, rates] = await Promise.all([
      this.store.countLimitedRunning({ types, queues }),
      this.store.readRateLimits({ types: rated(this.types), queues: rated(this.queues) }),
    ])
    const nextStartMs = new Map(rates.map(({ scope, name, key, tatMs }) => [idOf(scope, name, key), tatMs] as const))
    const byScope = new Map<string, number>()
    const byKey = new Map<string, number>()
    for (const { scope, name, key, running } of rows) {
      byScope.set(idOf(scope, name), (byScope.get(idOf(scope, name)) ?? 0) + running)
      if (key !== null) byKey.set(idOf(scope, name, key), running)
    }
    this.value = { byScope, byKey, nextStartMs, readAt: Date.now() }
    this.readAt = Date.now()
    return this.value
  }
}
