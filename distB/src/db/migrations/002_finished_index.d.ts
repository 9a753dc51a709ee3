/** Lets the finished-job pruner find old finished jobs without scanning the table. */
export declare const version = 2;
export declare const name = "finished_index";
export declare const sql = "\ncreate index job_runner_jobs_finished on job_runner_jobs (finished_at)\n  where state in ('succeeded', 'failed', 'cancelled');\n";
