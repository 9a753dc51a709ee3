const DEFAULT_RECOUNT_MS = 10_000;
export class ClusterPace {
    config;
    store;
    instances = 1;
    countedAt = -Infinity;
    recountMs;
    constructor(config, store) {
        this.config = config;
        this.store = store;
        this.recountMs = config.recountMs ?? DEFAULT_RECOUNT_MS;
    }
    /** The live instances at the last count (at least this one). */
    get size() {
        return this.instances;
    }
    /** Counts the live instances again (forgetting long-silent ones) if the last count is `recountMs` old. */
    async recount(now = Date.now()) {
        if (now - this.countedAt < this.recountMs)
            return;
        this.countedAt = now;
        const { live } = await this.store.pruneInstances({
            silentForMs: this.config.leaseMs * 10,
            liveWithinMs: this.config.leaseMs,
        });
        this.instances = Math.max(1, live);
    }
    /** The wait before this instance's next sweep: `intervalMs` for each live instance, ± half at random. */
    spread(intervalMs, random = Math.random()) {
        return intervalMs * this.instances * (0.5 + random);
    }
}
//# sourceMappingURL=clusterPace.js.map