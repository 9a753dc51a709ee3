/**
 * The runner's outcome writes, batched: completions, failures, requeues and cancellations of jobs
 * that settle close together are written as one statement each (see `Batcher`), and every job
 * learns whether its own row was written (an empty answer means its lease was lost). At concurrency
 * 10 with short jobs this turns ten commits into one or two.
 */
import type { Completion, Failure, JobSnapshot, JobStore } from '../queue/store.js'
import { Batcher } from '../support/batcher.js'

export class OutcomeBatches {
  private readonly completions: Batcher<Completion, string[]>
  private readonly failures: Batcher<Failure, string[]>
  private readonly requeues: Batcher<JobSnapshot, string[]>
  private readonly cancellations: Batcher<JobSnapshot, string[]>

  constructor(store: JobStore, instanceId: string) {
    this.completions = new Batcher((completions) => store.completeJobs({ instanceId, completions }))
    this.failures = new Batcher((failures) => store.failJobs({ instanceId, failures }).then((rows) => rows.map((r) => r.id)))
    this.requeues = new Batcher((jobs) => store.requeueInterruptedJobs({ instanceId, jobs }))
    this.cancellations = new Batcher((jobs) => store.markJobsCancelled({ instanceId, jobs }))
  }

  complete(completion: Completion): Promise<string[]> {
    return own(completion.id, this.completions.add(completion))
  }

  fail(failure: Failure): Promise<string[]> {
    return own(failure.id, this.failures.add(failure))
  }

  requeue(job: JobSnapshot): Promise<string[]> {
    return own(job.id, this.requeues.add(job))
  }

  cancel(job: JobSnapshot): Promise<string[]> {
    return own(job.id, this.cancellations.add(job))
  }
}

/** `[id]` when the batch wrote this job's row, `[]` when it did not. */
async function own(id: string, batch: Promise<string[]>): Promise<string[]> {
  return (await batch).includes(id) ? [id] : []
}
