/**
 * Issue 23, checkpoints as a resource. `checkpoint_version` is the version of the job type's
 * checkpoint shape the stored checkpoint was written in (`defineJob({ checkpointVersion })`, 1 when
 * a type declares none, so every checkpoint stored before this migration is version 1): a run whose
 * type now declares another version migrates it or starts fresh (src/runner/checkpointResume.ts).
 *
 * `job_runner_checkpoint_history`: the last checkpoints of each job (at most 10, at most 1 MiB of
 * checkpoint text together: src/queue/checkpointStore.ts), appended by the statement that writes
 * them — the runner's batched checkpoint write and an operator's `PUT /v1/jobs/{id}/checkpoint` —
 * and trimmed in that same statement. Like the log lines (migration 014), no foreign key: the rows
 * go with their job in the pruner's statement, so deleting or truncating jobs never waits on them.
 *
 * Number 021: the numbers between belong to parallel work; versions are applied by set (src/db/migrate.ts).
 */
export const version = 21
export const name = 'checkpoint_history'
export const sql = /* sql */ `
alter table job_runner_jobs add column checkpoint_version integer not null default 1;

create table job_runner_checkpoint_history (
  id bigint generated always as identity primary key,
  job_id bigint not null,
  written_at timestamptz not null default now(),
  version integer not null,
  -- 'run': written by the job's run; 'operator': replaced over HTTP.
  source text not null check (source in ('run', 'operator')),
  -- Null when the checkpoint was over the size limit: the entry then only says it was written.
  checkpoint jsonb,
  bytes integer not null
);
create index job_runner_checkpoint_history_by_job on job_runner_checkpoint_history (job_id, id);
`
