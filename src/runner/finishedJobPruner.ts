/**
 * Deletes finished jobs (succeeded, failed, cancelled) once they are older than the retention, in
 * small batches, so the table — and the cost of enqueue and claim — does not grow with history.
 * Idempotency keys go with their jobs: a key is honoured for as long as its job is kept.
 */
import type { Logger } from 'pino'
import type { JobStore } from '../queue/store.js'
import { Periodic } from '../support/periodic.js'

export interface FinishedJobPrunerConfig {
  retentionMs: number
  /** Default: a minute. */
  intervalMs?: number
  /** Rows deleted per statement, so one sweep never holds locks for long. */
  batchSize?: number
}

export interface FinishedJobPrunerDependencies {
  store: JobStore
  log: Logger
  onError: (error: Error) => void
}

export class FinishedJobPruner {
  private readonly periodic: Periodic

  constructor(
    private readonly config: FinishedJobPrunerConfig,
    private readonly deps: FinishedJobPrunerDependencies,
  ) {
    this.periodic = new Periodic('finishedJobPruner', config.intervalMs ?? 60_000, async () => void (await this.prune()), deps.onError)
  }

  start(): void {
    this.periodic.start()
  }

  stop(): Promise<void> {
    return this.periodic.stop()
  }

  /** Deletes until nothing old is left (or ten batches, to share the database). */
  async prune(): Promise<number> {
    let total = 0
    for (let batch = 0; batch < 10; batch++) {
      const deleted = await this.deps.store.pruneFinishedJobs({ olderThanMs: this.config.retentionMs, limit: this.config.batchSize ?? 1000 })
      total += deleted
      if (deleted < (this.config.batchSize ?? 1000)) break
    }
    if (total > 0) this.deps.log.info({ deleted: total }, 'pruned finished jobs past their retention')
    return total
  }
}
