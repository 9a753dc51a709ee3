/**
 * The runner's writes for started jobs, batched: completions, failures, requeues and
 * cancellations of jobs that start or settle close together are written as one statement each (see
 * `Batcher`), and every job learns whether its own row was written (an empty answer means its lease
 * was lost). With short jobs this turns hundreds of commits into one.
 */
import type { JobState } from '../queue/job.js';
import type { Cancellation, Completion, Failure, JobSnapshot, JobStore } from '../queue/store.js';
export declare class OutcomeBatches {
    private readonly completions;
    private readonly failures;
    private readonly requeues;
    private readonly cancellations;
    private readonly pauses;
    private readonly yields;
    constructor(store: JobStore, instanceId: string);
    complete(completion: Completion): Promise<boolean>;
    /** The job's state after the failed attempt (`queued` for a retry), or null when its lease was lost. */
    fail(failure: Failure): Promise<JobState | null>;
    /** The job's state after the interruption (`failed` past its cap), or null when its lease was lost. */
    requeue(job: JobSnapshot): Promise<JobState | null>;
    /**
     * Stopped by a pause (the `pause` row): its state after (`queued` for a pause of its queue or type,
     * `paused` for one of the job itself, `cancelled` when a cancel came meanwhile), or null when its
     * lease was lost.
     */
    pause(job: JobSnapshot): Promise<JobState | null>;
    /** Stopped at the end of its time slice (the `yield` row): its state after, or null when its lease was lost. */
    yield(job: JobSnapshot): Promise<JobState | null>;
    cancel(job: Cancellation): Promise<boolean>;
}
