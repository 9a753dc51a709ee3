/**
 * A bulk action as the API shows it and as it is stored: a cancel or a retry of the jobs a filter
 * matches, or of a list of ids, worked in batches by any instance (src/bulk/bulkActionWorker.ts).
 *
 *   created ──▶ running ──last batch──▶ completed
 *
 * `matched` is counted when it is created (the jobs the filter matched then, or the ids given);
 * `done` counts the jobs it moved (cancelled, flagged for cancel, queued again), `failed` the ids it
 * could not act on, with their reasons in `failures` (the first `MAX_BULK_FAILURES`). A filtered job
 * that left the filter before its batch came (retried by hand, finished, pruned) is neither.
 */
import { CANCELLABLE_STATES, RETRYABLE_STATES } from '../queue/store.js';
export const BULK_ACTIONS = ['cancel', 'retry'];
export const BULK_FILTER_FIELDS = ['state', 'type', 'queue', 'createdBefore', 'createdAfter'];
/** Ids one request may name: a list this long is one or two batches. */
export const MAX_BULK_IDS = 1000;
/** Failure reasons kept on the row (`failed` counts them all). */
export const MAX_BULK_FAILURES = 100;
/** The states each action moves: the rows of the transition table it goes through. */
export const ACTION_STATES = {
    cancel: CANCELLABLE_STATES,
    retry: RETRYABLE_STATES,
};
export function toBulkAction(row) {
    return {
        id: String(row.id),
        action: row.action,
        state: row.state,
        filter: row.filter,
        idCount: row.ids === null ? null : row.ids.length,
        matched: row.matched,
        done: row.done,
        failed: row.failed,
        failures: row.failures,
        createdAt: row.created_at.toISOString(),
        updatedAt: row.updated_at.toISOString(),
        finishedAt: row.finished_at && row.finished_at.toISOString(),
        owner: row.owner,
        allOwners: row.all_owners,
        ids: row.ids,
        throughId: String(row.through_id),
        cursorId: String(row.cursor_id),
    };
}
/** The API's view: no owner, no walking state. */
export function publicBulkAction(action) {
    const { id, state, filter, idCount, matched, done, failed, failures, createdAt, updatedAt, finishedAt } = action;
    return {
        id,
        action: action.action,
        state,
        filter,
        idCount,
        matched,
        done,
        failed,
        failures,
        createdAt,
        updatedAt,
        finishedAt,
    };
}
//# sourceMappingURL=bulkAction.js.map