import { Periodic } from '../support/periodic.js';
export class LeaseSweeper {
    deps;
    periodic;
    intervalMs;
    constructor(config, deps) {
        this.deps = deps;
        this.intervalMs = config.intervalMs ?? Math.max(50, Math.min(1000, config.leaseMs / 2));
        this.periodic = new Periodic('leaseSweeper', this.intervalMs, () => this.sweep(), deps.onError);
    }
    start() {
        this.periodic.start();
    }
    stop() {
        return this.periodic.stop();
    }
    /** Resolves to the wait before the next sweep. */
    async sweep() {
        await this.deps.pace.recount();
        const recovered = await this.deps.store.recoverExpiredLeases();
        const nextMs = this.deps.pace.spread(this.intervalMs);
        if (recovered.length === 0)
            return nextMs;
        const ids = recovered.map((r) => r.id);
        this.deps.log.warn({ jobIds: ids, failed: recovered.filter((r) => r.state === 'failed').map((r) => r.id) }, 'recovered jobs whose runner was lost (lease expired)');
        this.deps.onRecovered(recovered);
        return nextMs;
    }
}
//# sourceMappingURL=leaseSweeper.js.map