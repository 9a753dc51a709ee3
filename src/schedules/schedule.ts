/**
 * A schedule as stored and as the API shows it: when it fires (timing.ts), the job each slot gets
 * (a template checked against the job type's schema before it is stored), what to do when the
 * previous job is still queued or running (`overlap`), and how many slots missed while every
 * instance was down are still enqueued on the next start (`backfill`).
 */
import type { Json, JobState } from '../queue/job.js'
import type { EnqueueRequest } from '../queue/jobService.js'
import { nextSlots, type Timing } from './timing.js'

export const OVERLAPS = ['allow', 'skip', 'cancel-previous'] as const
export type Overlap = (typeof OVERLAPS)[number]

/** What each fire enqueues: an enqueue request without runAt (the slot is the runAt) or key. */
export interface JobTemplate {
  type: string
  payload?: Json
  queue?: string
  priority?: number
  maxAttempts?: number
  timeoutSeconds?: number
  /** Given to every slot's job: counted under its type's `concurrency.perKey` limit. */
  concurrencyKey?: string
}

/** The enqueue request a template makes (the fire adds the slot as runAt, and the slot's key). */
export function enqueueRequestOf(template: JobTemplate): EnqueueRequest {
  const { type, payload, queue, priority, maxAttempts, timeoutSeconds, concurrencyKey } = template
  return {
    type,
    ...(payload === undefined ? {} : { payload }),
    ...(queue === undefined ? {} : { queue }),
    ...(priority === undefined ? {} : { priority }),
    ...(maxAttempts === undefined ? {} : { maxAttempts }),
    ...(timeoutSeconds === undefined ? {} : { timeoutSeconds }),
    ...(concurrencyKey === undefined ? {} : { concurrencyKey }),
  }
}

export interface ScheduleDefinition {
  timing: Timing
  job: JobTemplate
  overlap: Overlap
  backfill: { maxSlots: number } | null
  paused: boolean
}

export type ScheduleSource = 'api' | 'code'

/** A row of job_runner_schedules, with the state of its last job (joined) when that job still exists. */
export interface ScheduleRow {
  id: string
  owner: string
  source: ScheduleSource
  cron: string | null
  every: string | null
  every_ms: string | null
  timezone: string
  job: JobTemplate
  overlap: Overlap
  backfill_max_slots: number | null
  paused: boolean
  next_run_at: Date | null
  last_job_id: string | null
  last_slot_at: Date | null
  last_error: string | null
  fires: string
  skips: string
  misses: string
  created_at: Date
  updated_at: Date
  last_job_state: JobState | null
}

/** The schedule as GET /v1/schedules/{id} answers it. */
export interface Schedule {
  id: string
  source: ScheduleSource
  cron: string | null
  every: string | null
  timezone: string
  job: JobTemplate
  overlap: Overlap
  backfill: { maxSlots: number } | null
  paused: boolean
  /** The next five slots (none while paused). */
  nextRuns: string[]
  lastJob: { id: string; state: JobState | null; slot: string | null } | null
  fired: number
  skipped: number
  missed: number
  lastError: string | null
  createdAt: string
  updatedAt: string
}

export const NEXT_RUNS_SHOWN = 5

export function timingOf(row: Pick<ScheduleRow, 'cron' | 'every' | 'every_ms' | 'timezone'>): Timing {
  if (row.cron !== null) return { kind: 'cron', cron: row.cron, timezone: row.timezone }
  return { kind: 'every', every: row.every!, everyMs: Number(row.every_ms), timezone: row.timezone }
}

export function toSchedule(row: ScheduleRow): Schedule {
  const nextRuns =
    row.paused || row.next_run_at === null
      ? []
      : [row.next_run_at, ...nextSlots(timingOf(row), row.next_run_at, NEXT_RUNS_SHOWN - 1)]
  return {
    id: row.id,
    source: row.source,
    cron: row.cron,
    every: row.every,
    timezone: row.timezone,
    job: row.job,
    overlap: row.overlap,
    backfill: row.backfill_max_slots === null ? null : { maxSlots: row.backfill_max_slots },
    paused: row.paused,
    nextRuns: nextRuns.map((d) => d.toISOString()),
    lastJob:
      row.last_job_id === null
        ? null
        : { id: String(row.last_job_id), state: row.last_job_state, slot: row.last_slot_at?.toISOString() ?? null },
    fired: Number(row.fires),
    skipped: Number(row.skips),
    missed: Number(row.misses),
    lastError: row.last_error,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  }
}

/** The idempotency key of a slot's job: the same on every instance, so a slot makes one job. */
export function slotKey(scheduleId: string, slot: Date): string {
  return `schedule:${scheduleId}:${slot.toISOString()}`
}

/** Schedule ids: no colon (it separates the parts of the slot key), safe in a URL path. */
export const SCHEDULE_ID = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$/
