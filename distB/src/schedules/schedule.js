import { nextSlots } from './timing.js';
export const OVERLAPS = ['allow', 'skip', 'cancel-previous'];
/** The enqueue request a template makes (the fire adds the slot as runAt, and the slot's key). */
export function enqueueRequestOf(template) {
    const { type, payload, queue, priority, maxAttempts, timeoutSeconds, concurrencyKey } = template;
    return {
        type,
        ...(payload === undefined ? {} : { payload }),
        ...(queue === undefined ? {} : { queue }),
        ...(priority === undefined ? {} : { priority }),
        ...(maxAttempts === undefined ? {} : { maxAttempts }),
        ...(timeoutSeconds === undefined ? {} : { timeoutSeconds }),
        ...(concurrencyKey === undefined ? {} : { concurrencyKey }),
    };
}
export const NEXT_RUNS_SHOWN = 5;
export function timingOf(row) {
    if (row.cron !== null)
        return { kind: 'cron', cron: row.cron, timezone: row.timezone };
    return { kind: 'every', every: row.every, everyMs: Number(row.every_ms), timezone: row.timezone };
}
export function toSchedule(row) {
    const nextRuns = row.paused || row.next_run_at === null
        ? []
        : [row.next_run_at, ...nextSlots(timingOf(row), row.next_run_at, NEXT_RUNS_SHOWN - 1)];
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
        lastJob: row.last_job_id === null
            ? null
            : { id: String(row.last_job_id), state: row.last_job_state, slot: row.last_slot_at?.toISOString() ?? null },
        fired: Number(row.fires),
        skipped: Number(row.skips),
        missed: Number(row.misses),
        lastError: row.last_error,
        createdAt: row.created_at.toISOString(),
        updatedAt: row.updated_at.toISOString(),
    };
}
/** The idempotency key of a slot's job: the same on every instance, so a slot makes one job. */
export function slotKey(scheduleId, slot) {
    return `schedule:${scheduleId}:${slot.toISOString()}`;
}
/** Schedule ids: no colon (it separates the parts of the slot key), safe in a URL path. */
export const SCHEDULE_ID = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$/;
//# sourceMappingURL=schedule.js.map