import { schemaIdentifier } from '../db/schemaIdentifier.js';
import { isJobId, JobStore } from '../queue/store.js';
import { ACTION_STATES, MAX_BULK_FAILURES, toBulkAction, } from './bulkAction.js';
export class BulkActionStore {
    sql;
    schemaName;
    /** Every table is named in this schema (src/db/schemaIdentifier.ts). */
    schema;
    /** `schema`: the database's `schema` (`DATABASE_SCHEMA`). */
    constructor(sql, schemaName) {
        this.sql = sql;
        this.schemaName = schemaName;
        this.schema = schemaIdentifier(sql, schemaName);
    }
    /** The newest job id (0 with no jobs): a filter's walk stops there, leaving later jobs alone. */
    async newestJobId() {
        const [row] = await this.sql `select coalesce(max(id), 0)::text as id from ${this.schema}.job_runner_jobs`;
        return row.id;
    }
    /** How many jobs up to `throughId` the filter matches now. */
    async countMatchingJobs(scope) {
        const sql = this.sql;
        const [row] = scope.owner === undefined
            ? await sql `
            select count(*)::int as n from ${this.schema}.job_runner_jobs j
            where j.id <= ${scope.throughId} and ${matches(sql, scope)}`
            : await sql `
            select count(*)::int as n from ${this.schema}.job_runner_owner_jobs o
            join ${this.schema}.job_runner_jobs j on j.id = o.job_id and j.owner = o.owner
            where o.owner = ${scope.owner} and o.job_id <= ${scope.throughId} and ${matches(sql, scope)}`;
        return row.n;
    }
    async createBulkAction(action) {
        const [row] = await this.sql `
      insert into ${this.schema}.job_runner_bulk_actions (owner, all_owners, action, filter, ids, through_id, matched)
      values (${action.owner}, ${action.allOwners}, ${action.action},
              ${action.filter === null ? null : this.sql.json(action.filter)},
              ${action.ids === null ? null : this.sql.json(action.ids)},
              ${action.throughId}, ${action.matched})
      returning *`;
        return toBulkAction(row);
    }
    /** `owner: undefined` (an admin) sees every owner's actions. */
    async getBulkAction({ id, owner }) {
        if (!isJobId(id))
            return undefined;
        const [row] = await this.sql `
      select * from ${this.schema}.job_runner_bulk_actions
      where id = ${id} ${owner === undefined ? this.sql `` : this.sql `and owner = ${owner}`}`;
        return row && toBulkAction(row);
    }
    /**
     * Leases the oldest running action no live instance holds (or one this instance already holds:
     * after an error it takes it up again) to `leaseOwner`.
     */
    async claimBulkAction({ leaseOwner, leaseMs, }) {
        const [row] = await this.sql `
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
      returning b.*`;
        return row && toBulkAction(row);
    }
    /** Gives the lease back (a stop), so that another instance carries the action on at once. */
    async releaseBulkAction({ id, leaseOwner }) {
        await this.sql `
      update ${this.schema}.job_runner_bulk_actions set lease_owner = null, lease_expires_at = null, updated_at = now()
      where id = ${id} and lease_owner = ${leaseOwner} and state = 'running'`;
    }
    /**
     * Works the next batch of action `id` in one transaction, fenced by the lease: takes the next
     * `batchSize` jobs after the cursor (the next ids of its list, or the next jobs the filter
     * matches), moves them through the action's batched transition, then advances the cursor past
     * them, adds up what it did, extends the lease, and completes the action after its last batch.
     */
    async workBatch({ id, leaseOwner, leaseMs, batchSize, }) {
        return this.sql.begin(async (tx) => {
            const [locked] = await tx `
        select * from ${this.schema}.job_runner_bulk_actions
        where id = ${id} and lease_owner = ${leaseOwner} and state = 'running'
        for update`;
            if (!locked)
                return { kind: 'lost' };
            const action = toBulkAction(locked);
            const owner = action.allOwners ? undefined : action.owner;
            const { candidates, last } = await this.nextCandidates(tx, action, owner, batchSize);
            const jobs = JobStore.within(tx, this.schemaName);
            const batch = action.action === 'retry'
                ? await jobs.retryJobs({ ids: candidates, owner })
                : await jobs.requestCancels({ ids: candidates, owner });
            const moved = batch.filter((job) => job.moved);
            // A filter's batch held only jobs that matched a moment ago: one that left the filter since is
            // passed over. A list names its jobs, so each one not moved is a failure with its reason.
            const failures = action.ids === null ? [] : listFailures(action.action, candidates, batch);
            // Only the first reasons are kept (the row is locked: the room left is exact).
            const kept = failures.slice(0, Math.max(0, MAX_BULK_FAILURES - action.failures.length));
            const [row] = await tx `
        update ${this.schema}.job_runner_bulk_actions
        set cursor_id = ${candidates.at(-1) ?? action.cursorId},
            done = done + ${moved.length}, failed = failed + ${failures.length},
            failures = failures || ${tx.json(kept)}::jsonb,
            state = case when ${last} then 'completed' else 'running' end,
            finished_at = case when ${last} then now() end,
            lease_owner = case when ${last} then null else lease_owner end,
            lease_expires_at = case when ${last} then null else now() + ${leaseMs} * interval '1 millisecond' end,
            updated_at = now()
        where id = ${id}
        returning *`;
            return { kind: 'worked', action: toBulkAction(row), moved };
        });
    }
    /** The next ids after the cursor, and whether they are the last. */
    async nextCandidates(tx, action, owner, batchSize) {
        if (action.ids !== null) {
            const cursor = BigInt(action.cursorId);
            const rest = action.ids.filter((id) => BigInt(id) > cursor);
            return { candidates: rest.slice(0, batchSize), last: rest.length <= batchSize };
        }
        const scope = {
            owner,
            filter: action.filter ?? {},
            states: action.filter?.state === undefined ? ACTION_STATES[action.action] : [action.filter.state],
        };
        const sql = tx;
        const rows = owner === undefined
            ? await tx `
            select j.id::text as id from ${this.schema}.job_runner_jobs j
            where j.id > ${action.cursorId} and j.id <= ${action.throughId} and ${matches(sql, scope)}
            order by j.id
            limit ${batchSize}`
            : await tx `
            select o.job_id::text as id from ${this.schema}.job_runner_owner_jobs o
            join ${this.schema}.job_runner_jobs j on j.id = o.job_id and j.owner = o.owner
            where o.owner = ${owner} and o.job_id > ${action.cursorId} and o.job_id <= ${action.throughId}
              and ${matches(sql, scope)}
            order by o.job_id
            limit ${batchSize}`;
        return { candidates: rows.map((r) => r.id), last: rows.length < batchSize };
    }
}
/** The filter's conditions on the job `j`. */
function matches(sql, { filter, states }) {
    return sql `j.state in ${sql(states)}
    ${filter.type === undefined ? sql `` : sql `and j.type = ${filter.type}`}
    ${filter.queue === undefined ? sql `` : sql `and j.queue = ${filter.queue}`}
    ${filter.createdBefore === undefined ? sql `` : sql `and j.created_at < ${filter.createdBefore}::timestamptz`}
    ${filter.createdAfter === undefined ? sql `` : sql `and j.created_at > ${filter.createdAfter}::timestamptz`}`;
}
/** Why each listed id the batch did not move was left alone. */
function listFailures(action, candidates, batch) {
    const found = new Map(batch.map((job) => [job.id, job]));
    const failures = [];
    for (const id of candidates) {
        const job = found.get(id);
        if (job?.moved)
            continue;
        failures.push({ id, reason: job === undefined ? 'not found for this caller' : refusal(action, job.previousState) });
    }
    return failures;
}
function refusal(action, state) {
    return action === 'retry'
        ? `job is ${state}; only a failed or cancelled job can be retried`
        : state === 'cancelled'
            ? 'job is already cancelled'
            : `job has already ${state}; there is nothing to cancel`;
}
//# sourceMappingURL=bulkActionStore.js.map