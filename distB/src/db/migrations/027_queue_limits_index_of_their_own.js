/**
 * Migration 019's index of the jobs the limited claim holds, by queue (for `QUEUE_LIMITS`), now holds
 * only the jobs claimed under a queue's limits. Every job the limited claim took entered it beside
 * migration 016's index by type, whatever held it (a type's `perKey`, say), and each entry died at the
 * job's outcome: without those entries, a keyed drain of 50,000 jobs ran a tenth faster
 * (bench/RESULTS.md, "The keyed drain without the second index"). Dropping the index instead would
 * have made a queue's count read every leased job of the cluster (11 ms with 16,000 held, against
 * 0.05 ms through the index).
 *
 * `claimed_under_queue_limit` marks a job the limited claim took while its queue had limits (the claim
 * sets it on every take, so a job taken again without them loses it). Jobs held when this runs keep
 * being counted as before: each one the limited claim holds is marked.
 *
 * Number 027: versions are applied by set (src/db/migrate.ts).
 */
export const version = 27;
export const name = 'queue_limits_index_of_their_own';
export const sql = /* sql */ `
alter table job_runner_jobs add column claimed_under_queue_limit boolean not null default false;

update job_runner_jobs set claimed_under_queue_limit = true where claimed_limited and lease_expires_at is not null;

drop index job_runner_jobs_limited_running_by_queue;

create index job_runner_jobs_limited_running_by_queue on job_runner_jobs (queue, concurrency_key)
  where claimed_under_queue_limit and lease_expires_at is not null;
`;
//# sourceMappingURL=027_queue_limits_index_of_their_own.js.map