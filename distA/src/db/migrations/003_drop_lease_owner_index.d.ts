/**
 * Every claim wrote an entry into this index and only the lease renewal read it. Renewal now reads
 * the index of running jobs' leases instead: running jobs are few (the instances' slots and local
 * queues), so scanning them costs less than maintaining a second index on every claim.
 */
export declare const version = 3;
export declare const name = "drop_lease_owner_index";
export declare const sql = "\ndrop index if exists job_runner_jobs_lease_owner;\n";
