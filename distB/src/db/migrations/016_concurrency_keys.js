/**
 * Concurrency keys and limits (issue 19). `concurrency_key` is what a job was enqueued with (at most
 * 256 bytes; null for none); it never changes, so a requeued or interrupted job keeps its place
 * under its key. `claimed_limited` marks a job claimed by the limited claim (src/queue/limitedClaim.ts):
 * only such rows enter the index the limited claim counts running jobs from, so the claims and
 * outcome writes of job types without limits write no entry in it (their rows fail its predicate).
 * Its predicate speaks of the lease, not of `state = 'running'`, for the reason of migration 006:
 * the fenced writes must not be read from it.
 *
 * Number 016: 012–015 belong to parallel work; versions are applied by set (src/db/migrate.ts).
 */
export const version = 16;
export const name = 'concurrency_keys';
export const sql = /* sql */ `
alter table job_runner_jobs add column concurrency_key text check (octet_length(concurrency_key) <= 256);
alter table job_runner_jobs add column claimed_limited boolean not null default false;

create index job_runner_jobs_limited_running on job_runner_jobs (type, concurrency_key)
  where claimed_limited and lease_expires_at is not null;
`;
//# sourceMappingURL=016_concurrency_keys.js.map