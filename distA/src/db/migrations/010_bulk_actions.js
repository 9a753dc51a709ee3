/**
 * Bulk actions (issue 18): a cancel or a retry of many jobs, kept as a row so that it survives a
 * SIGTERM or a SIGKILL and any instance can carry it on (src/bulk/). An instance works one under a
 * lease (`lease_owner`, `lease_expires_at`, as jobs are leased), in batches of jobs walked in id
 * order: `cursor_id` is the last job id a committed batch covered, written in the same transaction
 * as that batch's jobs, so a resumed action starts after it and no job is acted on twice.
 *
 * A filter walks the jobs up to `through_id`, the newest job when the action was created, so jobs
 * enqueued meanwhile are left alone; a list of ids (`ids`, sorted) walks those. `failures` keeps the
 * first reasons (bounded by the writer), `failed` counts them all. `all_owners`: created with the
 * admin scope, so it acts on every owner's jobs; otherwise on `owner`'s only.
 */
export const version = 10;
export const name = 'bulk_actions';
export const sql = /* sql */ `
create table job_runner_bulk_actions (
  id bigint generated always as identity primary key,
  owner text not null,
  all_owners boolean not null,
  action text not null check (action in ('cancel', 'retry')),
  filter jsonb,
  ids jsonb,
  through_id bigint not null,
  cursor_id bigint not null default 0,
  state text not null default 'running' check (state in ('running', 'completed')),
  matched integer not null,
  done integer not null default 0,
  failed integer not null default 0,
  failures jsonb not null default '[]'::jsonb,
  lease_owner text,
  lease_expires_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  finished_at timestamptz,
  check ((filter is null) <> (ids is null))
);

-- The actions still to work: what every instance's worker looks for.
create index job_runner_bulk_actions_running on job_runner_bulk_actions (id) where state = 'running';
`;
//# sourceMappingURL=010_bulk_actions.js.map