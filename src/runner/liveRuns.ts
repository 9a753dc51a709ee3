/**
 * Every run whose code is still executing in this process, whichever runner generation started it.
 * A drain's deadline or an ignored timeout abandons a run (its outcome is written without it), but
 * JavaScript cannot stop a function: it goes on until it returns. This registry keeps two promises
 * across generations:
 *
 * - never two live runs of one job in one process: a job with a live run here is not started again
 *   until that run ends;
 * - a run abandoned at a drain's deadline still holds its slot until it ends (it keeps using the CPU
 *   and memory the slot stood for). A run abandoned past its timeout gives its slot up: the slot is
 *   what the timeout protects.
 */
import type { JobExecution } from './jobExecution.js'

export class LiveRuns {
  private readonly runs = new Map<string, { execution: JobExecution; holdsSlot: boolean }>()
  private held = 0

  /** Slots held by live runs. */
  get slotsTaken(): number {
    return this.held
  }

  /** Live runs, abandoned ones included. */
  get size(): number {
    return this.runs.size
  }

  has(id: string): boolean {
    return this.runs.has(id)
  }

  add(execution: JobExecution): void {
    this.runs.set(execution.job.id, { execution, holdsSlot: true })
    this.held += 1
  }

  /** The run goes on, but no longer holds a slot. */
  releaseSlot(execution: JobExecution): void {
    const run = this.runs.get(execution.job.id)
    if (run?.execution !== execution || !run.holdsSlot) return
    run.holdsSlot = false
    this.held -= 1
  }

  /** The run's code returned or threw. */
  end(execution: JobExecution): void {
    const run = this.runs.get(execution.job.id)
    if (run?.execution !== execution) return
    this.runs.delete(execution.job.id)
    if (run.holdsSlot) this.held -= 1
  }
}
