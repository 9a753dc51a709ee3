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
import type { Sql, TransactionSql } from 'postgres'
import { schemaIdentifier, type SchemaIdentifier } from '../db/schemaIdentifier.js'
import type { Json } from '../queue/job.js'
import { JobStore, type CancelOutcome, type EnqueuedJob, type NewJob } from '../queue/store.js'
import { planFire } from './firing.js'
import {
  slotKey,
  timingOf,
  type JobTemplate,
  type ScheduleDefinition,
  type ScheduleRow,
  type ScheduleSource,
} from './schedule.js'
import { nextSlot, type Timing } from './timing.js'

/** `owner: undefined` is an admin, who acts on every owner's schedules. */
export interface ScheduleScope {
  owner: string | undefined
}

export type PutOutcome =
  | { kind: 'created' | 'replaced'; row: ScheduleRow }
  /** Another owner's id (for a caller who is not an admin). */
  | { kind: 'taken' }
  /** Declared in code: changed in the job's definition, not over HTTP. */
  | { kind: 'declared-in-code' }

export type ChangeOutcome = { kind: 'done'; row: ScheduleRow } | { kind: 'not-found' } | { kind: 'declared-in-code' }

/** A slot's job, or the refusal of the template (the job type changed since the schedule was stored). */
export type PrepareSlotJob = (template: JobTemplate, slot: Date | null) => NewJob

export interface FiredSchedule {
  id: string
  owner: string
  source: ScheduleSource
  jobType: string
  /** The slots' jobs as stored (`replayed` when a slot's job already existed). */
  enqueued: EnqueuedJob[]
  /** Slots enqueued with their job's run time: lag = the job's createdAt − slot. */
  slots: Date[]
  skipped: number
  missed: number
  cancelled: CancelOutcome | undefined
  error: string | undefined
}

export interface FireReport {
  /** Schedules claimed (at most the limit: a full batch means more may be due). */
  claimed: number
  schedules: FiredSchedule[]
}

export interface CodeSchedule {
  id: string
  owner: string
  definition: ScheduleDefinition
}

const ACTIVE_STATES = new Set(['queued', 'running'])

export class ScheduleStore {
  /** Every table is named in this schema (src/db/schemaIdentifier.ts). */
  private readonly schema: SchemaIdentifier

  /** `schema`: the database's `schema` (`DATABASE_SCHEMA`). */
  constructor(
    private readonly sql: Sql,
    private readonly schemaName: string,
  ) {
    this.schema = schemaIdentifier(sql, schemaName)
  }

  /**
   * Creates or replaces schedule `id` (PUT). A replacement that keeps the timing keeps
   * `next_run_at`, so a repeated PUT neither skips nor repeats a slot; new timing, or an unpause,
   * starts from the next slot after now. An admin may replace another owner's schedule (it stays
   * that owner's); anyone else gets `taken`.
   */
  async putSchedule({
    id,
    owner,
    admin,
    definition,
  }: {
    id: string
    owner: string
    admin: boolean
    definition: ScheduleDefinition
  }): Promise<PutOutcome> {
    return this.sql.begin(async (sql) => {
      const now = await databaseNow(sql)
      const [previous] = await sql<ScheduleRow[]>`
        select s.*, null as last_job_state from ${this.schema}.job_runner_schedules s where s.id = ${id} for update`
      if (previous?.source === 'code') return { kind: 'declared-in-code' as const }
      if (previous && previous.owner !== owner && !admin) return { kind: 'taken' as const }
      const keepsTiming =
        previous !== undefined && !previous.paused && sameTiming(timingOf(previous), definition.timing)
      const nextRunAt = definition.paused ? null : keepsTiming ? previous.next_run_at : nextSlot(definition.timing, now)
      const [row] = await sql<ScheduleRow[]>`
        insert into ${this.schema}.job_runner_schedules as s
          (id, owner, source, cron, every, every_ms, timezone, job, overlap, backfill_max_slots, paused, next_run_at)
        values (${id}, ${owner}, 'api', ${cronOf(definition.timing)}, ${everyOf(definition.timing)},
                ${everyMsOf(definition.timing)}, ${definition.timing.timezone}, ${sql.json(definition.job as unknown as Json)},
                ${definition.overlap}, ${definition.backfill?.maxSlots ?? null}, ${definition.paused}, ${nextRunAt})
        on conflict (id) do update set
          cron = excluded.cron, every = excluded.every, every_ms = excluded.every_ms, timezone = excluded.timezone,
          job = excluded.job, overlap = excluded.overlap, backfill_max_slots = excluded.backfill_max_slots,
          paused = excluded.paused, next_run_at = excluded.next_run_at, last_error = null, updated_at = now()
        returning s.*, (select state from ${this.schema}.job_runner_jobs j where j.id = s.last_job_id) as last_job_state`
      return { kind: previous ? ('replaced' as const) : ('created' as const), row: row! }
    }) as Promise<PutOutcome>
  }

  async getSchedule({ id, owner }: ScheduleScope & { id: string }): Promise<ScheduleRow | undefined> {
    const sql = this.sql
    const [row] = await sql<ScheduleRow[]>`
      select s.*, j.state as last_job_state from ${this.schema}.job_runner_schedules s
      left join ${this.schema}.job_runner_jobs j on j.id = s.last_job_id
      where s.id = ${id} ${owner === undefined ? sql`` : sql`and s.owner = ${owner}`}`
    return row
  }

  /** In id order; pass the last id of a page as `afterId` for the next one. */
  async listSchedules({
    owner,
    afterId,
    limit,
  }: ScheduleScope & { afterId?: string; limit: number }): Promise<ScheduleRow[]> {
    const sql = this.sql
    return sql<ScheduleRow[]>`
      select s.*, j.state as last_job_state from ${this.schema}.job_runner_schedules s
      left join ${this.schema}.job_runner_jobs j on j.id = s.last_job_id
      where true ${owner === undefined ? sql`` : sql`and s.owner = ${owner}`}
        ${afterId === undefined ? sql`` : sql`and s.id > ${afterId}`}
      order by s.id
      limit ${limit}`
  }

  /** Deletes an API schedule; its jobs stay. A schedule declared in code is removed from the code. */
  async deleteSchedule({ id, owner }: ScheduleScope & { id: string }): Promise<ChangeOutcome> {
    const sql = this.sql
    const [row] = await sql<ScheduleRow[]>`
      delete from ${this.schema}.job_runner_schedules s
      where s.id = ${id} and s.source = 'api' ${owner === undefined ? sql`` : sql`and s.owner = ${owner}`}
      returning s.*, null as last_job_state`
    if (row) return { kind: 'done', row }
    return (await this.getSchedule({ id, owner })) ? { kind: 'declared-in-code' } : { kind: 'not-found' }
  }

  /**
   * Pauses (no slot fires; `next_run_at` is cleared) or resumes (from the first slot after now:
   * the slots of the pause are not missed, they were not wanted). Code schedules may be paused too;
   * the pause survives restarts.
   */
  async setPaused({ id, owner, paused }: ScheduleScope & { id: string; paused: boolean }): Promise<ChangeOutcome> {
    return this.sql.begin(async (sql) => {
      const [current] = await sql<(ScheduleRow & { now: Date })[]>`
        select s.*, now() as now from ${this.schema}.job_runner_schedules s
        where s.id = ${id} ${owner === undefined ? sql`` : sql`and s.owner = ${owner}`}
        for update`
      if (!current) return { kind: 'not-found' as const }
      if (current.paused === paused) {
        const row = await this.readInside(sql, id)
        return { kind: 'done' as const, row }
      }
      const nextRunAt = paused ? null : nextSlot(timingOf(current), current.now)
      await sql`
        update ${this.schema}.job_runner_schedules set paused = ${paused}, next_run_at = ${nextRunAt}, updated_at = now()
        where id = ${id}`
      return { kind: 'done' as const, row: await this.readInside(sql, id) }
    }) as Promise<ChangeOutcome>
  }

  /**
   * Enqueues one job of schedule `id` now (POST …/trigger), outside its slots: it becomes the
   * schedule's last job, which overlap looks at. Keyed `schedule:{id}:trigger:{key}` so a retried
   * trigger with the same key makes one job.
   */
  async triggerSchedule({
    id,
    owner,
    key,
    prepare,
  }: ScheduleScope & { id: string; key: string; prepare: PrepareSlotJob }): Promise<
    { kind: 'triggered'; row: ScheduleRow; enqueued: EnqueuedJob } | { kind: 'not-found' }
  > {
    return this.sql.begin(async (sql) => {
      const [current] = await sql<ScheduleRow[]>`
        select s.* from ${this.schema}.job_runner_schedules s
        where s.id = ${id} ${owner === undefined ? sql`` : sql`and s.owner = ${owner}`}
        for update`
      if (!current) return { kind: 'not-found' as const }
      const job = { ...prepare(current.job, null), idempotencyKey: `schedule:${id}:trigger:${key}`, requestHash: null }
      const [enqueued] = await JobStore.within(sql, this.schemaName).enqueueJobs({ owner: current.owner, jobs: [job] })
      await sql`
        update ${this.schema}.job_runner_schedules set last_job_id = ${enqueued!.job.id}, last_slot_at = null where id = ${id}`
      return { kind: 'triggered' as const, row: await this.readInside(sql, id), enqueued: enqueued! }
    }) as Promise<{ kind: 'triggered'; row: ScheduleRow; enqueued: EnqueuedJob } | { kind: 'not-found' }>
  }

  /**
   * Milliseconds until the earliest unpaused schedule is due (≤ 0: due now), by the database's
   * clock; null when none is. The scheduler's only statement while idle, answered from the
   * partial index on `next_run_at`.
   */
  async msUntilNextDue(): Promise<number | null> {
    const [row] = await this.sql<{ ms: number | null }[]>`
      select (extract(epoch from (min(next_run_at) - now())) * 1000)::float8 as ms
      from ${this.schema}.job_runner_schedules where not paused`
    return row?.ms ?? null
  }

  /**
   * Fires up to `limit` due schedules in one transaction (see the header). `prepare` turns a
   * template into a job (validated against the job type as it is now); a template it refuses
   * skips the slots and records the error on the schedule.
   */
  async fireDue({ limit, prepare }: { limit: number; prepare: PrepareSlotJob }): Promise<FireReport> {
    return this.sql.begin(async (sql) => {
      const rows = await sql<(ScheduleRow & { now: Date })[]>`
        select s.*, j.state as last_job_state, now() as now
        from ${this.schema}.job_runner_schedules s
        left join ${this.schema}.job_runner_jobs j on j.id = s.last_job_id
        where not s.paused and s.next_run_at <= now()
        order by s.next_run_at
        limit ${limit}
        for update of s skip locked`
      const fired: FiredSchedule[] = []
      const byOwner = new Map<string, { schedule: FiredSchedule; job: NewJob }[]>()
      const updates: {
        id: string
        next_run_at: string | null
        fires: number
        skips: number
        misses: number
        last_error: string | null
        last_slot_at: string | null
      }[] = []
      for (const row of rows) {
        const plan = planFire({
          timing: timingOf(row),
          nextRunAt: row.next_run_at!,
          now: row.now,
          backfillMaxSlots: row.backfill_max_slots,
          overlap: row.overlap,
          previousActive: row.last_job_state !== null && ACTIVE_STATES.has(row.last_job_state),
        })
        const schedule: FiredSchedule = {
          id: row.id,
          owner: row.owner,
          source: row.source,
          jobType: row.job.type,
          enqueued: [],
          slots: [],
          skipped: plan.skipped,
          missed: plan.missed,
          cancelled: undefined,
          error: undefined,
        }
        let jobs: NewJob[] = []
        try {
          jobs = plan.fire.map((slot) => ({
            ...prepare(row.job, slot),
            runAt: slot,
            idempotencyKey: slotKey(row.id, slot),
            requestHash: null,
          }))
          schedule.slots = plan.fire
        } catch (error) {
          schedule.error = (error as Error).message
          schedule.skipped += plan.fire.length
        }
        const list = byOwner.get(row.owner) ?? []
        for (const job of jobs) list.push({ schedule, job })
        byOwner.set(row.owner, list)
        if (plan.cancelPrevious && jobs.length > 0) {
          schedule.cancelled = await JobStore.within(sql, this.schemaName).requestCancel({
            id: String(row.last_job_id),
            owner: row.owner,
          })
        }
        fired.push(schedule)
        updates.push({
          id: row.id,
          next_run_at: plan.next?.toISOString() ?? null,
          fires: jobs.length,
          skips: schedule.skipped,
          misses: plan.missed,
          last_error: schedule.error ?? null,
          last_slot_at: jobs.length > 0 ? plan.fire.at(-1)!.toISOString() : null,
        })
      }
      for (const [owner, entries] of byOwner) {
        if (entries.length === 0) continue
        const enqueued = await JobStore.within(sql, this.schemaName).enqueueJobs({
          owner,
          jobs: entries.map((e) => e.job),
        })
        enqueued.forEach((e, i) => entries[i]!.schedule.enqueued.push(e))
      }
      const lastJobOf = new Map(fired.map((f) => [f.id, f.enqueued.at(-1)?.job.id ?? null]))
      if (updates.length > 0) {
        const withJobs = updates.map((u) => ({ ...u, last_job_id: lastJobOf.get(u.id) ?? null }))
        await sql`
          update ${this.schema}.job_runner_schedules s
          set next_run_at = x.next_run_at, fires = s.fires + x.fires, skips = s.skips + x.skips,
              misses = s.misses + x.misses, last_error = x.last_error,
              last_job_id = coalesce(x.last_job_id, s.last_job_id),
              last_slot_at = case when x.last_job_id is null then s.last_slot_at else x.last_slot_at end
          from jsonb_to_recordset(${sql.json(withJobs as unknown as Json)}) as x(
            id text, next_run_at timestamptz, fires int, skips int, misses int, last_error text,
            last_slot_at timestamptz, last_job_id bigint)
          where s.id = x.id`
      }
      return { claimed: rows.length, schedules: fired }
    }) as Promise<FireReport>
  }

  /**
   * Makes the code's schedules the stored ones (at start-up): each declared schedule is inserted or
   * its definition updated (its pause, `next_run_at` and counters kept while its timing is the same),
   * and every schedule from code that the code no longer declares is deleted. An id already used by
   * an API schedule is left alone and reported.
   */
  async syncCodeSchedules(
    declared: readonly CodeSchedule[],
  ): Promise<{ upserted: string[]; removed: string[]; conflicts: string[] }> {
    return this.sql.begin(async (sql) => {
      const now = await databaseNow(sql)
      const existing = await sql<ScheduleRow[]>`
        select s.*, null as last_job_state from ${this.schema}.job_runner_schedules s
        where s.id in (select jsonb_array_elements_text(${sql.json(declared.map((d) => d.id))}))
        for update`
      const byId = new Map(existing.map((r) => [r.id, r]))
      const upserted: string[] = []
      const conflicts: string[] = []
      for (const { id, owner, definition } of declared) {
        const current = byId.get(id)
        if (current && current.source !== 'code') {
          conflicts.push(id)
          continue
        }
        const paused = current ? current.paused : definition.paused
        const keepsTiming = current !== undefined && sameTiming(timingOf(current), definition.timing)
        const nextRunAt = paused ? null : keepsTiming ? current.next_run_at : nextSlot(definition.timing, now)
        await sql`
          insert into ${this.schema}.job_runner_schedules as s
            (id, owner, source, cron, every, every_ms, timezone, job, overlap, backfill_max_slots, paused, next_run_at)
          values (${id}, ${owner}, 'code', ${cronOf(definition.timing)}, ${everyOf(definition.timing)},
                  ${everyMsOf(definition.timing)}, ${definition.timing.timezone}, ${sql.json(definition.job as unknown as Json)},
                  ${definition.overlap}, ${definition.backfill?.maxSlots ?? null}, ${paused}, ${nextRunAt})
          on conflict (id) do update set
            owner = excluded.owner, cron = excluded.cron, every = excluded.every, every_ms = excluded.every_ms,
            timezone = excluded.timezone, job = excluded.job, overlap = excluded.overlap,
            backfill_max_slots = excluded.backfill_max_slots, next_run_at = excluded.next_run_at,
            updated_at = case when (s.cron, s.every, s.timezone, s.job, s.overlap, s.backfill_max_slots)
                                   is distinct from (excluded.cron, excluded.every, excluded.timezone, excluded.job,
                                                     excluded.overlap, excluded.backfill_max_slots)
                              then now() else s.updated_at end
          where s.source = 'code'`
        upserted.push(id)
      }
      const removed = await sql<{ id: string }[]>`
        delete from ${this.schema}.job_runner_schedules
        where source = 'code' and id not in (select jsonb_array_elements_text(${sql.json(declared.map((d) => d.id))}))
        returning id`
      return { upserted, removed: removed.map((r) => r.id), conflicts }
    }) as Promise<{ upserted: string[]; removed: string[]; conflicts: string[] }>
  }

  private async readInside(sql: TransactionSql, id: string): Promise<ScheduleRow> {
    const [row] = await sql<ScheduleRow[]>`
      select s.*, j.state as last_job_state from ${this.schema}.job_runner_schedules s
      left join ${this.schema}.job_runner_jobs j on j.id = s.last_job_id
      where s.id = ${id}`
    return row!
  }
}

/** The transaction's `now()`: the database's clock, the same for every instance. */
async function databaseNow(sql: TransactionSql): Promise<Date> {
  const [row] = await sql<{ now: Date }[]>`select now() as now`
  return row!.now
}

function sameTiming(a: Timing, b: Timing): boolean {
  if (a.timezone !== b.timezone || a.kind !== b.kind) return false
  return a.kind === 'cron' ? a.cron === (b as typeof a).cron : a.everyMs === (b as typeof a).everyMs
}

function cronOf(timing: Timing): string | null {
  return timing.kind === 'cron' ? timing.cron : null
}

function everyOf(timing: Timing): string | null {
  return timing.kind === 'every' ? timing.every : null
}

function everyMsOf(timing: Timing): number | null {
  return timing.kind === 'every' ? timing.everyMs : null
}
