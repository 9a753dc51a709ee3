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
import { CANCELLABLE_STATES, RETRYABLE_STATES } from '../queue/store.js'
import type { JobState } from '../queue/job.js'

export const BULK_ACTIONS = ['cancel', 'retry'] as const
export type BulkActionKind = (typeof BULK_ACTIONS)[number]
export type BulkActionState = 'running' | 'completed'

/** What a filter may say; every field narrows it, and none at all needs `all: true`. */
export interface BulkFilter {
  state?: JobState
  type?: string
  queue?: string
  /** Created strictly before this instant (RFC 3339). */
  createdBefore?: string
  /** Created strictly after this instant (RFC 3339). */
  createdAfter?: string
}

export const BULK_FILTER_FIELDS = ['state', 'type', 'queue', 'createdBefore', 'createdAfter'] as const

/** Ids one request may name: a list this long is one or two batches. */
export const MAX_BULK_IDS = 1000
/** Failure reasons kept on the row (`failed` counts them all). */
export const MAX_BULK_FAILURES = 100

/** The states each action moves: the rows of the transition table it goes through. */
export const ACTION_STATES: Readonly<Record<BulkActionKind, readonly JobState[]>> = {
  cancel: CANCELLABLE_STATES,
  retry: RETRYABLE_STATES,
}

export interface BulkFailure {
  id: string
  reason: string
}

export interface BulkAction {
  id: string
  action: BulkActionKind
  state: BulkActionState
  /** The filter it walks, or null when it was given ids. */
  filter: BulkFilter | null
  /** How many ids it was given, or null when it walks a filter. */
  idCount: number | null
  matched: number
  done: number
  failed: number
  failures: BulkFailure[]
  createdAt: string
  updatedAt: string
  finishedAt: string | null
}

/** The bulk action with who may see it (never shown by the API). */
export interface OwnedBulkAction extends BulkAction {
  owner: string
  /** Created with the admin scope: it acts on every owner's jobs. */
  allOwners: boolean
}

/** What the worker needs to walk it, besides what the API shows. */
export interface WorkedBulkAction extends OwnedBulkAction {
  /** The sorted ids it was given, or null. */
  ids: string[] | null
  /** A filter walks jobs up to this id: the newest job when the action was created. */
  throughId: string
  /** The last job id a committed batch covered. */
  cursorId: string
}

export interface BulkActionRow {
  id: string
  owner: string
  all_owners: boolean
  action: BulkActionKind
  filter: BulkFilter | null
  ids: string[] | null
  through_id: string
  cursor_id: string
  state: BulkActionState
  matched: number
  done: number
  failed: number
  failures: BulkFailure[]
  created_at: Date
  updated_at: Date
  finished_at: Date | null
}

export function toBulkAction(row: BulkActionRow): WorkedBulkAction {
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
  }
}

/** The API's view: no owner, no walking state. */
export function publicBulkAction(action: BulkAction): BulkAction {
  const { id, state, filter, idCount, matched, done, failed, failures, createdAt, updatedAt, finishedAt } = action
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
  }
}
