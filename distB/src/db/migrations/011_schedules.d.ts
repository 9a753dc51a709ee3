/**
 * Schedules (issue 21): recurring jobs, made over HTTP (`source = 'api'`) or declared by a job type
 * in code (`source = 'code'`, upserted at start-up and deleted when gone from code). One row is one
 * schedule; `next_run_at` is the earliest slot not yet fired, advanced in the same transaction that
 * enqueues the slot's job (src/schedules/store.ts), so a slot is fired once or not at all. Ids are
 * one namespace across owners. Counters say what became of the slots: fired, skipped (overlap, or a
 * template the job type no longer accepts) and missed (while every instance was down, beyond the
 * backfill).
 *
 * Number 011: 010 belongs to parallel work; the migration runner applies versions by set, not by
 * contiguity (src/db/migrate.ts).
 */
export declare const version = 11;
export declare const name = "schedules";
export declare const sql = "\ncreate table job_runner_schedules (\n  id text primary key,\n  owner text not null,\n  source text not null check (source in ('api', 'code')),\n  cron text,\n  every text,\n  every_ms bigint,\n  timezone text not null,\n  job jsonb not null,\n  overlap text not null check (overlap in ('allow', 'skip', 'cancel-previous')),\n  backfill_max_slots integer,\n  paused boolean not null default false,\n  next_run_at timestamptz,\n  last_job_id bigint,\n  last_slot_at timestamptz,\n  last_error text,\n  fires bigint not null default 0,\n  skips bigint not null default 0,\n  misses bigint not null default 0,\n  created_at timestamptz not null default now(),\n  updated_at timestamptz not null default now(),\n  check ((cron is null) <> (every is null))\n);\n\n-- The scheduler's one question: which unpaused schedules are due (and when is the next one).\ncreate index job_runner_schedules_due on job_runner_schedules (next_run_at) where not paused;\n-- An owner's schedules in id order (keyset pages).\ncreate index job_runner_schedules_owner on job_runner_schedules (owner, id);\n";
