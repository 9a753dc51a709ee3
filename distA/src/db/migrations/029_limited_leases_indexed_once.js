/**
 * A job the limited claim holds enters one lease index, not two. The plain claim writes two index
 * entries a job (the primary key's and the leases index's); the limited claim wrote a third, into
 * migration 016's index of the jobs it holds, which its count reads. That one entry more cost a keyed
 * drain about a tenth of its rate even with the claim's counting and ranking taken out
 * (bench/RESULTS.md, "The limited claim's floor"). Now the leases index holds only the jobs other
 * claims took, and the limited claim's own index carries their lease's expiry as its last column,
 * so that lease recovery finds an expired limited job there (src/queue/store.ts,
 * `recoverExpiredLeases`, which reads both).
 *
 * During a deploy an instance of the release before recovers leases with a statement that no longer
 * matches the leases index: it reads the table instead, once per sweep, until it is replaced.
 *
 * Number 029: versions are applied by set (src/db/migrate.ts).
 */
export const version = 29;
export const name = 'limited_leases_indexed_once';
export const sql = /* sql */ `
drop index job_runner_jobs_leases;
create index job_runner_jobs_leases on job_runner_jobs (lease_expires_at)
  where lease_expires_at is not null and not claimed_limited;

drop index job_runner_jobs_limited_running;
create index job_runner_jobs_limited_running on job_runner_jobs (type, concurrency_key, lease_expires_at)
  where claimed_limited and lease_expires_at is not null;
`;
//# sourceMappingURL=029_limited_leases_indexed_once.js.map