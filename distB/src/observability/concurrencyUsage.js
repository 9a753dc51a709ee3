/**
 * How full each job type's and queue's concurrency limits are, cached: a queued job of a limited type
 * or queue that is otherwise ready says `waitReason: "concurrency"` when its key, its type or its
 * queue is at its limit, and `"rate-limit"` when a rate limiter of its own allows no start yet. One
 * read (the limited claim's own count) answers every job read for `freshMs`; only reads showing a
 * queued job of a limited type ask at all.
 */
import { rateKeyOf } from '../queue/limitedClaim.js';
const idOf = (...parts) => parts.join('\u0000');
export class ConcurrencyUsage {
    store;
    value;
    readAt = 0;
    reading;
    types;
    queues;
    freshMs;
    constructor(limits, store, { freshMs = 500, queueLimits = [] } = {}) {
        this.store = store;
        this.types = new Map(limits.map((limit) => [limit.type, limit]));
        this.queues = new Map(queueLimits.map((limit) => [limit.queue, limit]));
        this.freshMs = freshMs;
    }
    /** Whether jobs of `type` (in `queue`) are held by limits at all. */
    isLimited(type, queue) {
        return this.types.has(type) || (queue !== undefined && this.queues.has(queue));
    }
    /** The usage, at most `freshMs` old. */
    get() {
        if (this.value && Date.now() - this.readAt < this.freshMs)
            return Promise.resolve(this.value);
        return (this.reading ??= this.read().finally(() => (this.reading = undefined)));
    }
    /** The limits that hold `job`: its type's and its queue's. */
    limitsOf(job) {
        const held = [];
        const type = this.types.get(job.type);
        if (type)
            held.push(['type', job.type, type]);
        const queue = job.queue === undefined ? undefined : this.queues.get(job.queue);
        if (queue)
            held.push(['queue', job.queue, queue]);
        return held;
    }
    /** Whether `job` could not take a place now: its key, its type or its queue is at its limit. */
    atLimit(job, usage) {
        return this.limitsOf(job).some(([scope, name, limit]) => {
            if (limit.total !== null && (usage.byScope.get(idOf(scope, name)) ?? 0) >= limit.total)
                return true;
            if (limit.perKey === null || job.concurrencyKey === null)
                return false;
            return (usage.byKey.get(idOf(scope, name, job.concurrencyKey)) ?? 0) >= limit.perKey;
        });
    }
    /** Whether `job` waits for a rate limit of its type or queue: the next start it allows is still ahead. */
    atRate(job, usage, now = Date.now()) {
        return this.limitsOf(job).some(([scope, name, limit]) => {
            if (limit.intervalMs == null)
                return false;
            const tat = usage.nextStartMs.get(idOf(scope, name, rateKeyOf(limit, job.concurrencyKey ?? null)));
            return tat !== undefined && tat - (limit.toleranceMs ?? 0) > now;
        });
    }
    async read() {
        const types = [...this.types.keys()];
        const queues = [...this.queues.keys()];
        const rated = (map) => [...map.keys()].filter((name) => map.get(name).intervalMs != null);
        const [rows, rates] = await Promise.all([
            this.store.countLimitedRunning({ types, queues }),
            this.store.readRateLimits({ types: rated(this.types), queues: rated(this.queues) }),
        ]);
        const nextStartMs = new Map(rates.map(({ scope, name, key, tatMs }) => [idOf(scope, name, key), tatMs]));
        const byScope = new Map();
        const byKey = new Map();
        for (const { scope, name, key, running } of rows) {
            byScope.set(idOf(scope, name), (byScope.get(idOf(scope, name)) ?? 0) + running);
            if (key !== null)
                byKey.set(idOf(scope, name, key), running);
        }
        this.value = { byScope, byKey, nextStartMs, readAt: Date.now() };
        this.readAt = Date.now();
        return this.value;
    }
}
//# sourceMappingURL=concurrencyUsage.js.map