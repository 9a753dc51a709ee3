/**
 * Keeps the planner's statistics of the queue's tables in step with their size
 * (`JobStore.refreshStatistics`: an ANALYZE of a table that grew from empty or past twice, or shrank
 * below half, the size its statistics were taken at).
 *
 * Why the runner does what autovacuum does: a prepared statement keeps the generic plan it made, and
 * the planner sizes a table from its statistics. A service started on an empty database made its
 * plans for the claim and the outcome writes while the table was empty, and kept them as it grew:
 * each claim and each outcome batch then read the whole table to find its rows by id (16 ms a claim
 * at 22,000 rows, while the same instance accepted 6,000 enqueues a second: it finished 4,000 jobs a
 * second and the backlog grew). An ANALYZE changes the statistics and with them every plan of the
 * table, made again at its next use. PGlite, the embedded database, runs no autovacuum at all, and a
 * PostgreSQL server may run without it (or late); where it runs, the statistics are fresh and this
 * finds nothing to do.
 */
import type { JobStore } from '../queue/store.js';
export interface StatisticsKeeperConfig {
    /** The first look, and the wait after a look that analyzed a table. Default: a second. */
    intervalMs?: number;
    /** The longest wait, which looks that find nothing to do double up to. Default: 30 seconds. */
    maxIntervalMs?: number;
}
export interface StatisticsKeeperDependencies {
    store: Pick<JobStore, 'refreshStatistics'>;
    onError: (error: Error) => void;
}
/**
 * The tables that grow with the work, from nothing to millions of rows, and that hot statements read
 * by id or by index: the jobs and their owner listing, their logs and checkpoint history, and the
 * webhook deliveries. (The rest hold a row per instance, schedule, webhook, pause or limiter.)
 */
export declare const KEPT_TABLES: readonly ["job_runner_jobs", "job_runner_owner_jobs", "job_runner_job_logs", "job_runner_checkpoint_history", "job_runner_webhook_deliveries"];
/**
 * Looks once a second while the tables change much, and backs off to once every 30 s while they do
 * not (an idle instance asks one short question now and then): a service started on an empty database
 * that fills fast gets its first ANALYZE within about a second, when its plans are a few claims old.
 */
export declare class StatisticsKeeper {
    private readonly deps;
    private readonly periodic;
    private readonly intervalMs;
    private readonly maxIntervalMs;
    private waitMs;
    constructor(config: StatisticsKeeperConfig, deps: StatisticsKeeperDependencies);
    start(): void;
    /** Stops looking and waits for a look under way. Safe to call twice. */
    stop(): Promise<void>;
    /** One look; resolves to the wait before the next (a failed look is reported here, and backs off too). */
    private look;
}
