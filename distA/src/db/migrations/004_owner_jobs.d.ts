/**
 * An owner's jobs, newest first, in a table of their own. As an index of the jobs table, (owner, id)
 * took a new entry on every claim and every outcome (neither is a HOT update, so each writes an entry
 * in every index of the table) although neither changes the owner: a sixth of the WAL of each job,
 * and about a tenth of a runner's drain rate of no-op jobs (bench/RESULTS.md). Here an owner's job is
 * one row, written once when the job is inserted and deleted with it.
 *
 * Triggers keep the listing, so that it holds every job whoever writes the jobs table: an instance
 * of an earlier release still running beside this one during a deploy, or an operator's script. The
 * insert trigger runs once per statement (a group-commit insert of many jobs lists them in one
 * insert); the delete trigger once per row, each an index lookup (only the pruner deletes, in the
 * background). No foreign key: its checks would cost a lookup per insert and need an index on
 * `job_id` alone. Listings join on owner as well as id.
 */
export declare const version = 4;
export declare const name = "owner_jobs";
export declare const sql = "\ncreate table job_runner_owner_jobs (\n  owner text not null,\n  job_id bigint not null,\n  primary key (owner, job_id)\n);\n\ncreate function job_runner_list_inserted_jobs() returns trigger language plpgsql as $$\nbegin\n  insert into job_runner_owner_jobs (owner, job_id) select owner, id from inserted_jobs;\n  return null;\nend\n$$;\ncreate trigger job_runner_jobs_listed after insert on job_runner_jobs\n  referencing new table as inserted_jobs\n  for each statement execute function job_runner_list_inserted_jobs();\n\ncreate function job_runner_unlist_deleted_job() returns trigger language plpgsql as $$\nbegin\n  delete from job_runner_owner_jobs where owner = old.owner and job_id = old.id;\n  return null;\nend\n$$;\ncreate trigger job_runner_jobs_unlisted after delete on job_runner_jobs\n  for each row execute function job_runner_unlist_deleted_job();\n\n-- The trigger's lock on the table holds other writers off until this commits, so none is missed.\ninsert into job_runner_owner_jobs (owner, job_id) select owner, id from job_runner_jobs;\ndrop index if exists job_runner_jobs_owner;\n";
