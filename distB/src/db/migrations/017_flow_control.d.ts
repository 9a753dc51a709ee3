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
export declare const version = 17;
export declare const name = "flow_control";
export declare const sql = "\ncreate table job_runner_pauses (\n  kind text not null check (kind in ('queue', 'type')),\n  name text not null,\n  mode text not null check (mode in ('finish', 'checkpoint')),\n  paused_at timestamptz not null default now(),\n  primary key (kind, name)\n);\n\ncreate table job_runner_rate_limits (\n  type text primary key,\n  tat timestamptz not null\n);\n\nalter table job_runner_jobs add column expires_at timestamptz;\nalter table job_runner_jobs drop constraint job_runner_jobs_state_check;\nalter table job_runner_jobs add constraint job_runner_jobs_state_check\n  check (state in ('queued', 'running', 'succeeded', 'failed', 'cancelled', 'expired'));\n-- The sweep's question: queued jobs whose deadline passed. Only jobs enqueued with a deadline enter it.\ncreate index job_runner_jobs_expiry on job_runner_jobs (expires_at) where state = 'queued' and expires_at is not null;\n";
