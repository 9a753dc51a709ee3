/**
 * The runner's writes for claimed jobs, batched: start marks, completions, failures, requeues and
 * cancellations of jobs that start or settle close together are written as one statement each (see
 * `Batcher`), and every job learns whether its own row was written (an empty answer means its lease
 * was lost). With short jobs this turns hundreds of commits into one.
 */
import type { Cancellation, Completion, Failure, JobSnapshot, JobStore } from '../queue/store.js'
import { Batcher } from '../support/batcher.js'

export class OutcomeBatches {
  private readonly starts: Batcher<string, void>
  private readonly completions: Batcher<Completion, Set<string>>
  private readonly failures: Batcher<Failure, Set<string>>
  private readonly requeues: Batcher<JobSnapshot, Set<string>>
  private readonly cancellations: Batcher<Cancellation, Set<string>>

  /**
   * `isRunning(id)` says whether a started job still runs: one that settled gets its start written
   * with its outcome. `onStartMarkError` hears a failed batch of start marks.
   */
  constructor(store: JobStore, instanceId: string, isRunning: (id: string) => boolean, onStartMarkError: (error: unknown) => void) {
    this.starts = new Batcher((ids) => store.markJobsStarted({ instanceId, ids: ids.filter(isRunning) }), { onError: onStartMarkError })
    this.completions = new Batcher((completions) => store.completeJobs({ instanceId, completions }).then(toSet))
    this.failures = new Batcher((failures) => store.failJobs({ instanceId, failures }).then((rows) => toSet(rows.map((r) => r.id))))
    this.requeues = new Batcher((jobs) => store.requeueInterruptedJobs({ instanceId, jobs }).then(toSet))
    this.cancellations = new Batcher((jobs) => store.markJobsCancelled({ instanceId, jobs }).then(toSet))
  }

  /** Best effort, and nobody waits for it: without it, a crash gives the attempt back as if the job had not started. */
  started(id: string): void {
    this.starts.send(id)
  }

  complete(completion: Completion): Promise<boolean> {
    return written(completion.id, this.completions.add(completion))
  }

  fail(failure: Failure): Promise<boolean> {
    return written(failure.id, this.failures.add(failure))
  }

  requeue(job: JobSnapshot): Promise<boolean> {
    return written(job.id, this.requeues.add(job))
  }

  cancel(job: Cancellation): Promise<boolean> {
    return written(job.id, this.cancellations.add(job))
  }
}

function toSet(ids: readonly string[]): Set<string> {
  return new Set(ids)
}

/** Whether the batch wrote this job's row. */
function written(id: string, batch: Promise<Set<string>>): Promise<boolean> {
  return batch.then((ids) => ids.has(id))
}
