/**
 * Coalesces writes that arrive close together into one call: items added during the same turn of
 * the event loop — and, under load, while the previous batch is still being written — are handed
 * to `write` together, and every `add` resolves (or rejects) with the result of its batch.
 *
 * Nothing is held back on a timer: a batch is written at the next `setImmediate` unless
 * `maxInFlight` writes are already running, in which case it is written as soon as one of them
 * ends. So an idle system pays no added latency, and a busy one writes one statement for many
 * jobs. Callers await their own `add`, so whoever waits for those promises (the runner's stop)
 * also waits for the batch that carries them: nothing added is ever dropped.
 */
export interface BatcherOptions {
  /** Largest batch handed to `write`; more items wait for the next batch. */
  maxBatch?: number
  /** Batches written at the same time. */
  maxInFlight?: number
  /** Hears the failure of a batch that carried items added with `send` (which no caller awaits). */
  onError?: (error: unknown) => void
}

interface Pending<T, R> {
  item: T
  /** Absent for an item added with `send`. */
  resolve?: (result: R) => void
  reject?: (error: unknown) => void
}

export class Batcher<T, R> {
  private queue: Pending<T, R>[] = []
  private inFlight = 0
  private scheduled = false
  private readonly maxBatch: number
  private readonly maxInFlight: number
  private readonly onError: (error: unknown) => void

  constructor(
    private readonly write: (items: T[]) => Promise<R>,
    { maxBatch = 1000, maxInFlight = 1, onError = () => {} }: BatcherOptions = {},
  ) {
    this.maxBatch = maxBatch
    this.maxInFlight = maxInFlight
    this.onError = onError
  }

  /** Items waiting for a batch or being written. */
  get pending(): number {
    return this.queue.length + this.inFlight
  }

  add(item: T): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      this.queue.push({ item, resolve, reject })
      this.schedule()
    })
  }

  /**
   * Adds an item nobody waits for (a best-effort write on the hot path): no promise is made for it,
   * and a failure of its batch goes to `onError`, once per batch.
   */
  send(item: T): void {
    this.queue.push({ item })
    this.schedule()
  }

  private schedule(): void {
    if (this.scheduled || this.queue.length === 0 || this.inFlight >= this.maxInFlight) return
    this.scheduled = true
    setImmediate(() => {
      this.scheduled = false
      this.flush()
    })
  }

  private flush(): void {
    while (this.queue.length > 0 && this.inFlight < this.maxInFlight) {
      const batch = this.queue.splice(0, this.maxBatch)
      this.inFlight += 1
      let written: Promise<R>
      try {
        written = this.write(batch.map((p) => p.item))
      } catch (error) {
        written = Promise.reject(error)
      }
      written
        .then(
          (result) => {
            for (const p of batch) p.resolve?.(result)
          },
          (error: unknown) => {
            let unheard = false
            for (const p of batch) {
              if (p.reject) p.reject(error)
              else unheard = true
            }
            if (unheard) this.onError(error)
          },
        )
        .finally(() => {
          this.inFlight -= 1
          this.schedule()
        })
    }
  }
}
