/**
 * Adds between two readings of the clock: on a drain a few milliseconds, which the window (a
 * second) does not notice; `Date.now()` on every add was a visible share of its cost.
 */
const CLOCK_EVERY = 64;
export class RecentIds {
    current = [];
    previous = [];
    rotatedAt = Date.now();
    /** Adds left until `add` reads the clock again. */
    untilClock = CLOCK_EVERY;
    /** How many of `current`'s ids were added before the clock was last read. */
    timed = 0;
    windowMs;
    maxSize;
    /** `maxSize` counts adds: a job's id comes twice (start, settle), so 20,000 are about 10,000 jobs. */
    constructor({ windowMs = 1000, maxSize = 20_000 } = {}) {
        this.windowMs = windowMs;
        this.maxSize = maxSize;
    }
    add(id) {
        if (this.current.length >= this.maxSize)
            this.rotate(Date.now());
        else if (--this.untilClock <= 0)
            this.readClock();
        this.current.push(id);
    }
    has(id) {
        return this.recent([id]).length > 0;
    }
    /** Those of `ids` still remembered, in their order: one pass over the generations for them all. */
    recent(ids) {
        this.expire();
        const wanted = new Set(ids);
        const found = new Set();
        for (const generation of [this.previous, this.current]) {
            for (const id of generation)
                if (wanted.has(id))
                    found.add(id);
        }
        return ids.filter((id) => found.has(id));
    }
    /** Every id still remembered. */
    all() {
        this.expire();
        return [...new Set([...this.previous, ...this.current])];
    }
    /** A generation a window old makes way for a new one, as if `add` had read the clock itself. */
    readClock() {
        this.untilClock = CLOCK_EVERY;
        const now = Date.now();
        if (now - this.rotatedAt >= this.windowMs)
            this.rotate(now);
        else
            this.timed = this.current.length;
    }
    /**
     * A generation older than two windows holds nothing recent any more, but for the ids added since
     * the clock was last read: when they came is unknown, so they are kept as a fresh generation (a
     * notice sent twice costs a message, one never sent leaves a watcher waiting for its poll).
     */
    expire() {
        const now = Date.now();
        const age = now - this.rotatedAt;
        if (age >= 2 * this.windowMs) {
            this.previous = [];
            this.current = this.current.slice(this.timed);
            this.restart(now);
        }
        else if (age >= this.windowMs)
            this.rotate(now);
    }
    rotate(now) {
        this.previous = this.current;
        this.current = [];
        this.restart(now);
    }
    /** `current` begins at `now`, and what it holds counts as added then. */
    restart(now) {
        this.rotatedAt = now;
        this.timed = this.current.length;
        this.untilClock = CLOCK_EVERY;
    }
}
//# sourceMappingURL=recentIds.js.map