import { type BulkActionKind, type BulkFilter, type OwnedBulkAction } from './bulkAction.js';
import type { BulkActionStore } from './bulkActionStore.js';
export interface BulkActionRequest {
    action: BulkActionKind;
    filter?: BulkFilter;
    ids?: string[];
    /** Required with an empty filter: an action on every job must be meant. */
    all?: boolean;
    /** Count what the filter matches, and store nothing. */
    dryRun?: boolean;
}
/** Who asks: their own jobs, or (`allOwners`, the admin scope) every owner's. */
export interface BulkCaller {
    owner: string;
    allOwners: boolean;
}
export interface BulkActionPreview {
    action: BulkActionKind;
    filter: BulkFilter | null;
    idCount: number | null;
    matched: number;
    dryRun: true;
}
/** A request the schema let through that still cannot be done; `pointer` names the field. */
export declare class InvalidBulkActionError extends Error {
    readonly pointer: string;
    name: string;
    constructor(pointer: string, message: string);
}
export declare class BulkActionService {
    private readonly store;
    private readonly worker;
    constructor(store: BulkActionStore, worker: {
        wake(): void;
    });
    /** What `create` would act on, counted now; nothing is stored. */
    preview(caller: BulkCaller, request: BulkActionRequest): Promise<BulkActionPreview>;
    create(caller: BulkCaller, request: BulkActionRequest): Promise<OwnedBulkAction>;
    /** Undefined when it is not the caller's (an admin, `owner` undefined, sees every one). */
    get({ id, owner }: {
        id: string;
        owner: string | undefined;
    }): Promise<OwnedBulkAction | undefined>;
    private count;
}
