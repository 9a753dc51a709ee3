/**
 * What a claim returns of each job it leases: what running the job needs, its timestamps already as
 * text (see ISO_TIMESTAMP). The plain claim (`JobStore.claimJobs`) and the limited one
 * (src/queue/limitedClaim.ts) both return exactly this, so a job reaches the runner the same
 * whichever claim took it.
 */
import type { PendingQuery, Row, Sql, TransactionSql } from 'postgres'
import { ISO_TIMESTAMP } from './job.js'

/** `sql`: the store's, or the transaction's the limited claim runs in. */
export function claimedColumns(sql: Sql | TransactionSql): PendingQuery<Row[]> {
  return sql`j.id, j.owner, j.type, j.queue, j.state, j.payload, j.priority, j.attempts, j.max_attempts, j.timeout_seconds,
    to_char(j.run_at at time zone 'UTC', ${ISO_TIMESTAMP}) as run_at,
    to_char(j.created_at at time zone 'UTC', ${ISO_TIMESTAMP}) as created_at,
    to_char(j.started_at at time zone 'UTC', ${ISO_TIMESTAMP}) as started_at, null as finished_at,
    j.cancel_requested, to_char(j.cancel_requested_at at time zone 'UTC', ${ISO_TIMESTAMP}) as cancel_requested_at,
    j.pause_requested, j.checkpoint, j.checkpoint_version, j.progress, j.result, j.error, j.interruptions, j.max_interruptions,
    j.retries, j.replay_of, j.errors, j.traceparent, j.concurrency_key`
}
