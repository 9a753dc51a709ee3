/**
 * Every claim wrote an entry into this index and only the lease renewal read it. Renewal now reads
 * the index of running jobs' leases instead: running jobs are few (the instances' slots and local
 * queues), so scanning them costs less than maintaining a second index on every claim.
 */
export const version = 3;
export const name = 'drop_lease_owner_index';
export const sql = /* sql */ `
drop index if exists job_runner_jobs_lease_owner;
`;
//# sourceMappingURL=003_drop_lease_owner_index.js.map