import type { TestDatabase } from '../support/databases.js';
export interface BulkRetryOptions {
    database: TestDatabase;
    target: 'pglite' | 'postgres';
    jobs: number;
    batchSize: number;
    /** Kill the worker once this many jobs are done. */
    killAfter: number;
    timeoutMs?: number;
}
export interface BulkRetryReport {
    jobs: number;
    doneAtKill: number;
    /** From the POST of the action to its completion, the kill and the lease expiry included. */
    totalMs: number;
    enqueued: number;
    /** Enqueue latencies while the action ran (ms). */
    enqueueP50Ms: number;
    enqueueP99Ms: number;
    enqueueMaxMs: number;
}
export declare function runBulkRetryThroughKill({ database, target, jobs, batchSize, killAfter, timeoutMs, }: BulkRetryOptions): Promise<BulkRetryReport>;
