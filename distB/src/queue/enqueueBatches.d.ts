/**
 * Group commit for single enqueues: jobs submitted one per request (POST /v1/jobs) at about the
 * same time are inserted together, one multi-row statement per owner, and each caller is answered
 * only after the statement that holds its job has committed — so 202 still means committed, and
 * a failed statement fails exactly the requests whose jobs it carried. Jobs with an idempotency key
 * do not come here: their replay rules stay with `JobStore.enqueueJobs` one request at a time.
 */
import type { EnqueuedJob, JobStore, NewJob } from './store.js';
export declare class EnqueueBatches {
    private readonly batcher;
    constructor(store: Pick<JobStore, 'enqueueJobs'>);
    enqueue(owner: string, job: NewJob): Promise<EnqueuedJob>;
}
