/**
 * Issue 22: the W3C `traceparent` of the request that enqueued a job (so that its runs join the
 * caller's trace), and the job's own log lines (`ctx.log`), kept with it and bounded by the store
 * (the last 1,000 lines or 256 KiB per job: src/queue/jobLogStore.ts). A line's `id` orders the
 * lines of a job across runs and instances and is the cursor of `GET /v1/jobs/{id}/logs`. The lines
 * go with their job when the pruner deletes it (in its statement: there is no foreign key, so that
 * deleting or truncating jobs never depends on this table).
 *
 * Number 014: 012 and 013 belong to parallel work; versions are applied by set (src/db/migrate.ts).
 */
export declare const version = 14;
export declare const name = "traces_and_job_logs";
export declare const sql = "\nalter table job_runner_jobs add column traceparent text;\n\ncreate table job_runner_job_logs (\n  id bigint generated always as identity primary key,\n  job_id bigint not null,\n  at timestamptz not null,\n  level text not null,\n  message text not null,\n  fields jsonb,\n  bytes integer not null\n);\ncreate index job_runner_job_logs_by_job on job_runner_job_logs (job_id, id);\n";
