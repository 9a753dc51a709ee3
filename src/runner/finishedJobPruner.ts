/**
 * Deletes finished jobs (succeeded, failed, cancelled) once they are older than the retention, so
 * the table — and the cost of enqueue and claim — does not grow with history. Idempotency keys go
 * with their jobs: a key is honoured for as long as its job is kept.
 *
 * Each run walks the jobs from the oldest in windows of the primary key (`JobStore.pruneFinishedJobs`)
 * until it meets jobs created after the cutoff, then the next run starts from the oldest again: old
 * jobs that are not finished yet (scheduled far ahead, or still running) are passed over and looked
 * at again next time. A run ends early when the runner stops.
 */
import type { Logger } from 'pino'
import type { JobStore } from '../queue/store.js'
import { Periodic } from '../support/periodic.js'

export interface FinishedJobPrunerConfig {
  retentionMs: number
  /** Default: a minute. */
  intervalMs?: number
  /** Jobs read per statement, so that one statement stays short and holds few locks. */
  window?: number
}

export interface FinishedJobPrunerDependencies {
  store: JobStore
  log: Logger
  onError: (error: Error) => void
}

const DEFAULT_WINDOW = 5000

export class FinishedJobPruner {
  private readonly periodic: Periodic

  constructor(
    private readonly config: FinishedJobPrunerConfig,
    private readonly deps: FinishedJobPrunerDependencies,
  ) {
    this.periodic = new Periodic(
      'finishedJobPruner',
      config.intervalMs ?? 60_000,
      async (signal) => void (await this.prune({ signal })),
      deps.onError,
    )
  }

  start(): void {
    this.periodic.start()
  }

  stop(): Promise<void> {
    return this.periodic.stop()
  }

  /** One walk from the oldest job to the first recent one, or until `signal` aborts; returns how many jobs it deleted. */
  async prune({ signal }: { signal?: AbortSignal } = {}): Promise<number> {
    let total = 0
    let afterId = '0'
    while (!signal?.aborted) {
      const { pruned, lastId, reachedRecent } = await this.deps.store.pruneFinishedJobs({
        olderThanMs: this.config.retentionMs,
        afterId,
        window: this.config.window ?? DEFAULT_WINDOW,
      })
      total += pruned
      if (reachedRecent || lastId === null) break
      afterId = lastId
    }
    if (total > 0) this.deps.log.info({ deleted: total }, 'pruned finished jobs past their retention')
    return total
  }
}
