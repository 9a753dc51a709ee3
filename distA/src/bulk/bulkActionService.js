/**
 * Bulk actions as the routes (and so the CLI and the dashboard) use them: checks what the schema
 * cannot (a filter or ids, never both; an empty filter only with `all: true`; a state the action
 * moves; timestamps the service stores), counts what a filter matches, stores the action and wakes
 * this instance's worker for it. The request returns at once: the worker does the work.
 *
 * Owner isolation: a caller without the admin scope acts on its own jobs only (its filter matches
 * nothing else; another owner's id is a failure, "not found"), and sees its own actions only.
 */
import { answersInTime } from '../queue/jobService.js';
import { parseTimestamp, TIMESTAMP_RANGE } from '../queue/timestamp.js';
import { ACTION_STATES, BULK_FILTER_FIELDS, } from './bulkAction.js';
/** A request the schema let through that still cannot be done; `pointer` names the field. */
export class InvalidBulkActionError extends Error {
    pointer;
    name = 'InvalidBulkActionError';
    constructor(pointer, message) {
        super(`${pointer} ${message}`);
        this.pointer = pointer;
    }
}
export class BulkActionService {
    store;
    worker;
    constructor(store, worker) {
        this.store = store;
        this.worker = worker;
    }
    /** What `create` would act on, counted now; nothing is stored. */
    async preview(caller, request) {
        const checked = check(request);
        const { matched } = await this.count(caller, checked);
        return {
            action: checked.action,
            filter: checked.filter,
            idCount: checked.ids?.length ?? null,
            matched,
            dryRun: true,
        };
    }
    async create(caller, request) {
        const checked = check(request);
        const { matched, throughId } = await this.count(caller, checked);
        const action = await answersInTime(this.store.createBulkAction({ ...caller, ...checked, throughId, matched }));
        this.worker.wake();
        return action;
    }
    /** Undefined when it is not the caller's (an admin, `owner` undefined, sees every one). */
    get({ id, owner }) {
        return answersInTime(this.store.getBulkAction({ id, owner }));
    }
    async count(caller, { action, filter, ids }) {
        if (ids !== null)
            return { matched: ids.length, throughId: '0' };
        const throughId = await answersInTime(this.store.newestJobId());
        const matched = await answersInTime(this.store.countMatchingJobs({
            owner: caller.allOwners ? undefined : caller.owner,
            filter: filter,
            states: filter.state === undefined ? ACTION_STATES[action] : [filter.state],
            throughId,
        }));
        return { matched, throughId };
    }
}
function check({ action, filter, ids, all }) {
    if ((filter === undefined) === (ids === undefined)) {
        throw new InvalidBulkActionError('/', 'must have either a filter or ids, not both');
    }
    if (ids !== undefined) {
        if (all !== undefined)
            throw new InvalidBulkActionError('/all', 'applies to a filter, not to a list of ids');
        // Distinct and in id order: the order the batches walk them.
        const sorted = [...new Set(ids)].sort((a, b) => a.length - b.length || (a < b ? -1 : a > b ? 1 : 0));
        return { action, filter: null, ids: sorted };
    }
    const given = filter;
    if (BULK_FILTER_FIELDS.every((field) => given[field] === undefined) && all !== true) {
        throw new InvalidBulkActionError('/all', `must be true with an empty filter: {"filter": {}, "all": true} ${action}s every job the caller may act on`);
    }
    const states = ACTION_STATES[action];
    if (given.state !== undefined && !states.includes(given.state)) {
        throw new InvalidBulkActionError('/filter/state', `must be ${states.join(' or ')} for ${action}: ${action} does not apply to ${given.state} jobs`);
    }
    const normalized = { ...given };
    for (const field of ['createdBefore', 'createdAfter']) {
        const text = given[field];
        if (text === undefined)
            continue;
        const parsed = parseTimestamp(text);
        if ('problem' in parsed) {
            throw new InvalidBulkActionError(`/filter/${field}`, `${parsed.problem}: it must be an RFC 3339 date-time ${TIMESTAMP_RANGE}`);
        }
        normalized[field] = parsed.date.toISOString();
    }
    return { action, filter: normalized, ids: null };
}
//# sourceMappingURL=bulkActionService.js.map