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
export const version = 11;
export const name = 'schedules';
export const sql = /* sql */ `
create table job_runner_schedules (
  id text primary key,
  owner text not null,
  source text not null check (source in ('api', 'code')),
  cron text,
  every text,
  every_ms bigint,
  timezone text not null,
  job jsonb not null,
  overlap text not null check (overlap in ('allow', 'skip', 'cancel-previous')),
  backfill_max_slots integer,
  paused boolean not null default false,
  next_run_at timestamptz,
  last_job_id bigint,
  last_slot_at timestamptz,
  last_error text,
  fires bigint not null default 0,
  skips bigint not null default 0,
  misses bigint not null default 0,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  check ((cron is null) <> (every is null))
);

-- The scheduler's one question: which unpaused schedules are due (and when is the next one).
create index job_runner_schedules_due on job_runner_schedules (next_run_at) where not paused;
-- An owner's schedules in id order (keyset pages).
create index job_runner_schedules_owner on job_runner_schedules (owner, id);
`;
//# sourceMappingURL=011_schedules.js.map