/**
 * Group commit for single enqueues: jobs submitted one per request (POST /v1/jobs) at about the
 * same time are inserted together, one multi-row statement per owner, and each caller is answered
 * only after the statement that holds its job has committed — so 202 still means committed, and
 * a failed statement fails exactly the requests whose jobs it carried. Jobs with an idempotency key
 * do not come here: their replay rules stay with `JobStore.enqueueJobs` one request at a time.
 */
import type { EnqueuedJob, JobStore, NewJob } from './store.js'
import { Batcher } from '../support/batcher.js'

interface Submission {
  owner: string
  job: NewJob
}

type Outcome = { ok: true; enqueued: EnqueuedJob } | { ok: false; error: unknown }

export class EnqueueBatches {
  private readonly batcher: Batcher<Submission, Map<Submission, Outcome>>

  constructor(store: Pick<JobStore, 'enqueueJobs'>) {
    // Two batches in flight: one commits while the next fills up.
    this.batcher = new Batcher((submissions) => insertByOwner(store, submissions), {
      maxBatch: 500,
      maxInFlight: 2,
    })
  }

  async enqueue(owner: string, job: NewJob): Promise<EnqueuedJob> {
    if (job.idempotencyKey !== null) throw new Error('jobs with an idempotency key are enqueued one request at a time')
    const submission = { owner, job }
    const outcome = (await this.batcher.add(submission)).get(submission)!
    if (!outcome.ok) throw outcome.error
    return outcome.enqueued
  }
}

async function insertByOwner(
  store: Pick<JobStore, 'enqueueJobs'>,
  submissions: Submission[],
): Promise<Map<Submission, Outcome>> {
  const byOwner = new Map<string, Submission[]>()
  for (const s of submissions) {
    const group = byOwner.get(s.owner)
    if (group) group.push(s)
    else byOwner.set(s.owner, [s])
  }
  const outcomes = new Map<Submission, Outcome>()
  await Promise.all(
    [...byOwner].map(async ([owner, group]) => {
      try {
        const enqueued = await store.enqueueJobs({ owner, jobs: group.map((s) => s.job) })
        group.forEach((s, i) => outcomes.set(s, { ok: true, enqueued: enqueued[i]! }))
      } catch (error) {
        for (const s of group) outcomes.set(s, { ok: false, error })
      }
    }),
  )
  return outcomes
}
