/**
 * A quarter of the TTL, so that jobs claimed at the rate seen are started well before they would be
 * handed back. Shorter horizons made claims shrink with the number of instances (each sees its share
 * of the rate): with 50 ms, eight instances draining one queue claimed about 150 jobs at a time and
 * spent 0.017 commits a job against one instance's 0.0025; with 250 ms, 0.006 (bench/RESULTS.md, P11).
 */
const DEFAULT_HORIZON_MS = 250;
const DEFAULT_TTL_MS = 2_000;
/** Weight of the newest start-rate sample. */
const RATE_SMOOTHING = 0.5;
export class LocalQueue {
    maxSize;
    ttlMs;
    horizonMs;
    currentMode = 'accepting';
    /**
     * Claim order (priority, then runAt, then id), as the claim reads the queue: a job that yielded its
     * time slice (runAt then) stays behind jobs that waited, even those with later ids. `head` skips
     * taken entries without shifting.
     */
    waiting = [];
    head = 0;
    startsSinceSample = 0;
    /** When the current sample began; the first `sampleRate` starts the clock. */
    sampledAt;
    /** Starts per millisecond, smoothed. */
    startRate = 0;
    constructor({ maxSize, horizonMs = DEFAULT_HORIZON_MS, ttlMs = DEFAULT_TTL_MS }) {
        this.maxSize = maxSize;
        this.horizonMs = horizonMs;
        this.ttlMs = ttlMs;
    }
    get mode() {
        return this.currentMode;
    }
    get size() {
        return this.waiting.length - this.head;
    }
    /** How many jobs to hold here right now. */
    get target() {
        if (this.currentMode !== 'accepting')
            return 0;
        return Math.min(this.maxSize, Math.ceil(this.startRate * this.horizonMs));
    }
    /** How many more jobs a claim should fetch beyond the free slots. */
    get room() {
        return Math.max(0, this.target - this.size);
    }
    /** True when it is worth claiming ahead now, before a slot frees up: half the target is gone. */
    get wantsRefill() {
        return this.target > 0 && this.size * 2 <= this.target;
    }
    /** Updates the start rate; called before each claim, so the rate follows the load. */
    sampleRate(now = performance.now()) {
        if (this.sampledAt === undefined) {
            this.sampledAt = now;
            this.startsSinceSample = 0;
            return;
        }
        const elapsed = now - this.sampledAt;
        if (elapsed < 1)
            return;
        const rate = this.startsSinceSample / elapsed;
        this.startRate = this.startRate === 0 ? rate : RATE_SMOOTHING * rate + (1 - RATE_SMOOTHING) * this.startRate;
        this.startsSinceSample = 0;
        this.sampledAt = now;
    }
    /** Counts a start, whether its job came from here or straight from a claim. */
    noteStart() {
        this.startsSinceSample += 1;
    }
    /**
     * Adds claimed jobs; one that already waits here (claimed again after its lease was recovered)
     * replaces its entry. Once released, it takes nothing: the refused jobs are returned, to hand back.
     */
    push(jobs, now = Date.now()) {
        if (this.currentMode === 'released')
            return [...jobs];
        if (jobs.length === 0)
            return [];
        const claimed = new Set(jobs.map((job) => job.id));
        const merged = this.waiting.slice(this.head).filter((w) => !claimed.has(w.job.id));
        const wasEmpty = merged.length === 0;
        for (const job of jobs)
            merged.push({ job, claimedAt: now });
        // A later claim may bring a more urgent job than those already waiting.
        if (!wasEmpty)
            merged.sort(inClaimOrder);
        this.waiting = merged;
        this.head = 0;
        return [];
    }
    /**
     * Takes up to `count` jobs in claim order for slots that asked, skipping those `eligible` refuses
     * (they stay, in order). A slot asking ends a `ttlExpired` pause.
     */
    take(count = 1, eligible) {
        if (this.currentMode === 'ttlExpired')
            this.currentMode = 'accepting';
        const taken = [];
        if (!eligible) {
            while (taken.length < count && this.head < this.waiting.length)
                taken.push(this.waiting[this.head++].job);
        }
        else {
            // Stops at `count`, and takes an entry at the head by moving past it: while early jobs wait,
            // every start asks this, and rebuilding the whole queue each time cost a copy of it per job.
            for (let i = this.head; i < this.waiting.length && taken.length < count; i++) {
                const entry = this.waiting[i];
                if (!eligible(entry.job))
                    continue;
                taken.push(entry.job);
                if (i === this.head)
                    this.head += 1;
                else
                    this.waiting.splice(i--, 1);
            }
        }
        if (this.head === this.waiting.length) {
            this.waiting = [];
            this.head = 0;
        }
        return taken;
    }
    has(id) {
        return this.indexOf(id) !== -1;
    }
    /** Takes one job out (a cancel, or a lease lost), if it waits here. */
    remove(id) {
        const index = this.indexOf(id);
        if (index === -1)
            return undefined;
        const [{ job }] = this.waiting.splice(index, 1);
        return job;
    }
    /** Every waiting job with its claim time, oldest first. */
    *entries() {
        for (let i = this.head; i < this.waiting.length; i++)
            yield this.waiting[i];
    }
    /** Empties the queue for good: on stop, everything waiting goes back. */
    release() {
        this.currentMode = 'released';
        const jobs = this.waiting.slice(this.head).map((w) => w.job);
        this.waiting = [];
        this.head = 0;
        return jobs;
    }
    /** Takes out the jobs that waited longer than `ttlMs`. */
    takeExpired(now = Date.now()) {
        const expired = [];
        const kept = [];
        for (const entry of this.entries()) {
            if (now - entry.claimedAt > this.ttlMs)
                expired.push(entry.job);
            else
                kept.push(entry);
        }
        if (expired.length === 0)
            return expired;
        this.waiting = kept;
        this.head = 0;
        if (this.currentMode === 'accepting')
            this.currentMode = 'ttlExpired';
        return expired;
    }
    indexOf(id) {
        for (let i = this.head; i < this.waiting.length; i++)
            if (this.waiting[i].job.id === id)
                return i;
        return -1;
    }
}
/** Orders job ids as numbers: digit strings with no leading zero, so the shorter is the smaller. */
export function compareIds(a, b) {
    return a.length - b.length || (a < b ? -1 : a > b ? 1 : 0);
}
/** The claim's order: priority, then runAt (ISO text, which sorts as it compares), then id. */
function inClaimOrder(a, b) {
    const [x, y] = [a.job.runAt, b.job.runAt];
    return a.job.priority - b.job.priority || (x < y ? -1 : x > y ? 1 : 0) || compareIds(a.job.id, b.job.id);
}
//# sourceMappingURL=localQueue.js.map