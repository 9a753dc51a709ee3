/**
 * Keeps the planner's statistics of the queue's tables in step with their size, every `intervalMs`
 * (`JobStore.refreshStatistics`: an ANALYZE of a table that grew past 1.2 times, or shrank below
 * half, the size its statistics were taken at).
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
import { Periodic } from '../support/periodic.js'
import type { JobStore } from '../queue/store.js'

export interface StatisticsKeeperConfig {
  /** Default: 5 seconds. */
  intervalMs?: number
}

export interface StatisticsKeeperDependencies {
  store: Pick<JobStore, 'refreshStatistics'>
  onError: (error: Error) => void
}

const DEFAULT_INTERVAL_MS = 5000

/** The tables the hot statements read by id or by index, as they grow from nothing to millions of rows. */
export const KEPT_TABLES = ['job_runner_jobs', 'job_runner_owner_jobs'] as const

export class StatisticsKeeper {
  private readonly periodic: Periodic

  constructor(config: StatisticsKeeperConfig, deps: StatisticsKeeperDependencies) {
    this.periodic = new Periodic(
      'statisticsKeeper',
      config.intervalMs ?? DEFAULT_INTERVAL_MS,
      async () => {
        await deps.store.refreshStatistics({ tables: KEPT_TABLES })
      },
      deps.onError,
    )
  }

  start(): void {
    this.periodic.start()
  }

  stop(): Promise<void> {
    return this.periodic.stop()
  }
}
