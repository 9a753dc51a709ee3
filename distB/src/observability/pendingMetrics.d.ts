/**
 * Counts and observations made on a hot path (every job start and outcome, every HTTP request) and
 * handed to prom-client only when the metrics are read (a metric's `collect`): each `inc` or
 * `observe` of prom-client hashes and checks its labels, and a scrape every few seconds sees the same
 * numbers either way. Label sets are objects made once and reused, and counted by identity.
 */
import type { Counter, Histogram } from 'prom-client';
/**
 * Increments of one counter by label set, added to it when it is read (its `collect`): what
 * Prometheus scrapes is the same, and the hot path adds to a number in a map.
 */
export declare class PendingCounts {
    private readonly counter;
    private static readonly byCounter;
    private readonly counts;
    constructor(counter: Counter<string>);
    static of(counter: Counter<string>): PendingCounts | undefined;
    /** `labels`: one object per label set, reused (the map counts by identity). */
    add(labels: Readonly<Record<string, string>>): void;
    flush(): void;
}
/**
 * Observations of one histogram by label set, added to it when it is read (its `collect`), as
 * `PendingCounts` does for counters: the hot path finds the bucket and adds to three numbers.
 * What Prometheus scrapes is the same buckets and counts; the sum is the same but for the order of
 * the additions, which a double may round differently in its last bits.
 */
export declare class PendingObservations {
    private readonly histogram;
    private readonly bounds;
    private static readonly byHistogram;
    private readonly observed;
    constructor(histogram: Histogram<string>, bounds: readonly number[]);
    static of(histogram: Histogram<string>): PendingObservations | undefined;
    observe(labels: Readonly<Record<string, string>>, value: number): void;
    flush(): void;
    /** prom-client's rule: the first bound the value does not exceed. */
    private bucketOf;
    /** The histogram's series by label values (two label objects alike after `JobLabelSets` started over). */
    private seriesByLabels;
}
