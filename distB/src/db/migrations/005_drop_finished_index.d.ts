/**
 * Every outcome write (a job becoming succeeded, failed or cancelled) put an entry in this index, and
 * only the pruner read it, once a minute. The pruner now walks the primary key from the oldest job
 * (`JobStore.pruneFinishedJobs`): ids follow creation, so the jobs old enough to delete come first.
 */
export declare const version = 5;
export declare const name = "drop_finished_index";
export declare const sql = "\ndrop index if exists job_runner_jobs_finished;\n";
