/**
 * No planner statistics for the columns that hold what a job carries rather than where it stands:
 * its payload, checkpoint, progress, result, errors, callback, trace and request hash. No statement
 * filters, joins or sorts the jobs by them, so their statistics guided no plan, yet every ANALYZE of
 * the table sampled and sorted them (json documents of any size, detoasted to be measured). With
 * them off, an ANALYZE of the jobs reads the same sample for the columns the claims and the lists do
 * use: 120–160 ms instead of 230–280 for 86,000 jobs with empty payloads, more with real ones. The
 * runner analyzes the table as it grows (src/runner/statisticsKeeper.ts), as autovacuum does where
 * it runs (bench/RESULTS.md, "What the statistics cost the enqueue").
 *
 * Number 028: versions are applied by set (src/db/migrate.ts).
 */
export const version = 28;
export const name = 'no_statistics_for_job_contents';
export const sql = /* sql */ `
alter table job_runner_jobs
  alter column payload set statistics 0,
  alter column checkpoint set statistics 0,
  alter column progress set statistics 0,
  alter column result set statistics 0,
  alter column error set statistics 0,
  alter column errors set statistics 0,
  alter column callback set statistics 0,
  alter column traceparent set statistics 0,
  alter column request_hash set statistics 0;
`;
//# sourceMappingURL=028_no_statistics_for_job_contents.js.map