import { Batcher } from '../support/batcher.js';
export class OutcomeBatches {
    completions;
    failures;
    requeues;
    cancellations;
    pauses;
    yields;
    constructor(store, instanceId) {
        this.completions = new Batcher((completions) => store.completeJobs({ instanceId, completions }).then(toSet));
        this.failures = new Batcher((failures) => store.failJobs({ instanceId, failures }).then(toStateMap));
        this.requeues = new Batcher((jobs) => store.requeueInterruptedJobs({ instanceId, jobs }).then(toStateMap));
        this.cancellations = new Batcher((jobs) => store.markJobsCancelled({ instanceId, jobs }).then(toSet));
        this.pauses = new Batcher((jobs) => store.requeuePausedJobs({ instanceId, jobs }).then(toStateMap));
        this.yields = new Batcher((jobs) => store.requeueYieldedJobs({ instanceId, jobs }).then(toStateMap));
    }
    complete(completion) {
        return written(completion.id, this.completions.add(completion));
    }
    /** The job's state after the failed attempt (`queued` for a retry), or null when its lease was lost. */
    fail(failure) {
        return this.failures.add(failure).then((states) => states.get(failure.id) ?? null);
    }
    /** The job's state after the interruption (`failed` past its cap), or null when its lease was lost. */
    requeue(job) {
        return this.requeues.add(job).then((states) => states.get(job.id) ?? null);
    }
    /**
     * Stopped by a pause (the `pause` row): its state after (`queued` for a pause of its queue or type,
     * `paused` for one of the job itself, `cancelled` when a cancel came meanwhile), or null when its
     * lease was lost.
     */
    pause(job) {
        return this.pauses.add(job).then((states) => states.get(job.id) ?? null);
    }
    /** Stopped at the end of its time slice (the `yield` row): its state after, or null when its lease was lost. */
    yield(job) {
        return this.yields.add(job).then((states) => states.get(job.id) ?? null);
    }
    cancel(job) {
        return written(job.id, this.cancellations.add(job));
    }
}
function toStateMap(rows) {
    return new Map(rows.map((row) => [row.id, row.state]));
}
function toSet(ids) {
    return new Set(ids);
}
/** Whether the batch wrote this job's row. */
function written(id, batch) {
    return batch.then((ids) => ids.has(id));
}
//# sourceMappingURL=outcomeBatches.js.map