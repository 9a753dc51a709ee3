/**
 * Increments of one counter by label set, added to it when it is read (its `collect`): what
 * Prometheus scrapes is the same, and the hot path adds to a number in a map.
 */
export class PendingCounts {
    counter;
    static byCounter = new WeakMap();
    counts = new Map();
    constructor(counter) {
        this.counter = counter;
        PendingCounts.byCounter.set(counter, this);
    }
    static of(counter) {
        return PendingCounts.byCounter.get(counter);
    }
    /** `labels`: one object per label set, reused (the map counts by identity). */
    add(labels) {
        this.counts.set(labels, (this.counts.get(labels) ?? 0) + 1);
    }
    flush() {
        for (const [labels, count] of this.counts)
            this.counter.inc(labels, count);
        this.counts.clear();
    }
}
/**
 * Observations of one histogram by label set, added to it when it is read (its `collect`), as
 * `PendingCounts` does for counters: the hot path finds the bucket and adds to three numbers.
 * What Prometheus scrapes is the same buckets and counts; the sum is the same but for the order of
 * the additions, which a double may round differently in its last bits.
 */
export class PendingObservations {
    histogram;
    bounds;
    static byHistogram = new WeakMap();
    observed = new Map();
    constructor(histogram, bounds) {
        this.histogram = histogram;
        this.bounds = bounds;
        PendingObservations.byHistogram.set(histogram, this);
    }
    static of(histogram) {
        return PendingObservations.byHistogram.get(histogram);
    }
    observe(labels, value) {
        // prom-client refuses these the same way, in the listener that observed them.
        if (!Number.isFinite(value))
            throw new TypeError(`Value is not a valid number: ${value}`);
        let observed = this.observed.get(labels);
        if (!observed)
            this.observed.set(labels, (observed = { buckets: new Float64Array(this.bounds.length), count: 0, sum: 0 }));
        // Above the last bound, prom-client counts a value in `+Inf` (the count) alone.
        const bucket = this.bucketOf(value);
        if (bucket >= 0)
            observed.buckets[bucket] += 1;
        observed.count += 1;
        observed.sum += value;
    }
    flush() {
        if (this.observed.size === 0)
            return;
        let series = this.seriesByLabels();
        const unseen = [...this.observed.keys()].filter((labels) => !series.has(valuesOf(labels)));
        if (unseen.length > 0) {
            // Made by prom-client's own `zero`, in the order its `observe` would have made them.
            for (const labels of unseen)
                this.histogram.zero(labels);
            series = this.seriesByLabels();
        }
        for (const [labels, observed] of this.observed) {
            const into = series.get(valuesOf(labels));
            if (!into)
                throw new Error(`prom-client keeps no series for ${JSON.stringify(labels)} where expected`);
            observed.buckets.forEach((count, i) => {
                const bound = this.bounds[i];
                if (count > 0)
                    into.bucketValues[bound] = (into.bucketValues[bound] ?? 0) + count;
            });
            into.count += observed.count;
            into.sum += observed.sum;
        }
        this.observed.clear();
    }
    /** prom-client's rule: the first bound the value does not exceed. */
    bucketOf(value) {
        const bounds = this.bounds;
        for (let i = 0; i < bounds.length; i++)
            if (value <= bounds[i])
                return i;
        return -1;
    }
    /** The histogram's series by label values (two label objects alike after `JobLabelSets` started over). */
    seriesByLabels() {
        const { hashMap } = this.histogram;
        return new Map(Object.values(hashMap).map((series) => [valuesOf(series.labels), series]));
    }
}
/** A key for a label set by its values, whatever the order of its names (no job label holds a newline). */
function valuesOf(labels) {
    return Object.keys(labels)
        .sort()
        .map((name) => `${name}=${labels[name]}`)
        .join('\n');
}
//# sourceMappingURL=pendingMetrics.js.map