/**
 * One index of the jobs the limited claim holds, not two. Migration 019 added
 * `job_runner_jobs_limited_running_by_queue` beside migration 016's index by type, for the queues'
 * limits (`QUEUE_LIMITS`). Every job the limited claim takes entered both, and each entry died at the
 * job's outcome: without the second one, a keyed drain of 50,000 jobs ran a tenth faster
 * (bench/RESULTS.md, "The keyed drain without the second index").
 *
 * A queue's count now reads the index by type whole, filtered by queue. It holds only leased jobs
 * of limited types and queues (a few places a key or a total, and the local queues' jobs claimed
 * ahead), so reading it whole costs what reading one type's range of it does.
 *
 * Number 027: versions are applied by set (src/db/migrate.ts).
 */
export const version = 27
export const name = 'one_limited_running_index'
export const sql = /* sql */ `
drop index job_runner_jobs_limited_running_by_queue;
`
