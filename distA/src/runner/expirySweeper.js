/**
 * Marks queued jobs whose start-by deadline (`expiresAt`) has passed as `expired` (the `expire` row
 * of the transition table). The claims already refuse to start them; this sweep makes the state say
 * so, about every `intervalMs` across the cluster (the instances take turns: src/runner/clusterPace.ts;
 * SKIP LOCKED keeps sweeps that meet from waiting on each other, and an index holding only jobs with
 * a deadline keeps each one a short read).
 */
import { Periodic } from '../support/periodic.js';
const DEFAULT_INTERVAL_MS = 1000;
export class ExpirySweeper {
    periodic;
    constructor(config, deps) {
        const intervalMs = config.intervalMs ?? DEFAULT_INTERVAL_MS;
        this.periodic = new Periodic('expirySweeper', intervalMs, async () => {
            const expired = await deps.store.expireJobs();
            if (expired.length > 0)
                deps.onExpired(expired);
            return deps.pace.spread(intervalMs);
        }, deps.onError);
    }
    start() {
        this.periodic.start();
    }
    stop() {
        return this.periodic.stop();
    }
}
//# sourceMappingURL=expirySweeper.js.map