/**
 * Which queues some live instance serves, as read from `job_runner_instances`, cached: every job
 * read asks it (a queued job in a queue nobody serves says so), and one query per second or two
 * per process answers them all. A cached answer younger than `freshMs` is used as it is; an older
 * one, up to `maxStaleMs`, is used while a refresh runs in the background, so a read never waits
 * for this query unless the cache is empty or long stale. When the database does not answer, the
 * last answer stands, however old; with none at all, `get` rejects (within `timeoutMs`).
 */
import { coerceError } from '../log.js'
import { withTimeout } from '../support/withTimeout.js'

export interface ServedQueuesConfig {
  /** An instance is live while its heartbeat is younger than this (the lease: heartbeats beat with renewals). */
  liveWithinMs: number
  freshMs?: number
  maxStaleMs?: number
  /** A read that takes longer fails (one timer per read, not per caller). */
  timeoutMs?: number
}

export interface ServedQueuesSource {
  servedQueues(params: { liveWithinMs: number }): Promise<{ queue: string; instances: number }[]>
}

/** Queue name → number of live instances serving it. */
export type ServedQueueMap = ReadonlyMap<string, number>

export class ServedQueues {
  private value: ServedQueueMap | undefined
  private readAt = 0
  private reading: Promise<ServedQueueMap> | undefined
  private readonly freshMs: number
  private readonly maxStaleMs: number

  constructor(
    private readonly config: ServedQueuesConfig,
    private readonly source: ServedQueuesSource,
    private readonly onError: (error: Error) => void = () => {},
  ) {
    this.freshMs = config.freshMs ?? 1000
    this.maxStaleMs = config.maxStaleMs ?? 2000
  }

  /** The served queues, at most `freshMs` old, or up to `maxStaleMs` old while a refresh runs. */
  get(): Promise<ServedQueueMap> {
    const age = Date.now() - this.readAt
    if (this.value !== undefined && age < this.freshMs) return Promise.resolve(this.value)
    const refresh = this.refresh()
    if (this.value !== undefined && age < this.maxStaleMs) {
      // The background refresh reports its own failure; the stale answer stands meanwhile.
      refresh.catch((error: unknown) => this.onError(coerceError(error)))
      return Promise.resolve(this.value)
    }
    const known = this.value
    if (known === undefined) return refresh
    return refresh.catch((error: unknown) => {
      this.onError(coerceError(error))
      return known
    })
  }

  /** Forgets the cached answer: the next `get` reads the table (after this instance registers or leaves). */
  invalidate(): void {
    this.readAt = 0
  }

  /** One read at a time, whoever asks. */
  private refresh(): Promise<ServedQueueMap> {
    return (this.reading ??= this.read().finally(() => (this.reading = undefined)))
  }

  private async read(): Promise<ServedQueueMap> {
    const timeoutMs = this.config.timeoutMs ?? 2000
    // STORE_TIMEOUT, as the job service's own deadlines: the app answers it 503 with Retry-After.
    const timedOut = () => {
      const error = new Error(`the served-queues read did not answer within ${timeoutMs} ms`)
      return Object.assign(error, { code: 'STORE_TIMEOUT' })
    }
    const rows = await withTimeout(
      this.source.servedQueues({ liveWithinMs: this.config.liveWithinMs }),
      timeoutMs,
      timedOut,
    )
    this.value = new Map(rows.map((r) => [r.queue, r.instances]))
    this.readAt = Date.now()
    return this.value
  }
}
