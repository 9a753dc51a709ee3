/**
 * The runner's writes for started jobs, batched: completions, failures, requeues and
 * cancellations of jobs that start or settle close together are written as one statement each (see
 * `Batcher`), and every job learns whether its own row was written (an empty answer means its lease
 * was lost). With short jobs this turns hundreds of commits into one.
 */
import type { JobState } from '../queue/job.js'
import type { Cancellation, Completion, Failure, JobSnapshot, JobStore } from '../queue/store.js'
import { Batcher } from '../support/batcher.js'

export class OutcomeBatches {
  private readonly completions: Batcher<Completion, Set<string>>
  private readonly failures: Batcher<Failure, Map<string, JobState>>
  private readonly requeues: Batcher<JobSnapshot, Map<string, JobState>>
  private readonly cancellations: Batcher<Cancellation, Set<string>>
  private readonly pauses: Batcher<JobSnapshot, Map<string, JobState>>
  private readonly yields: Batcher<JobSnapshot, Map<string, JobState>>

  constructor(store: JobStore, instanceId: string) {
    this.completions = new Batcher((completions) => store.completeJobs({ instanceId, completions }).then(toSet))
    this.failures = new Batcher((failures) => store.failJobs({ instanceId, failures }).then(toStateMap))
    this.requeues = new Batcher((jobs) => store.requeueInterruptedJobs({ instanceId, jobs }).then(toStateMap))
    this.cancellations = new Batcher((jobs) => store.markJobsCancelled({ instanceId, jobs }).then(toSet))
    this.pauses = new Batcher((jobs) => store.requeuePausedJobs({ instanceId, jobs }).then(toStateMap))
    this.yields = new Batcher((jobs) => store.requeueYieldedJobs({ instanceId, jobs }).then(toStateMap))
  }

  complete(completion: Completion): Promise<boolean> {
    return written(completion.id, this.completions.add(completion))
  }

  /** The job's state after the failed attempt (`queued` for a retry), or null when its lease was lost. */
  fail(failure: Failure): Promise<JobState | null> {
    return this.failures.add(failure).then((states) => states.get(failure.id) ?? null)
  }

  /** The job's state after the interruption (`failed` past its cap), or null when its lease was lost. */
  requeue(job: JobSnapshot): Promise<JobState | null> {
    return this.requeues.add(job).then((states) => states.get(job.id) ?? null)
  }

  /**
   * Stopped by a pause (the `pause` row): its state after (`queued` for a pause of its queue or type,
   * `paused` for one of the job itself, `cancelled` when a cancel came meanwhile), or null when its
   * lease was lost.
   */
  pause(job: JobSnapshot): Promise<JobState | null> {
    return this.pauses.add(job).then((states) => states.get(job.id) ?? null)
  }

  /** Stopped at the end of its time slice (the `yield` row): its state after, or null when its lease was lost. */
  yield(job: JobSnapshot): Promise<JobState | null> {
    return this.yields.add(job).then((states) => states.get(job.id) ?? null)
  }

  cancel(job: Cancellation): Promise<boolean> {
    return written(job.id, this.cancellations.add(job))
  }
}

function toStateMap(rows: readonly { id: string; state: JobState }[]): Map<string, JobState> {
  return new Map(rows.map((row) => [row.id, row.state]))
}

function toSet(ids: readonly string[]): Set<string> {
  return new Set(ids)
}

/** Whether the batch wrote this job's row. */
function written(id: string, batch: Promise<Set<string>>): Promise<boolean> {
  return batch.then((ids) => ids.has(id))
}
