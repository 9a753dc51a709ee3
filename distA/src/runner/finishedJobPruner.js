import { Periodic } from '../support/periodic.js';
const DEFAULT_WINDOW = 5000;
export class FinishedJobPruner {
    config;
    deps;
    periodic;
    constructor(config, deps) {
        this.config = config;
        this.deps = deps;
        this.periodic = new Periodic('finishedJobPruner', config.intervalMs ?? 60_000, async (signal) => void (await this.prune({ signal })), deps.onError);
    }
    start() {
        this.periodic.start();
    }
    stop() {
        return this.periodic.stop();
    }
    /** One walk from the oldest job to the first recent one, or until `signal` aborts; returns how many jobs it deleted. */
    async prune({ signal } = {}) {
        let total = 0;
        let afterId = '0';
        while (!signal?.aborted) {
            const { pruned, lastId, reachedRecent } = await this.deps.store.pruneFinishedJobs({
                olderThanMs: this.config.retentionMs,
                afterId,
                window: this.config.window ?? DEFAULT_WINDOW,
            });
            total += pruned;
            if (reachedRecent || lastId === null)
                break;
            afterId = lastId;
        }
        if (total > 0)
            this.deps.log.info({ deleted: total }, 'pruned finished jobs past their retention');
        return total;
    }
}
//# sourceMappingURL=finishedJobPruner.js.map