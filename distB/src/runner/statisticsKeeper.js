import { coerceError } from '../log.js';
import { Periodic } from '../support/periodic.js';
const DEFAULT_INTERVAL_MS = 1000;
const DEFAULT_MAX_INTERVAL_MS = 30_000;
/**
 * The tables that grow with the work, from nothing to millions of rows, and that hot statements read
 * by id or by index: the jobs and their owner listing, their logs and checkpoint history, and the
 * webhook deliveries. (The rest hold a row per instance, schedule, webhook, pause or limiter.)
 */
export const KEPT_TABLES = [
    'job_runner_jobs',
    'job_runner_owner_jobs',
    'job_runner_job_logs',
    'job_runner_checkpoint_history',
    'job_runner_webhook_deliveries',
];
/**
 * Looks once a second while the tables change much, and backs off to once every 30 s while they do
 * not (an idle instance asks one short question now and then): a service started on an empty database
 * that fills fast gets its first ANALYZE within about a second, when its plans are a few claims old.
 */
export class StatisticsKeeper {
    deps;
    periodic;
    intervalMs;
    maxIntervalMs;
    waitMs;
    constructor(config, deps) {
        this.deps = deps;
        this.intervalMs = config.intervalMs ?? DEFAULT_INTERVAL_MS;
        this.maxIntervalMs = Math.max(this.intervalMs, config.maxIntervalMs ?? DEFAULT_MAX_INTERVAL_MS);
        this.waitMs = this.intervalMs;
        this.periodic = new Periodic('statisticsKeeper', this.intervalMs, () => this.look(), deps.onError);
    }
    start() {
        this.waitMs = this.intervalMs;
        this.periodic.start();
    }
    /** Stops looking and waits for a look under way. Safe to call twice. */
    stop() {
        return this.periodic.stop();
    }
    /** One look; resolves to the wait before the next (a failed look is reported here, and backs off too). */
    async look() {
        try {
            const analyzed = await this.deps.store.refreshStatistics({ tables: KEPT_TABLES });
            this.waitMs = analyzed.length > 0 ? this.intervalMs : Math.min(this.waitMs * 2, this.maxIntervalMs);
        }
        catch (error) {
            this.waitMs = Math.min(this.waitMs * 2, this.maxIntervalMs);
            this.deps.onError(coerceError(error));
        }
        return this.waitMs;
    }
}
//# sourceMappingURL=statisticsKeeper.js.map