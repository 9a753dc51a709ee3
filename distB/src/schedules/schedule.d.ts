/**
 * A schedule as stored and as the API shows it: when it fires (timing.ts), the job each slot gets
 * (a template checked against the job type's schema before it is stored), what to do when the
 * previous job is still queued or running (`overlap`), and how many slots missed while every
 * instance was down are still enqueued on the next start (`backfill`).
 */
import type { Json, JobState } from '../queue/job.js';
import type { EnqueueRequest } from '../queue/jobService.js';
import { type Timing } from './timing.js';
export declare const OVERLAPS: readonly ["allow", "skip", "cancel-previous"];
export type Overlap = (typeof OVERLAPS)[number];
/** What each fire enqueues: an enqueue request without runAt (the slot is the runAt) or key. */
export interface JobTemplate {
    type: string;
    payload?: Json;
    queue?: string;
    priority?: number;
    maxAttempts?: number;
    timeoutSeconds?: number;
    /** Given to every slot's job: counted under its type's `concurrency.perKey` limit. */
    concurrencyKey?: string;
}
/** The enqueue request a template makes (the fire adds the slot as runAt, and the slot's key). */
export declare function enqueueRequestOf(template: JobTemplate): EnqueueRequest;
export interface ScheduleDefinition {
    timing: Timing;
    job: JobTemplate;
    overlap: Overlap;
    backfill: {
        maxSlots: number;
    } | null;
    paused: boolean;
}
export type ScheduleSource = 'api' | 'code';
/** A row of job_runner_schedules, with the state of its last job (joined) when that job still exists. */
export interface ScheduleRow {
    id: string;
    owner: string;
    source: ScheduleSource;
    cron: string | null;
    every: string | null;
    every_ms: string | null;
    timezone: string;
    job: JobTemplate;
    overlap: Overlap;
    backfill_max_slots: number | null;
    paused: boolean;
    next_run_at: Date | null;
    last_job_id: string | null;
    last_slot_at: Date | null;
    last_error: string | null;
    fires: string;
    skips: string;
    misses: string;
    created_at: Date;
    updated_at: Date;
    last_job_state: JobState | null;
}
/** The schedule as GET /v1/schedules/{id} answers it. */
export interface Schedule {
    id: string;
    source: ScheduleSource;
    cron: string | null;
    every: string | null;
    timezone: string;
    job: JobTemplate;
    overlap: Overlap;
    backfill: {
        maxSlots: number;
    } | null;
    paused: boolean;
    /** The next five slots (none while paused). */
    nextRuns: string[];
    lastJob: {
        id: string;
        state: JobState | null;
        slot: string | null;
    } | null;
    fired: number;
    skipped: number;
    missed: number;
    lastError: string | null;
    createdAt: string;
    updatedAt: string;
}
export declare const NEXT_RUNS_SHOWN = 5;
export declare function timingOf(row: Pick<ScheduleRow, 'cron' | 'every' | 'every_ms' | 'timezone'>): Timing;
export declare function toSchedule(row: ScheduleRow): Schedule;
/** The idempotency key of a slot's job: the same on every instance, so a slot makes one job. */
export declare function slotKey(scheduleId: string, slot: Date): string;
/** Schedule ids: no colon (it separates the parts of the slot key), safe in a URL path. */
export declare const SCHEDULE_ID: RegExp;
