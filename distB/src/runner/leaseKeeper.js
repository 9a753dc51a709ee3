import { Periodic } from '../support/periodic.js';
export class LeaseKeeper {
    config;
    deps;
    periodic;
    constructor(config, deps) {
        this.config = config;
        this.deps = deps;
        const intervalMs = config.intervalMs ?? Math.max(50, config.leaseMs / 3);
        this.periodic = new Periodic('leaseKeeper', intervalMs, () => this.renew(), deps.onError);
    }
    start() {
        this.periodic.start();
    }
    stop() {
        return this.periodic.stop();
    }
    async renew() {
        const startedAt = Date.now();
        const ids = [
            ...[...this.deps.executions()].map((execution) => execution.job.id),
            ...this.deps.settling(),
            ...[...this.deps.waiting()].map((waiting) => waiting.job.id),
        ];
        const renewed = await this.deps.store.renewLeases({
            instanceId: this.config.instanceId,
            leaseMs: this.config.leaseMs,
            ids,
        });
        const ours = new Set(renewed.map((r) => r.id));
        // Claimed before this renewal began, yet not renewed: another instance recovered it.
        const lost = (claimedAt, id) => claimedAt < startedAt && !ours.has(id);
        for (const execution of this.deps.executions()) {
            if (lost(execution.startedAt, execution.job.id) && !execution.isSettled) {
                this.deps.log.warn({ jobId: execution.job.id }, 'lease lost: another instance recovered this job; stopping it here');
                execution.abort('shutdown');
            }
        }
        const lostWhileWaiting = [...this.deps.waiting()].filter((w) => lost(w.claimedAt, w.job.id));
        for (const { job } of lostWhileWaiting) {
            this.deps.log.warn({ jobId: job.id }, 'lease lost: another instance recovered this job before it started here; dropping it');
            this.deps.dropWaiting(job.id);
        }
        for (const { id, cancelRequested, pauseRequested } of renewed) {
            if (cancelRequested)
                this.deps.cancel(id);
            else if (pauseRequested)
                this.deps.pause(id);
        }
    }
}
//# sourceMappingURL=leaseKeeper.js.map