import type { JobState } from '../queue/job.js';
export declare const BULK_ACTIONS: readonly ["cancel", "retry"];
export type BulkActionKind = (typeof BULK_ACTIONS)[number];
export type BulkActionState = 'running' | 'completed';
/** What a filter may say; every field narrows it, and none at all needs `all: true`. */
export interface BulkFilter {
    state?: JobState;
    type?: string;
    queue?: string;
    /** Created strictly before this instant (RFC 3339). */
    createdBefore?: string;
    /** Created strictly after this instant (RFC 3339). */
    createdAfter?: string;
}
export declare const BULK_FILTER_FIELDS: readonly ["state", "type", "queue", "createdBefore", "createdAfter"];
/** Ids one request may name: a list this long is one or two batches. */
export declare const MAX_BULK_IDS = 1000;
/** Failure reasons kept on the row (`failed` counts them all). */
export declare const MAX_BULK_FAILURES = 100;
/** The states each action moves: the rows of the transition table it goes through. */
export declare const ACTION_STATES: Readonly<Record<BulkActionKind, readonly JobState[]>>;
export interface BulkFailure {
    id: string;
    reason: string;
}
export interface BulkAction {
    id: string;
    action: BulkActionKind;
    state: BulkActionState;
    /** The filter it walks, or null when it was given ids. */
    filter: BulkFilter | null;
    /** How many ids it was given, or null when it walks a filter. */
    idCount: number | null;
    matched: number;
    done: number;
    failed: number;
    failures: BulkFailure[];
    createdAt: string;
    updatedAt: string;
    finishedAt: string | null;
}
/** The bulk action with who may see it (never shown by the API). */
export interface OwnedBulkAction extends BulkAction {
    owner: string;
    /** Created with the admin scope: it acts on every owner's jobs. */
    allOwners: boolean;
}
/** What the worker needs to walk it, besides what the API shows. */
export interface WorkedBulkAction extends OwnedBulkAction {
    /** The sorted ids it was given, or null. */
    ids: string[] | null;
    /** A filter walks jobs up to this id: the newest job when the action was created. */
    throughId: string;
    /** The last job id a committed batch covered. */
    cursorId: string;
}
export interface BulkActionRow {
    id: string;
    owner: string;
    all_owners: boolean;
    action: BulkActionKind;
    filter: BulkFilter | null;
    ids: string[] | null;
    through_id: string;
    cursor_id: string;
    state: BulkActionState;
    matched: number;
    done: number;
    failed: number;
    failures: BulkFailure[];
    created_at: Date;
    updated_at: Date;
    finished_at: Date | null;
}
export declare function toBulkAction(row: BulkActionRow): WorkedBulkAction;
/** The API's view: no owner, no walking state. */
export declare function publicBulkAction(action: BulkAction): BulkAction;
