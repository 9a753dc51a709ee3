const MAX_TIMER_MS = 2 ** 31 - 1;
export class DueTimer {
    onDue;
    /** Known due times, soonest first, distinct (milliseconds since the epoch). */
    dueTimes = [];
    timer;
    armedFor = Infinity;
    stopped = false;
    maxKnown;
    constructor(onDue, { maxKnown = 10_000 } = {}) {
        this.onDue = onDue;
        this.maxKnown = maxKnown;
    }
    /** Remembers that a job becomes due at `atMs`. */
    note(atMs) {
        if (this.stopped || !Number.isFinite(atMs))
            return;
        const now = Date.now();
        if (atMs <= now)
            return this.onDue();
        const at = Math.ceil(atMs);
        const index = lowerBound(this.dueTimes, at);
        if (this.dueTimes[index] === at)
            return;
        if (index >= this.maxKnown)
            return;
        this.dueTimes.splice(index, 0, at);
        if (this.dueTimes.length > this.maxKnown)
            this.dueTimes.length = this.maxKnown;
        this.arm();
    }
    stop() {
        this.stopped = true;
        clearTimeout(this.timer);
        this.dueTimes = [];
    }
    /** How many due times it holds (tests). */
    get known() {
        return this.dueTimes.length;
    }
    arm() {
        const next = this.dueTimes[0];
        if (next === undefined || next >= this.armedFor)
            return;
        clearTimeout(this.timer);
        this.armedFor = next;
        // A timer holds at most 2^31 - 1 ms (about 24.8 days; longer fires at once): a later time is
        // re-armed when that one fires.
        this.timer = setTimeout(() => this.fire(), Math.min(MAX_TIMER_MS, Math.max(0, next - Date.now())));
        this.timer.unref();
    }
    fire() {
        this.armedFor = Infinity;
        const now = Date.now();
        let due = 0;
        while (due < this.dueTimes.length && this.dueTimes[due] <= now)
            due++;
        this.dueTimes.splice(0, due);
        if (due > 0)
            this.onDue();
        this.arm();
    }
}
function lowerBound(sorted, value) {
    let low = 0;
    let high = sorted.length;
    while (low < high) {
        const mid = (low + high) >>> 1;
        if (sorted[mid] < value)
            low = mid + 1;
        else
            high = mid;
    }
    return low;
}
//# sourceMappingURL=dueTimer.js.map