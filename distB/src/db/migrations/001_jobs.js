/**
 * The jobs and instances tables. States follow DESIGN.md:
 * queued → running → succeeded | failed | cancelled; running → queued (retry or interruption);
 * queued → cancelled.
 */
export const version = 1;
export const name = 'jobs';
export const sql = /* sql */ `
create table job_runner_instances (
  id uuid primary key,
  hostname text not null,
  pid integer not null,
  queues text[] not null,
  started_at timestamptz not null default now(),
  heartbeat_at timestamptz not null default now()
);

create table job_runner_jobs (
  id bigint generated always as identity primary key,
  owner text not null,
  type text not null,
  queue text not null,
  state text not null default 'queued'
    check (state in ('queued', 'running', 'succeeded', 'failed', 'cancelled')),
  payload jsonb not null default '{}',
  priority integer not null default 0,
  attempts integer not null default 0,
  max_attempts integer not null check (max_attempts >= 1),
  timeout_seconds double precision,
  run_at timestamptz not null default now(),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  started_at timestamptz,
  finished_at timestamptz,
  cancel_requested boolean not null default false,
  checkpoint jsonb,
  progress jsonb,
  result jsonb,
  error text,
  interruptions integer not null default 0,
  lease_owner uuid,
  lease_expires_at timestamptz,
  idempotency_key text,
  request_hash text
);

-- Covers exactly the claim: runnable jobs of a queue in priority, run_at, id order.
create index job_runner_jobs_claim on job_runner_jobs (queue, priority, run_at, id) where state = 'queued';
-- The lease sweep and the lease renewal look only at running jobs.
create index job_runner_jobs_leases on job_runner_jobs (lease_expires_at) where state = 'running';
create index job_runner_jobs_lease_owner on job_runner_jobs (lease_owner) where state = 'running';
-- Listing one owner's jobs newest first, with keyset pagination on id.
create index job_runner_jobs_owner on job_runner_jobs (owner, id);
create unique index job_runner_jobs_idempotency on job_runner_jobs (owner, idempotency_key)
  where idempotency_key is not null;
`;
//# sourceMappingURL=001_jobs.js.map