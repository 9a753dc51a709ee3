/**
 * Cluster-wide pauses, start-by deadlines and rate limits (issue 19).
 *
 * `job_runner_pauses`: one row per paused queue or job type, read by every instance (src/queue/pauses.ts),
 * so a pause survives restarts and reaches instances that start later. `mode` says what became of
 * the jobs running when it was made: `finish` let them end, `checkpoint` stopped them with the token
 * reason `paused` (the `pause` row of the transition table: back to `queued`, attempt refunded).
 *
 * `expires_at`: a job not started by then is `expired` (a terminal state: the `expire` row). The
 * state check gains `expired`.
 *
 * `job_runner_rate_limits`: one row per rate-limited job type, its theoretical arrival time (GCRA):
 * the limited claim reads and advances it under the type's advisory lock (src/queue/limitedClaim.ts).
 *
 * Number 017: 012–015 belong to parallel work; versions are applied by set (src/db/migrate.ts).
 */
export const version = 17;
export const name = 'flow_control';
export const sql = /* sql */ `
create table job_runner_pauses (
  kind text not null check (kind in ('queue', 'type')),
  name text not null,
  mode text not null check (mode in ('finish', 'checkpoint')),
  paused_at timestamptz not null default now(),
  primary key (kind, name)
);

create table job_runner_rate_limits (
  type text primary key,
  tat timestamptz not null
);

alter table job_runner_jobs add column expires_at timestamptz;
alter table job_runner_jobs drop constraint job_runner_jobs_state_check;
alter table job_runner_jobs add constraint job_runner_jobs_state_check
  check (state in ('queued', 'running', 'succeeded', 'failed', 'cancelled', 'expired'));
-- The sweep's question: queued jobs whose deadline passed. Only jobs enqueued with a deadline enter it.
create index job_runner_jobs_expiry on job_runner_jobs (expires_at) where state = 'queued' and expires_at is not null;
`;
//# sourceMappingURL=017_flow_control.js.map