/**
 * Issue 23, checkpoints as a resource. `checkpoint_version` is the version of the job type's
 * checkpoint shape the stored checkpoint was written in (`defineJob({ checkpointVersion })`, 1 when
 * a type declares none, so every checkpoint stored before this migration is version 1): a run whose
 * type now declares another version migrates it or starts fresh (src/runner/checkpointResume.ts).
 *
 * `job_runner_checkpoint_history`: the last 10 checkpoints of each job, a ring of ten slots per job
 * (src/queue/checkpointStore.ts). `checkpoint_writes` counts the checkpoints recorded for the job;
 * the statement that writes a checkpoint — the runner's batched checkpoint write, an operator's
 * `PUT /v1/jobs/{id}/checkpoint` — counts it on the job's row and upserts slot `count % 10`, so the
 * oldest entry is overwritten in place: no trim, no read of the history on the write path. A
 * checkpoint over 100 KiB is kept by its size alone, which bounds a job's history to 1,000 KiB. Like
 * the log lines (migration 014), no foreign key: the rows go with their job in the pruner's
 * statement, so deleting or truncating jobs never waits on them.
 *
 * Number 021: the numbers between belong to parallel work; versions are applied by set (src/db/migrate.ts).
 */
export const version = 21;
export const name = 'checkpoint_history';
export const sql = /* sql */ `
alter table job_runner_jobs add column checkpoint_version integer not null default 1;
alter table job_runner_jobs add column checkpoint_writes bigint not null default 0;

create table job_runner_checkpoint_history (
  job_id bigint not null,
  slot smallint not null check (slot between 0 and 9),
  -- The job's checkpoint_writes when it was recorded: orders the ring.
  seq bigint not null,
  written_at timestamptz not null default now(),
  version integer not null,
  -- 'run': written by the job's run; 'operator': replaced over HTTP.
  source text not null check (source in ('run', 'operator')),
  -- Null when the checkpoint was over the entry limit: the entry then only says it was written.
  checkpoint jsonb,
  bytes integer not null,
  primary key (job_id, slot)
);
`;
//# sourceMappingURL=021_checkpoint_history.js.map