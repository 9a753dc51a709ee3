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
export declare const version = 10;
export declare const name = "bulk_actions";
export declare const sql = "\ncreate table job_runner_bulk_actions (\n  id bigint generated always as identity primary key,\n  owner text not null,\n  all_owners boolean not null,\n  action text not null check (action in ('cancel', 'retry')),\n  filter jsonb,\n  ids jsonb,\n  through_id bigint not null,\n  cursor_id bigint not null default 0,\n  state text not null default 'running' check (state in ('running', 'completed')),\n  matched integer not null,\n  done integer not null default 0,\n  failed integer not null default 0,\n  failures jsonb not null default '[]'::jsonb,\n  lease_owner text,\n  lease_expires_at timestamptz,\n  created_at timestamptz not null default now(),\n  updated_at timestamptz not null default now(),\n  finished_at timestamptz,\n  check ((filter is null) <> (ids is null))\n);\n\n-- The actions still to work: what every instance's worker looks for.\ncreate index job_runner_bulk_actions_running on job_runner_bulk_actions (id) where state = 'running';\n";
