/**
 * The SQL of bulk actions: their rows (migration 010), the lease an instance works one under, the
 * jobs a filter matches, and the batch — one short transaction that moves a batch of jobs through
 * the transition table's batched rows (`JobStore.retryJobs`, `JobStore.requestCancels`) and writes
 * the action's progress with them. The progress and the jobs commit together or not at all, so a
 * batch cut short by a crash is done again whole by whoever resumes, and a committed one never is.
 *
 * Leases work as jobs' do: an instance claims a running action whose lease is free or expired
 * (SKIP LOCKED, so instances never wait on each other), every batch extends the lease and is fenced
 * by it, and a stop gives the lease back at once. A SIGKILLed instance's action waits for its lease
 * to expire, then any instance carries it on from its cursor.
 */
import type { PendingQuery, Row, Sql, TransactionSql } from 'postgres'
import { schemaIdentifier, type SchemaIdentifier } from '../db/schemaIdentifier.js'
import type { Json, JobState } from '../queue/job.js'
import { isJobId, JobStore, type BatchedJob } from '../queue/store.js'
import {
  ACTION_STATES,
  MAX_BULK_FAILURES,
  toBulkAction,
  type BulkActionKind,
  type BulkActionRow,
  type BulkFailure,
  type BulkFilter,
  type OwnedBulkAction,
  type WorkedBulkAction,
} from './bulkAction.js'

/** Whose jobs: one owner's, or every owner's (`undefined`, the admin scope). */
export interface MatchScope {
  owner: string | undefined
  filter: BulkFilter
  /** The states the filter may match: its own `state`, or every state the action moves. */
  states: readonly JobState[]
}

export interface NewBulkAction {
  owner: string
  allOwners: boolean
  action: BulkActionKind
  filter: BulkFilter | null
  /** Sorted, distinct. */
  ids: string[] | null
  throughId: string
  matched: number
}

export type BatchResult =
  /** The lease is no longer this instance's, or the action completed elsewhere: nothing was written. */
  | { kind: 'lost' }
  /** One batch committed; `moved` are the jobs it moved, `action` the row after it. */
  | { kind: 'worked'; action: WorkedBulkAction; moved: BatchedJob[] }

export class BulkActionStore {
  /** Every table is named in this schema (src/db/schemaIdentifier.ts). */
  private readonly schema: SchemaIdentifier

  /** `schema`: the database's `schema` (`DATABASE_SCHEMA`). */
  constructor(
    private readonly sql: Sql,
    private readonly schemaName: string,
  ) {
    this.schema = schemaIdentifier(sql, schemaName)
  }

  /** The newest job id (0 with no jobs): a filter's walk stops there, leaving later jobs alone. */
  async newestJobId(): Promise<string> {
    const [row] = await this.sql<
      { id: string }[]
    >`select coalesce(max(id), 0)::text as id from ${this.schema}.job_runner_jobs`
    return row!.id
  }

  /** How many jobs up to `throughId` the filter matches now. */
  async countMatchingJobs(scope: MatchScope & { throughId: string }): Promise<number> {
    const sql = this.sql
    const [row] =
      scope.owner === undefined
        ? await sql<{ n: number }[]>`
            select count(*)::int as n from ${this.schema}.job_runner_jobs j
            where j.id <= ${scope.throughId} and ${matches(sql, scope)}`
        : await sql<{ n: number }[]>`
            select count(*)::int as n from ${this.schema}.job_runner_owner_jobs o
            join ${this.schema}.job_runner_jobs j on j.id = o.job_id and j.owner = o.owner
            where o.owner = ${scope.owner} and o.job_id <= ${scope.throughId} and ${matches(sql, scope)}`
    return row!.n
  }

  async createBulkAction(action: NewBulkAction): Promise<OwnedBulkAction> {
    const [row] = await this.sql<BulkActionRow[]>`
      insert into ${this.schema}.job_runner_bulk_actions (owner, all_owners, action, filter, ids, through_id, matched)
      values (${action.owner}, ${action.allOwners}, ${action.action},
              ${action.filter === null ? null : this.sql.json(action.filter as Json)},
              ${action.ids === null ? null : this.sql.json(action.ids)},
              ${action.throughId}, ${action.matched})
      returning *`
    return toBulkAction(row!)
  }

  /** `owner: undefined` (an admin) sees every owner's actions. */
  async getBulkAction({ id, owner }: { id: string; owner: string | undefined }): Promise<OwnedBulkAction | undefined> {
    if (!isJobId(id)) return undefined
    const [row] = await this.sql<BulkActionRow[]>`
      select * from ${this.schema}.job_runner_bulk_actions
      where id = ${id} ${owner === undefined ? this.sql`` : this.sql`and owner = ${owner}`}`
    return row && toBulkAction(row)
  }

  /**
   * Leases the oldest running action no live instance holds (or one this instance already holds:
   * after an error it takes it up again) to `leaseOwner`.
   */
  async claimBulkAction({
    leaseOwner,
    leaseMs,
  }: {
    leaseOwner: string
    leaseMs: number
  }): Promise<WorkedBulkAction | undefined> {
    const [row] = await this.sql<BulkActionRow[]>`
      update ${this.schema}.job_runner_bulk_actions b
      set lease_owner = ${leaseOwner}, lease_expires_at = now() + ${leaseMs} * interval '1 millisecond',
          updated_at = now()
      where b.id = (
        select id from ${this.schema}.job_runner_bulk_actions
        where state = 'running'
          and (lease_owner is null or lease_expires_at < now() or lease_owner = ${leaseOwner})
        order by id
        limit 1
        for update skip locked)
      returning b.*`
    return row && toBulkAction(row)
  }

  /** Gives the lease back (a stop), so that another instance carries the action on at once. */
  async releaseBulkAction({ id, leaseOwner }: { id: string; leaseOwner: string }): Promise<void> {
    await this.sql`
      update ${this.schema}.job_runner_bulk_actions set lease_owner = null, lease_expires_at = null, updated_at = now()
      where id = ${id} and lease_owner = ${leaseOwner} and state = 'running'`
  }

  /**
   * Works the next batch of action `id` in one transaction, fenced by the lease: takes the next
   * `batchSize` jobs after the cursor (the next ids of its list, or the next jobs the filter
   * matches), moves them through the action's batched transition, then advances the cursor past
   * them, adds up what it did, extends the lease, and completes the action after its last batch.
   */
  async workBatch({
    id,
    leaseOwner,
    leaseMs,
    batchSize,
  }: {
    id: string
    leaseOwner: string
    leaseMs: number
    batchSize: number
  }): Promise<BatchResult> {
    return this.sql.begin(async (tx): Promise<BatchResult> => {
      const [locked] = await tx<BulkActionRow[]>`
        select * from ${this.schema}.job_runner_bulk_actions
        where id = ${id} and lease_owner = ${leaseOwner} and state = 'running'
        for update`
      if (!locked) return { kind: 'lost' }
      const action = toBulkAction(locked)
      const owner = action.allOwners ? undefined : action.owner
      const { candidates, last } = await this.nextCandidates(tx, action, owner, batchSize)
      const jobs = JobStore.within(tx, this.schemaName)
      const batch =
        action.action === 'retry'
          ? await jobs.retryJobs({ ids: candidates, owner })
          : await jobs.requestCancels({ ids: candidates, owner })
      const moved = batch.filter((job) => job.moved)
      // A filter's batch held only jobs that matched a moment ago: one that left the filter since is
      // passed over. A list names its jobs, so each one not moved is a failure with its reason.
      const failures = action.ids === null ? [] : listFailures(action.action, candidates, batch)
      // Only the first reasons are kept (the row is locked: the room left is exact).
      const kept = failures.slice(0, Math.max(0, MAX_BULK_FAILURES - action.failures.length))
      const [row] = await tx<BulkActionRow[]>`
        update ${this.schema}.job_runner_bulk_actions
        set cursor_id = ${candidates.at(-1) ?? action.cursorId},
            done = done + ${moved.length}, failed = failed + ${failures.length},
            failures = failures || ${tx.json(kept as unknown as Json)}::jsonb,
            state = case when ${last} then 'completed' else 'running' end,
            finished_at = case when ${last} then now() end,
            lease_owner = case when ${last} then null else lease_owner end,
            lease_expires_at = case when ${last} then null else now() + ${leaseMs} * interval '1 millisecond' end,
            updated_at = now()
        where id = ${id}
        returning *`
      return { kind: 'worked', action: toBulkAction(row!), moved }
    }) as Promise<BatchResult>
  }

  /** The next ids after the cursor, and whether they are the last. */
  private async nextCandidates(
    tx: TransactionSql,
    action: WorkedBulkAction,
    owner: string | undefined,
    batchSize: number,
  ): Promise<{ candidates: string[]; last: boolean }> {
    if (action.ids !== null) {
      const cursor = BigInt(action.cursorId)
      const rest = action.ids.filter((id) => BigInt(id) > cursor)
      return { candidates: rest.slice(0, batchSize), last: rest.length <= batchSize }
    }
    const scope: MatchScope = {
      owner,
      filter: action.filter ?? {},
      states: action.filter?.state === undefined ? ACTION_STATES[action.action] : [action.filter.state],
    }
    const sql = tx as unknown as Sql
    const rows =
      owner === undefined
        ? await tx<{ id: string }[]>`
            select j.id::text as id from ${this.schema}.job_runner_jobs j
            where j.id > ${action.cursorId} and j.id <= ${action.throughId} and ${matches(sql, scope)}
            order by j.id
            limit ${batchSize}`
        : await tx<{ id: string }[]>`
            select o.job_id::text as id from ${this.schema}.job_runner_owner_jobs o
            join ${this.schema}.job_runner_jobs j on j.id = o.job_id and j.owner = o.owner
            where o.owner = ${owner} and o.job_id > ${action.cursorId} and o.job_id <= ${action.throughId}
              and ${matches(sql, scope)}
            order by o.job_id
            limit ${batchSize}`
    return { candidates: rows.map((r) => r.id), last: rows.length < batchSize }
  }
}

/** The filter's conditions on the job `j`. */
function matches(sql: Sql, { filter, states }: MatchScope): PendingQuery<Row[]> {
  return sql`j.state in ${sql(states as string[])}
    ${filter.type === undefined ? sql`` : sql`and j.type = ${filter.type}`}
    ${filter.queue === undefined ? sql`` : sql`and j.queue = ${filter.queue}`}
    ${filter.createdBefore === undefined ? sql`` : sql`and j.created_at < ${filter.createdBefore}::timestamptz`}
    ${filter.createdAfter === undefined ? sql`` : sql`and j.created_at > ${filter.createdAfter}::timestamptz`}`
}

/** Why each listed id the batch did not move was left alone. */
function listFailures(
  action: BulkActionKind,
  candidates: readonly string[],
  batch: readonly BatchedJob[],
): BulkFailure[] {
  const found = new Map(batch.map((job) => [job.id, job]))
  const failures: BulkFailure[] = []
  for (const id of candidates) {
    const job = found.get(id)
    if (job?.moved) continue
    failures.push({ id, reason: job === undefined ? 'not found for this caller' : refusal(action, job.previousState) })
  }
  return failures
}

function refusal(action: BulkActionKind, state: JobState): string {
  return action === 'retry'
    ? `job is ${state}; only a failed or cancelled job can be retried`
    : state === 'cancelled'
      ? 'job is already cancelled'
      : `job has already ${state}; there is nothing to cancel`
}
