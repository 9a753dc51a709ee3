import { schemaIdentifier } from '../db/schemaIdentifier.js';
import { JobStore } from '../queue/store.js';
import { planFire } from './firing.js';
import { slotKey, timingOf, } from './schedule.js';
import { nextSlot } from './timing.js';
const ACTIVE_STATES = new Set(['queued', 'running']);
export class ScheduleStore {
    sql;
    schemaName;
    /** Every table is named in this schema (src/db/schemaIdentifier.ts). */
    schema;
    /** `schema`: the database's `schema` (`DATABASE_SCHEMA`). */
    constructor(sql, schemaName) {
        this.sql = sql;
        this.schemaName = schemaName;
        this.schema = schemaIdentifier(sql, schemaName);
    }
    /**
     * Creates or replaces schedule `id` (PUT). A replacement that keeps the timing keeps
     * `next_run_at`, so a repeated PUT neither skips nor repeats a slot; new timing, or an unpause,
     * starts from the next slot after now. An admin may replace another owner's schedule (it stays
     * that owner's); anyone else gets `taken`.
     */
    async putSchedule({ id, owner, admin, definition, }) {
        return this.sql.begin(async (sql) => {
            const now = await databaseNow(sql);
            const [previous] = await sql `
        select s.*, null as last_job_state from ${this.schema}.job_runner_schedules s where s.id = ${id} for update`;
            if (previous?.source === 'code')
                return { kind: 'declared-in-code' };
            if (previous && previous.owner !== owner && !admin)
                return { kind: 'taken' };
            const keepsTiming = previous !== undefined && !previous.paused && sameTiming(timingOf(previous), definition.timing);
            const nextRunAt = definition.paused ? null : keepsTiming ? previous.next_run_at : nextSlot(definition.timing, now);
            const [row] = await sql `
        insert into ${this.schema}.job_runner_schedules as s
          (id, owner, source, cron, every, every_ms, timezone, job, overlap, backfill_max_slots, paused, next_run_at)
        values (${id}, ${owner}, 'api', ${cronOf(definition.timing)}, ${everyOf(definition.timing)},
                ${everyMsOf(definition.timing)}, ${definition.timing.timezone}, ${sql.json(definition.job)},
                ${definition.overlap}, ${definition.backfill?.maxSlots ?? null}, ${definition.paused}, ${nextRunAt})
        on conflict (id) do update set
          cron = excluded.cron, every = excluded.every, every_ms = excluded.every_ms, timezone = excluded.timezone,
          job = excluded.job, overlap = excluded.overlap, backfill_max_slots = excluded.backfill_max_slots,
          paused = excluded.paused, next_run_at = excluded.next_run_at, last_error = null, updated_at = now()
        returning s.*, (select state from ${this.schema}.job_runner_jobs j where j.id = s.last_job_id) as last_job_state`;
            return { kind: previous ? 'replaced' : 'created', row: row };
        });
    }
    async getSchedule({ id, owner }) {
        const sql = this.sql;
        const [row] = await sql `
      select s.*, j.state as last_job_state from ${this.schema}.job_runner_schedules s
      left join ${this.schema}.job_runner_jobs j on j.id = s.last_job_id
      where s.id = ${id} ${owner === undefined ? sql `` : sql `and s.owner = ${owner}`}`;
        return row;
    }
    /** In id order; pass the last id of a page as `afterId` for the next one. */
    async listSchedules({ owner, afterId, limit, }) {
        const sql = this.sql;
        return sql `
      select s.*, j.state as last_job_state from ${this.schema}.job_runner_schedules s
      left join ${this.schema}.job_runner_jobs j on j.id = s.last_job_id
      where true ${owner === undefined ? sql `` : sql `and s.owner = ${owner}`}
        ${afterId === undefined ? sql `` : sql `and s.id > ${afterId}`}
      order by s.id
      limit ${limit}`;
    }
    /** Deletes an API schedule; its jobs stay. A schedule declared in code is removed from the code. */
    async deleteSchedule({ id, owner }) {
        const sql = this.sql;
        const [row] = await sql `
      delete from ${this.schema}.job_runner_schedules s
      where s.id = ${id} and s.source = 'api' ${owner === undefined ? sql `` : sql `and s.owner = ${owner}`}
      returning s.*, null as last_job_state`;
        if (row)
            return { kind: 'done', row };
        return (await this.getSchedule({ id, owner })) ? { kind: 'declared-in-code' } : { kind: 'not-found' };
    }
    /**
     * Pauses (no slot fires; `next_run_at` is cleared) or resumes (from the first slot after now:
     * the slots of the pause are not missed, they were not wanted). Code schedules may be paused too;
     * the pause survives restarts.
     */
    async setPaused({ id, owner, paused }) {
        return this.sql.begin(async (sql) => {
            const [current] = await sql `
        select s.*, now() as now from ${this.schema}.job_runner_schedules s
        where s.id = ${id} ${owner === undefined ? sql `` : sql `and s.owner = ${owner}`}
        for update`;
            if (!current)
                return { kind: 'not-found' };
            if (current.paused === paused) {
                const row = await this.readInside(sql, id);
                return { kind: 'done', row };
            }
            const nextRunAt = paused ? null : nextSlot(timingOf(current), current.now);
            await sql `
        update ${this.schema}.job_runner_schedules set paused = ${paused}, next_run_at = ${nextRunAt}, updated_at = now()
        where id = ${id}`;
            return { kind: 'done', row: await this.readInside(sql, id) };
        });
    }
    /**
     * Enqueues one job of schedule `id` now (POST …/trigger), outside its slots: it becomes the
     * schedule's last job, which overlap looks at. Keyed `schedule:{id}:trigger:{key}` so a retried
     * trigger with the same key makes one job.
     */
    async triggerSchedule({ id, owner, key, prepare, }) {
        return this.sql.begin(async (sql) => {
            const [current] = await sql `
        select s.* from ${this.schema}.job_runner_schedules s
        where s.id = ${id} ${owner === undefined ? sql `` : sql `and s.owner = ${owner}`}
        for update`;
            if (!current)
                return { kind: 'not-found' };
            const job = { ...prepare(current.job, null), idempotencyKey: `schedule:${id}:trigger:${key}`, requestHash: null };
            const [enqueued] = await JobStore.within(sql, this.schemaName).enqueueJobs({ owner: current.owner, jobs: [job] });
            await sql `
        update ${this.schema}.job_runner_schedules set last_job_id = ${enqueued.job.id}, last_slot_at = null where id = ${id}`;
            return { kind: 'triggered', row: await this.readInside(sql, id), enqueued: enqueued };
        });
    }
    /**
     * Milliseconds until the earliest unpaused schedule is due (≤ 0: due now), by the database's
     * clock; null when none is. The scheduler's only statement while idle, answered from the
     * partial index on `next_run_at`.
     */
    async msUntilNextDue() {
        const [row] = await this.sql `
      select (extract(epoch from (min(next_run_at) - now())) * 1000)::float8 as ms
      from ${this.schema}.job_runner_schedules where not paused`;
        return row?.ms ?? null;
    }
    /**
     * Fires up to `limit` due schedules in one transaction (see the header). `prepare` turns a
     * template into a job (validated against the job type as it is now); a template it refuses
     * skips the slots and records the error on the schedule.
     */
    async fireDue({ limit, prepare }) {
        return this.sql.begin(async (sql) => {
            const rows = await sql `
        select s.*, j.state as last_job_state, now() as now
        from ${this.schema}.job_runner_schedules s
        left join ${this.schema}.job_runner_jobs j on j.id = s.last_job_id
        where not s.paused and s.next_run_at <= now()
        order by s.next_run_at
        limit ${limit}
        for update of s skip locked`;
            const fired = [];
            const byOwner = new Map();
            const updates = [];
            for (const row of rows) {
                const plan = planFire({
                    timing: timingOf(row),
                    nextRunAt: row.next_run_at,
                    now: row.now,
                    backfillMaxSlots: row.backfill_max_slots,
                    overlap: row.overlap,
                    previousActive: row.last_job_state !== null && ACTIVE_STATES.has(row.last_job_state),
                });
                const schedule = {
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
                };
                let jobs = [];
                try {
                    jobs = plan.fire.map((slot) => ({
                        ...prepare(row.job, slot),
                        runAt: slot,
                        idempotencyKey: slotKey(row.id, slot),
                        requestHash: null,
                    }));
                    schedule.slots = plan.fire;
                }
                catch (error) {
                    schedule.error = error.message;
                    schedule.skipped += plan.fire.length;
                }
                const list = byOwner.get(row.owner) ?? [];
                for (const job of jobs)
                    list.push({ schedule, job });
                byOwner.set(row.owner, list);
                if (plan.cancelPrevious && jobs.length > 0) {
                    schedule.cancelled = await JobStore.within(sql, this.schemaName).requestCancel({
                        id: String(row.last_job_id),
                        owner: row.owner,
                    });
                }
                fired.push(schedule);
                updates.push({
                    id: row.id,
                    next_run_at: plan.next?.toISOString() ?? null,
                    fires: jobs.length,
                    skips: schedule.skipped,
                    misses: plan.missed,
                    last_error: schedule.error ?? null,
                    last_slot_at: jobs.length > 0 ? plan.fire.at(-1).toISOString() : null,
                });
            }
            for (const [owner, entries] of byOwner) {
                if (entries.length === 0)
                    continue;
                const enqueued = await JobStore.within(sql, this.schemaName).enqueueJobs({
                    owner,
                    jobs: entries.map((e) => e.job),
                });
                enqueued.forEach((e, i) => entries[i].schedule.enqueued.push(e));
            }
            const lastJobOf = new Map(fired.map((f) => [f.id, f.enqueued.at(-1)?.job.id ?? null]));
            if (updates.length > 0) {
                const withJobs = updates.map((u) => ({ ...u, last_job_id: lastJobOf.get(u.id) ?? null }));
                await sql `
          update ${this.schema}.job_runner_schedules s
          set next_run_at = x.next_run_at, fires = s.fires + x.fires, skips = s.skips + x.skips,
              misses = s.misses + x.misses, last_error = x.last_error,
              last_job_id = coalesce(x.last_job_id, s.last_job_id),
              last_slot_at = case when x.last_job_id is null then s.last_slot_at else x.last_slot_at end
          from jsonb_to_recordset(${sql.json(withJobs)}) as x(
            id text, next_run_at timestamptz, fires int, skips int, misses int, last_error text,
            last_slot_at timestamptz, last_job_id bigint)
          where s.id = x.id`;
            }
            return { claimed: rows.length, schedules: fired };
        });
    }
    /**
     * Makes the code's schedules the stored ones (at start-up): each declared schedule is inserted or
     * its definition updated (its pause, `next_run_at` and counters kept while its timing is the same),
     * and every schedule from code that the code no longer declares is deleted. An id already used by
     * an API schedule is left alone and reported.
     */
    async syncCodeSchedules(declared) {
        return this.sql.begin(async (sql) => {
            const now = await databaseNow(sql);
            const existing = await sql `
        select s.*, null as last_job_state from ${this.schema}.job_runner_schedules s
        where s.id in (select jsonb_array_elements_text(${sql.json(declared.map((d) => d.id))}))
        for update`;
            const byId = new Map(existing.map((r) => [r.id, r]));
            const upserted = [];
            const conflicts = [];
            for (const { id, owner, definition } of declared) {
                const current = byId.get(id);
                if (current && current.source !== 'code') {
                    conflicts.push(id);
                    continue;
                }
                const paused = current ? current.paused : definition.paused;
                const keepsTiming = current !== undefined && sameTiming(timingOf(current), definition.timing);
                const nextRunAt = paused ? null : keepsTiming ? current.next_run_at : nextSlot(definition.timing, now);
                await sql `
          insert into ${this.schema}.job_runner_schedules as s
            (id, owner, source, cron, every, every_ms, timezone, job, overlap, backfill_max_slots, paused, next_run_at)
          values (${id}, ${owner}, 'code', ${cronOf(definition.timing)}, ${everyOf(definition.timing)},
                  ${everyMsOf(definition.timing)}, ${definition.timing.timezone}, ${sql.json(definition.job)},
                  ${definition.overlap}, ${definition.backfill?.maxSlots ?? null}, ${paused}, ${nextRunAt})
          on conflict (id) do update set
            owner = excluded.owner, cron = excluded.cron, every = excluded.every, every_ms = excluded.every_ms,
            timezone = excluded.timezone, job = excluded.job, overlap = excluded.overlap,
            backfill_max_slots = excluded.backfill_max_slots, next_run_at = excluded.next_run_at,
            updated_at = case when (s.cron, s.every, s.timezone, s.job, s.overlap, s.backfill_max_slots)
                                   is distinct from (excluded.cron, excluded.every, excluded.timezone, excluded.job,
                                                     excluded.overlap, excluded.backfill_max_slots)
                              then now() else s.updated_at end
          where s.source = 'code'`;
                upserted.push(id);
            }
            const removed = await sql `
        delete from ${this.schema}.job_runner_schedules
        where source = 'code' and id not in (select jsonb_array_elements_text(${sql.json(declared.map((d) => d.id))}))
        returning id`;
            return { upserted, removed: removed.map((r) => r.id), conflicts };
        });
    }
    async readInside(sql, id) {
        const [row] = await sql `
      select s.*, j.state as last_job_state from ${this.schema}.job_runner_schedules s
      left join ${this.schema}.job_runner_jobs j on j.id = s.last_job_id
      where s.id = ${id}`;
        return row;
    }
}
/** The transaction's `now()`: the database's clock, the same for every instance. */
async function databaseNow(sql) {
    const [row] = await sql `select now() as now`;
    return row.now;
}
function sameTiming(a, b) {
    if (a.timezone !== b.timezone || a.kind !== b.kind)
        return false;
    return a.kind === 'cron' ? a.cron === b.cron : a.everyMs === b.everyMs;
}
function cronOf(timing) {
    return timing.kind === 'cron' ? timing.cron : null;
}
function everyOf(timing) {
    return timing.kind === 'every' ? timing.every : null;
}
function everyMsOf(timing) {
    return timing.kind === 'every' ? timing.everyMs : null;
}
//# sourceMappingURL=store.js.map