/**
 * Writes the in-memory checkpoints and progress of running jobs every `intervalMs`, in one
 * statement for all of them, skipping jobs whose state has not changed since the last write; and
 * their log lines, in one more statement for all of them.
 */
import { Periodic } from '../support/periodic.js'
import type { JobExecution } from './jobExecution.js'

export interface CheckpointFlusherConfig {
  intervalMs: number
}

export interface CheckpointFlusherDependencies {
  executions: () => Iterable<JobExecution>
  /** Writes the given executions' checkpoints (shared with a job's own `flush()`). */
  write: (executions: readonly JobExecution[]) => Promise<void>
  onError: (error: Error) => void
}

export class CheckpointFlusher {
  private readonly periodic: Periodic

  constructor(
    config: CheckpointFlusherConfig,
    private readonly deps: CheckpointFlusherDependencies,
  ) {
    this.periodic = new Periodic('checkpointFlusher', config.intervalMs, () => this.flush(), deps.onError)
  }

  start(): void {
    this.periodic.start()
  }

  stop(): Promise<void> {
    return this.periodic.stop()
  }

  private async flush(): Promise<void> {
    // A run whose only news is log lines is written too: its lines go out with this flush.
    const dirty = [...this.deps.executions()].filter(
      (execution) => (execution.dirty || execution.hasPendingLogs) && !execution.isSettled,
    )
    if (dirty.length > 0) await this.deps.write(dirty)
  }
}
