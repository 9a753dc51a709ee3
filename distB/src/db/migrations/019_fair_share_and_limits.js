/**
 * Fair share between owners, and rate and concurrency limits per key and per queue (issue 19).
 *
 * `job_runner_jobs_claim_by_owner`: the queued jobs of each queue grouped by owner, in claim order
 * within each owner. The plain claim walks the owners of a queue through it (one index probe per
 * owner) and takes each owner's share from its head (`JobStore.claimJobs`), so one owner's long
 * backlog no longer stands in front of another owner's jobs. Like the claim index, only queued rows
 * enter it.
 *
 * `job_runner_jobs_claim_by_type`: the queued jobs of each job type and queue, in claim order. The
 * limited claim reads a limited type's candidates through it, however many jobs of other types
 * share the queue; through the claim index it read past every one of them on each claim.
 *
 * `job_runner_jobs_limited_running_by_queue`: the leased jobs the limited claim took, by queue and
 * key, which a queue's limits from `QUEUE_LIMITS` count (src/queue/limitedClaim.ts); only rows the
 * limited claim took enter it, as with migration 016's index by type.
 *
 * `job_runner_rate_limits` holds one limiter per job type or queue (`scope`, `name`), and per
 * concurrency key when the limit is per key (`key`; '' for the whole type or queue). Existing rows
 * are the types' limiters of migration 017.
 *
 * Number 019: 018 belongs to parallel work; versions are applied by set (src/db/migrate.ts).
 */
export const version = 19;
export const name = 'fair_share_and_limits';
export const sql = /* sql */ `
create index job_runner_jobs_claim_by_owner on job_runner_jobs (queue, owner, priority, run_at, id) where state = 'queued';

create index job_runner_jobs_claim_by_type on job_runner_jobs (type, queue, priority, run_at, id) where state = 'queued';

create index job_runner_jobs_limited_running_by_queue on job_runner_jobs (queue, concurrency_key)
  where claimed_limited and lease_expires_at is not null;

alter table job_runner_rate_limits rename column type to name;
alter table job_runner_rate_limits add column scope text not null default 'type' check (scope in ('type', 'queue'));
alter table job_runner_rate_limits add column key text not null default '';
alter table job_runner_rate_limits drop constraint job_runner_rate_limits_pkey;
alter table job_runner_rate_limits add primary key (scope, name, key);
`;
//# sourceMappingURL=019_fair_share_and_limits.js.map