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

/**
 * Items bound for one `write`, at most `maxBatch`. Every `add` to it shares one promise: a job
 * runner settling tens of thousands of jobs a second would otherwise make a promise, two resolving
 * functions and a record per item, and keep them all alive until the batch is written.
 */
interface Batch<T, R> {
  items: T[]
  /** Made by the batch's first `add`; absent while only `send` has added to it. */
  written: Promise<R> | undefined
  resolve: (result: R) => void
  reject: (error: unknown) => void
  /** Carries an item added with `send`, whose failure nobody awaits. */
  unheard: boolean
}

export class Batcher<T, R> {
  /** Batches waiting to be written, oldest first, none empty; only the last one still takes items. */
  private waiting: Batch<T, R>[] = []
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
    return this.waiting.reduce((items, batch) => items + batch.items.length, 0) + this.inFlight
  }

  /** Resolves (or rejects) with the result of the batch that carries `item`. */
  add(item: T): Promise<R> {
    const batch = this.open(item)
    batch.written ??= new Promise<R>((resolve, reject) => {
      batch.resolve = resolve
      batch.reject = reject
    })
    this.schedule()
    return batch.written
  }

  /**
   * Adds an item nobody waits for (a best-effort write on the hot path): no promise is made for it,
   * and a failure of its batch goes to `onError`, once per batch.
   */
  send(item: T): void {
    this.open(item).unheard = true
    this.schedule()
  }

  /** The batch `item` joined: the last waiting one, or a new one when that is full. */
  private open(item: T): Batch<T, R> {
    let batch = this.waiting.at(-1)
    if (!batch || batch.items.length >= this.maxBatch) {
      batch = { items: [], written: undefined, resolve: noop, reject: noop, unheard: false }
      this.waiting.push(batch)
    }
    batch.items.push(item)
    return batch
  }

  private schedule(): void {
    if (this.scheduled || this.waiting.length === 0 || this.inFlight >= this.maxInFlight) return
    this.scheduled = true
    setImmediate(() => {
      this.scheduled = false
      this.flush()
    })
  }

  private flush(): void {
    while (this.waiting.length > 0 && this.inFlight < this.maxInFlight) {
      const batch = this.waiting.shift()!
      this.inFlight += 1
      let written: Promise<R>
      try {
        written = this.write(batch.items)
      } catch (error) {
        written = Promise.reject(error)
      }
      written
        .then(batch.resolve, (error: unknown) => {
          batch.reject(error)
          if (batch.unheard) this.onError(error)
        })
        .finally(() => {
          this.inFlight -= 1
          this.schedule()
        })
    }
  }
}

const noop = () => {}
