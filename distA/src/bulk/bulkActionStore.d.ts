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
import type { Sql } from 'postgres';
import type { JobState } from '../queue/job.js';
import { type BatchedJob } from '../queue/store.js';
import { type BulkActionKind, type BulkFilter, type OwnedBulkAction, type WorkedBulkAction } from './bulkAction.js';
/** Whose jobs: one owner's, or every owner's (`undefined`, the admin scope). */
export interface MatchScope {
    owner: string | undefined;
    filter: BulkFilter;
    /** The states the filter may match: its own `state`, or every state the action moves. */
    states: readonly JobState[];
}
export interface NewBulkAction {
    owner: string;
    allOwners: boolean;
    action: BulkActionKind;
    filter: BulkFilter | null;
    /** Sorted, distinct. */
    ids: string[] | null;
    throughId: string;
    matched: number;
}
export type BatchResult = 
/** The lease is no longer this instance's, or the action completed elsewhere: nothing was written. */
{
    kind: 'lost';
}
/** One batch committed; `moved` are the jobs it moved, `action` the row after it. */
 | {
    kind: 'worked';
    action: WorkedBulkAction;
    moved: BatchedJob[];
};
export declare class BulkActionStore {
    private readonly sql;
    private readonly schemaName;
    /** Every table is named in this schema (src/db/schemaIdentifier.ts). */
    private readonly schema;
    /** `schema`: the database's `schema` (`DATABASE_SCHEMA`). */
    constructor(sql: Sql, schemaName: string);
    /** The newest job id (0 with no jobs): a filter's walk stops there, leaving later jobs alone. */
    newestJobId(): Promise<string>;
    /** How many jobs up to `throughId` the filter matches now. */
    countMatchingJobs(scope: MatchScope & {
        throughId: string;
    }): Promise<number>;
    createBulkAction(action: NewBulkAction): Promise<OwnedBulkAction>;
    /** `owner: undefined` (an admin) sees every owner's actions. */
    getBulkAction({ id, owner }: {
        id: string;
        owner: string | undefined;
    }): Promise<OwnedBulkAction | undefined>;
    /**
     * Leases the oldest running action no live instance holds (or one this instance already holds:
     * after an error it takes it up again) to `leaseOwner`.
     */
    claimBulkAction({ leaseOwner, leaseMs, }: {
        leaseOwner: string;
        leaseMs: number;
    }): Promise<WorkedBulkAction | undefined>;
    /** Gives the lease back (a stop), so that another instance carries the action on at once. */
    releaseBulkAction({ id, leaseOwner }: {
        id: string;
        leaseOwner: string;
    }): Promise<void>;
    /**
     * Works the next batch of action `id` in one transaction, fenced by the lease: takes the next
     * `batchSize` jobs after the cursor (the next ids of its list, or the next jobs the filter
     * matches), moves them through the action's batched transition, then advances the cursor past
     * them, adds up what it did, extends the lease, and completes the action after its last batch.
     */
    workBatch({ id, leaseOwner, leaseMs, batchSize, }: {
        id: string;
        leaseOwner: string;
        leaseMs: number;
        batchSize: number;
    }): Promise<BatchResult>;
    /** The next ids after the cursor, and whether they are the last. */
    private nextCandidates;
}
