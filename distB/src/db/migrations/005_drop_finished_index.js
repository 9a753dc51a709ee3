/**
 * Every outcome write (a job becoming succeeded, failed or cancelled) put an entry in this index, and
 * only the pruner read it, once a minute. The pruner now walks the primary key from the oldest job
 * (`JobStore.pruneFinishedJobs`): ids follow creation, so the jobs old enough to delete come first.
 */
export const version = 5;
export const name = 'drop_finished_index';
export const sql = /* sql */ `
drop index if exists job_runner_jobs_finished;
`;
//# sourceMappingURL=005_drop_finished_index.js.map