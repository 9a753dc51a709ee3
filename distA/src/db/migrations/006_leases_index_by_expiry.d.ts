/**
 * The index of leases keyed on the lease alone. As `where state = 'running'`, it matched every
 * write fenced by `state = 'running'` (completions, failures, requeues, cancellations, checkpoints,
 * releases, lease renewals), and with statistics showing few running jobs the planner read those
 * writes from it: every running job, each tested against the batch's ids (`id = any(...)`), a cost of
 * running jobs × batch size. With a few thousand jobs running or claimed ahead, batches of ~970
 * completions took 65 ms, and batches of ~840 took 15 ms after (bench/RESULTS.md). Leases are set
 * exactly while a job runs, so the same jobs are indexed; the sweeper's `lease_expires_at < now()`
 * implies the new predicate, and fenced writes now find their rows by primary key.
 */
export declare const version = 6;
export declare const name = "leases_index_by_expiry";
export declare const sql = "\ndrop index if exists job_runner_jobs_leases;\ncreate index job_runner_jobs_leases on job_runner_jobs (lease_expires_at) where lease_expires_at is not null;\n";
