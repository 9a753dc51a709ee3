/**
 * An owner's jobs, newest first, in a table of their own. As an index of the jobs table, (owner, id)
 * took a new entry on every claim and every outcome (neither is a HOT update, so each writes an entry
 * in every index of the table) although neither changes the owner: a sixth of the WAL of each job,
 * and about a tenth of a runner's drain rate of no-op jobs (bench/RESULTS.md). Here an owner's job is
 * one row written once, at enqueue, and deleted with the job by the pruner. Rows carry no foreign key:
 * its checks would cost a lookup per insert and need a second index for deletes; the store writes
 * both tables in the same statement, and listings join on owner as well as id.
 */
export const version = 4
export const name = 'owner_jobs'
export const sql = /* sql */ `
create table job_runner_owner_jobs (
  owner text not null,
  job_id bigint not null,
  primary key (owner, job_id)
);
insert into job_runner_owner_jobs (owner, job_id) select owner, id from job_runner_jobs;
drop index job_runner_jobs_owner;
`
