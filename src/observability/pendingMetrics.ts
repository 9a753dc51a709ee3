/**
 * Counts and observations made on a hot path (every job start and outcome, every HTTP request) and
 * handed to prom-client only when the metrics are read (a metric's `collect`): each `inc` or
 * `observe` of prom-client hashes and checks its labels, and a scrape every few seconds sees the same
 * numbers either way. Label sets are objects made once and reused, and counted by identity.
 */
import type { Counter, Histogram } from 'prom-client'

/**
 * Increments of one counter by label set, added to it when it is read (its `collect`): what
 * Prometheus scrapes is the same, and the hot path adds to a number in a map.
 */
export class PendingCounts {
  private static readonly byCounter = new WeakMap<Counter<string>, PendingCounts>()
  private readonly counts = new Map<Readonly<Record<string, string>>, number>()

  constructor(private readonly counter: Counter<string>) {
    PendingCounts.byCounter.set(counter, this)
  }

  static of(counter: Counter<string>): PendingCounts | undefined {
    return PendingCounts.byCounter.get(counter)
  }

  /** `labels`: one object per label set, reused (the map counts by identity). */
  add(labels: Readonly<Record<string, string>>): void {
    this.counts.set(labels, (this.counts.get(labels) ?? 0) + 1)
  }

  flush(): void {
    for (const [labels, count] of this.counts) this.counter.inc(labels, count)
    this.counts.clear()
  }
}

/** Observations of one label set since the last read: per bucket (not cumulative), then in all. */
interface Observed {
  readonly buckets: Float64Array
  count: number
  sum: number
}

/**
 * What prom-client's Histogram (15.1, lib/histogram.js) keeps per label set, and reads for the
 * scrape right after its `collect`. Its public API adds one observation per call, hashing the labels each time; nothing
 * public adds many, so `PendingObservations.flush` adds to these (the scrape test compares the output
 * with a histogram fed one `observe` at a time, and would catch a release that keeps them otherwise).
 */
interface HistogramSeries {
  labels: Record<string, string | number>
  bucketValues: Record<number, number>
  sum: number
  count: number
}

/**
 * Observations of one histogram by label set, added to it when it is read (its `collect`), as
 * `PendingCounts` does for counters: the hot path finds the bucket and adds to three numbers.
 * What Prometheus scrapes is the same buckets and counts; the sum is the same but for the order of
 * the additions, which a double may round differently in its last bits.
 */
export class PendingObservations {
  private static readonly byHistogram = new WeakMap<Histogram<string>, PendingObservations>()
  private readonly observed = new Map<Readonly<Record<string, string>>, Observed>()

  constructor(
    private readonly histogram: Histogram<string>,
    private readonly bounds: readonly number[],
  ) {
    PendingObservations.byHistogram.set(histogram, this)
  }

  static of(histogram: Histogram<string>): PendingObservations | undefined {
    return PendingObservations.byHistogram.get(histogram)
  }

  observe(labels: Readonly<Record<string, string>>, value: number): void {
    // prom-client refuses these the same way, in the listener that observed them.
    if (!Number.isFinite(value)) throw new TypeError(`Value is not a valid number: ${value}`)
    let observed = this.observed.get(labels)
    if (!observed)
      this.observed.set(labels, (observed = { buckets: new Float64Array(this.bounds.length), count: 0, sum: 0 }))
    // Above the last bound, prom-client counts a value in `+Inf` (the count) alone.
    const bucket = this.bucketOf(value)
    if (bucket >= 0) observed.buckets[bucket]! += 1
    observed.count += 1
    observed.sum += value
  }

  flush(): void {
    if (this.observed.size === 0) return
    let series = this.seriesByLabels()
    const unseen = [...this.observed.keys()].filter((labels) => !series.has(valuesOf(labels)))
    if (unseen.length > 0) {
      // Made by prom-client's own `zero`, in the order its `observe` would have made them.
      for (const labels of unseen) this.histogram.zero(labels)
      series = this.seriesByLabels()
    }
    for (const [labels, observed] of this.observed) {
      const into = series.get(valuesOf(labels))
      if (!into) throw new Error(`prom-client keeps no series for ${JSON.stringify(labels)} where expected`)
      observed.buckets.forEach((count, i) => {
        const bound = this.bounds[i]!
        if (count > 0) into.bucketValues[bound] = (into.bucketValues[bound] ?? 0) + count
      })
      into.count += observed.count
      into.sum += observed.sum
    }
    this.observed.clear()
  }

  /** prom-client's rule: the first bound the value does not exceed. */
  private bucketOf(value: number): number {
    const bounds = this.bounds
    for (let i = 0; i < bounds.length; i++) if (value <= bounds[i]!) return i
    return -1
  }

  /** The histogram's series by label values (two label objects alike after `JobLabelSets` started over). */
  private seriesByLabels(): Map<string, HistogramSeries> {
    const { hashMap } = this.histogram as unknown as { hashMap: Record<string, HistogramSeries> }
    return new Map(Object.values(hashMap).map((series) => [valuesOf(series.labels), series]))
  }
}

/** A key for a label set by its values, whatever the order of its names (no job label holds a newline). */
function valuesOf(labels: Readonly<Record<string, string | number>>): string {
  return Object.keys(labels)
    .sort()
    .map((name) => `${name}=${labels[name]}`)
    .join('\n')
}
