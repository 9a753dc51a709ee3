/** Lets the finished-job pruner find old finished jobs without scanning the table. */
export const version = 2;
export const name = 'finished_index';
export const sql = /* sql */ `
create index job_runner_jobs_finished on job_runner_jobs (finished_at)
  where state in ('succeeded', 'failed', 'cancelled');
`;
//# sourceMappingURL=002_finished_index.js.map