/**
 * A job type whose runs hold their slot (and, with limits, their place) until the test opens its
 * gate: what a test needs to keep a slot or a key taken while it watches what else the runner does.
 * `reset()` closes the gate again, for the next database's run of the same test file.
 *
 *   const holder = gatedJob('gated', { perKey: 1 })
 *   await openEngine(database, { extraJobs: [holder.job] })
 *   …
 *   holder.open()
 */
import { defineJob, type ConcurrencyLimits } from '../../jobs/defineJob.js';
import type { Json } from '../../src/queue/job.js';
export interface GatedJob {
    readonly job: ReturnType<typeof defineJob<Json, never, Json>>;
    /** Lets every run of the type, waiting or to come, end. */
    open(): void;
    /** Closes the gate: runs from now on wait for the next `open()`. */
    reset(): void;
}
export declare function gatedJob(name: string, concurrency?: ConcurrencyLimits): GatedJob;
