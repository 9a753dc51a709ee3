/**
 * Every SQL statement about schedules. The one that matters is `fireDue`, how instances share the
 * firing without a leader:
 *
 *   one transaction: claim due schedules (`for update skip locked`: each due schedule goes to one
 *   instance, the others skip it and take the next) → enqueue each slot's job through the job
 *   store (idempotency key `schedule:{id}:{slot}`) → cancel the previous job for
 *   `cancel-previous` → advance `next_run_at` past now → commit.
 *
 * The jobs and the advance commit together or not at all: a SIGTERM, a SIGKILL or a lost connection
 * in the middle rolls back both, and the next instance to claim the schedule finds the same slots
 * due. The idempotency key guards what a transaction cannot: two rows of one slot even if a
 * schedule's `next_run_at` were ever set back (a re-created schedule, a clock that stepped back).
 * Times come from the database's clock (`now()`), the same for every instance.
 */
import type { Sql } from 'postgres';
import { type CancelOutcome, type EnqueuedJob, type NewJob } from '../queue/store.js';
import { type JobTemplate, type ScheduleDefinition, type ScheduleRow, type ScheduleSource } from './schedule.js';
/** `owner: undefined` is an admin, who acts on every owner's schedules. */
export interface ScheduleScope {
    owner: string | undefined;
}
export type PutOutcome = {
    kind: 'created' | 'replaced';
    row: ScheduleRow;
}
/** Another owner's id (for a caller who is not an admin). */
 | {
    kind: 'taken';
}
/** Declared in code: changed in the job's definition, not over HTTP. */
 | {
    kind: 'declared-in-code';
};
export type ChangeOutcome = {
    kind: 'done';
    row: ScheduleRow;
} | {
    kind: 'not-found';
} | {
    kind: 'declared-in-code';
};
/** A slot's job, or the refusal of the template (the job type changed since the schedule was stored). */
export type PrepareSlotJob = (template: JobTemplate, slot: Date | null) => NewJob;
export interface FiredSchedule {
    id: string;
    owner: string;
    source: ScheduleSource;
    jobType: string;
    /** The slots' jobs as stored (`replayed` when a slot's job already existed). */
    enqueued: EnqueuedJob[];
    /** Slots enqueued with their job's run time: lag = the job's createdAt − slot. */
    slots: Date[];
    skipped: number;
    missed: number;
    cancelled: CancelOutcome | undefined;
    error: string | undefined;
}
export interface FireReport {
    /** Schedules claimed (at most the limit: a full batch means more may be due). */
    claimed: number;
    schedules: FiredSchedule[];
}
export interface CodeSchedule {
    id: string;
    owner: string;
    definition: ScheduleDefinition;
}
export declare class ScheduleStore {
    private readonly sql;
    private readonly schemaName;
    /** Every table is named in this schema (src/db/schemaIdentifier.ts). */
    private readonly schema;
    /** `schema`: the database's `schema` (`DATABASE_SCHEMA`). */
    constructor(sql: Sql, schemaName: string);
    /**
     * Creates or replaces schedule `id` (PUT). A replacement that keeps the timing keeps
     * `next_run_at`, so a repeated PUT neither skips nor repeats a slot; new timing, or an unpause,
     * starts from the next slot after now. An admin may replace another owner's schedule (it stays
     * that owner's); anyone else gets `taken`.
     */
    putSchedule({ id, owner, admin, definition, }: {
        id: string;
        owner: string;
        admin: boolean;
        definition: ScheduleDefinition;
    }): Promise<PutOutcome>;
    getSchedule({ id, owner }: ScheduleScope & {
        id: string;
    }): Promise<ScheduleRow | undefined>;
    /** In id order; pass the last id of a page as `afterId` for the next one. */
    listSchedules({ owner, afterId, limit, }: ScheduleScope & {
        afterId?: string;
        limit: number;
    }): Promise<ScheduleRow[]>;
    /** Deletes an API schedule; its jobs stay. A schedule declared in code is removed from the code. */
    deleteSchedule({ id, owner }: ScheduleScope & {
        id: string;
    }): Promise<ChangeOutcome>;
    /**
     * Pauses (no slot fires; `next_run_at` is cleared) or resumes (from the first slot after now:
     * the slots of the pause are not missed, they were not wanted). Code schedules may be paused too;
     * the pause survives restarts.
     */
    setPaused({ id, owner, paused }: ScheduleScope & {
        id: string;
        paused: boolean;
    }): Promise<ChangeOutcome>;
    /**
     * Enqueues one job of schedule `id` now (POST …/trigger), outside its slots: it becomes the
     * schedule's last job, which overlap looks at. Keyed `schedule:{id}:trigger:{key}` so a retried
     * trigger with the same key makes one job.
     */
    triggerSchedule({ id, owner, key, prepare, }: ScheduleScope & {
        id: string;
        key: string;
        prepare: PrepareSlotJob;
    }): Promise<{
        kind: 'triggered';
        row: ScheduleRow;
        enqueued: EnqueuedJob;
    } | {
        kind: 'not-found';
    }>;
    /**
     * Milliseconds until the earliest unpaused schedule is due (≤ 0: due now), by the database's
     * clock; null when none is. The scheduler's only statement while idle, answered from the
     * partial index on `next_run_at`.
     */
    msUntilNextDue(): Promise<number | null>;
    /**
     * Fires up to `limit` due schedules in one transaction (see the header). `prepare` turns a
     * template into a job (validated against the job type as it is now); a template it refuses
     * skips the slots and records the error on the schedule.
     */
    fireDue({ limit, prepare }: {
        limit: number;
        prepare: PrepareSlotJob;
    }): Promise<FireReport>;
    /**
     * Makes the code's schedules the stored ones (at start-up): each declared schedule is inserted or
     * its definition updated (its pause, `next_run_at` and counters kept while its timing is the same),
     * and every schedule from code that the code no longer declares is deleted. An id already used by
     * an API schedule is left alone and reported.
     */
    syncCodeSchedules(declared: readonly CodeSchedule[]): Promise<{
        upserted: string[];
        removed: string[];
        conflicts: string[];
    }>;
    private readInside;
}
