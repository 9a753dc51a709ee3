/**
 * When a schedule fires: its slots. A slot is an instant; the same instant on every instance, so
 * that the job of a slot is named by it (`schedule:{id}:{slot}`) and made once.
 *
 * - `cron`: five fields, or six with seconds first, read by croner (no parser of our own) in the
 *   schedule's IANA time zone. Daylight-saving changes are croner's (Vixie cron's rule): a fixed
 *   time that does not exist on the spring-forward day runs once, at the first valid time after
 *   the gap; a fixed time that happens twice on the fall-back day runs once, at the first; interval
 *   patterns (`*\/20 * * * * *`) run in real time, through both passes of the repeated hour.
 * - `every`: an ISO 8601 duration of fixed length (weeks, days of 24 h, hours, minutes, seconds;
 *   no years or months), at least one second. Slots are the multiples of it since the Unix epoch
 *   (as BullMQ's `every`), whatever the time zone, so every instance computes the same ones.
 *
 * croner spends tens of microseconds per step in a time zone: enumerations are bounded
 * (`MAX_COUNTED_SLOTS`), and compiled patterns are cached.
 */
import { Cron } from 'croner';
export const MIN_EVERY_MS = 1000;
/** Ten years: a duration longer than that is surely a typo, and keeps the arithmetic far from overflow. */
export const MAX_EVERY_MS = 10 * 366 * 24 * 3600 * 1000;
/** Missed slots counted one by one at most, per catch-up (the rest are counted in one sum for `every`, or not at all for cron). */
export const MAX_COUNTED_SLOTS = 1000;
const DURATION = /^P(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d{1,3})?)S)?)?$/;
/** `PT30S` → 30000; undefined for anything else (years, months, commas, empty parts). */
export function parseEvery(text) {
    const match = DURATION.exec(text);
    if (!match || text === 'P' || text.endsWith('T'))
        return undefined;
    const [, weeks, days, hours, minutes, seconds] = match;
    const ms = Number(weeks ?? 0) * 7 * 86_400_000 +
        Number(days ?? 0) * 86_400_000 +
        Number(hours ?? 0) * 3_600_000 +
        Number(minutes ?? 0) * 60_000 +
        Math.round(Number(seconds ?? 0) * 1000);
    return Number.isSafeInteger(ms) ? ms : undefined;
}
export function isTimeZone(name) {
    if (name.length === 0 || name.length > 64)
        return false;
    try {
        new Intl.DateTimeFormat('en', { timeZone: name });
        return true;
    }
    catch {
        return false;
    }
}
const compiled = new Map();
const MAX_COMPILED = 10_000;
function cronOf(pattern, timezone) {
    const key = `${timezone} ${pattern}`;
    let cron = compiled.get(key);
    if (!cron) {
        cron = new Cron(pattern, { timezone, mode: '5-or-6-parts' });
        if (compiled.size >= MAX_COMPILED)
            compiled.delete(compiled.keys().next().value);
        compiled.set(key, cron);
    }
    return cron;
}
/**
 * The first run of a pattern strictly after `after`, remembered: schedules sharing a pattern (every
 * hourly report at minute 0) are due at the same slot and ask the same question, which croner
 * answers in tens of microseconds in a time zone; a burst of 10,000 asks it twice each.
 */
const nextRuns = new Map();
function cronNext(cron, key, after) {
    const question = `${key} ${after.getTime()}`;
    let answer = nextRuns.get(question);
    if (answer === undefined) {
        answer = cron.nextRun(after)?.getTime() ?? null;
        if (nextRuns.size >= MAX_COMPILED)
            nextRuns.delete(nextRuns.keys().next().value);
        nextRuns.set(question, answer);
    }
    return answer === null ? null : new Date(answer);
}
/**
 * Reads the timing fields of a schedule, or names every one that is wrong: both or neither of
 * `cron` and `every`, a pattern croner refuses or that never fires, a duration below a second or
 * not of fixed length, an unknown time zone.
 */
export function readTiming(input) {
    const problems = [];
    const timezone = input.timezone ?? 'UTC';
    const cron = input.cron ?? undefined;
    const every = input.every ?? undefined;
    if (!isTimeZone(timezone)) {
        problems.push({ pointer: '/timezone', message: `${JSON.stringify(timezone)} is not an IANA time zone` });
    }
    if (cron !== undefined && every !== undefined) {
        problems.push({ pointer: '/every', message: 'give cron or every, not both' });
    }
    else if (cron === undefined && every === undefined) {
        problems.push({ pointer: '/cron', message: 'give cron (a pattern) or every (an ISO 8601 duration)' });
    }
    if (cron !== undefined && problems.length === 0) {
        try {
            const next = cronOf(cron, timezone).nextRun(new Date());
            if (next === null)
                problems.push({ pointer: '/cron', message: `${JSON.stringify(cron)} never fires` });
        }
        catch (error) {
            problems.push({
                pointer: '/cron',
                message: `${JSON.stringify(cron)} is not a cron pattern: ${error.message}`,
            });
        }
    }
    if (every !== undefined && cron === undefined) {
        const everyMs = parseEvery(every);
        if (everyMs === undefined) {
            problems.push({
                pointer: '/every',
                message: `${JSON.stringify(every)} is not an ISO 8601 duration of fixed length (PnW, PnDTnHnMnS; no years or months)`,
            });
        }
        else if (everyMs < MIN_EVERY_MS) {
            problems.push({ pointer: '/every', message: `${every} is below the minimum of 1 second` });
        }
        else if (everyMs > MAX_EVERY_MS) {
            problems.push({ pointer: '/every', message: `${every} is above the maximum of 10 years` });
        }
    }
    if (problems.length > 0)
        return { problems };
    if (cron !== undefined)
        return { timing: { kind: 'cron', cron, timezone } };
    return { timing: { kind: 'every', every: every, everyMs: parseEvery(every), timezone } };
}
/** The first slot strictly after `after`; null when the pattern never fires again. */
export function nextSlot(timing, after) {
    if (timing.kind === 'every')
        return new Date((Math.floor(after.getTime() / timing.everyMs) + 1) * timing.everyMs);
    return cronNext(cronOf(timing.cron, timing.timezone), `${timing.timezone} ${timing.cron}`, after);
}
/** The next `count` slots strictly after `after`. */
export function nextSlots(timing, after, count) {
    const slots = [];
    for (let at = after; slots.length < count;) {
        at = nextSlot(timing, at);
        if (at === null)
            break;
        slots.push(at);
    }
    return slots;
}
/**
 * The slots in [from, now] (`from` is the schedule's `next_run_at`, itself a slot), keeping the
 * latest `keep`. For a cron pattern they are enumerated up to `MAX_COUNTED_SLOTS`; past that the
 * latest are read backwards from `now` and the count is a lower bound.
 */
export function dueSlots(timing, from, now, keep) {
    if (timing.kind === 'every') {
        const step = timing.everyMs;
        const first = Math.ceil(from.getTime() / step);
        const last = Math.floor(now.getTime() / step);
        const count = Math.max(0, last - first + 1);
        const latest = [];
        for (let k = Math.max(first, last - keep + 1); k <= last; k++)
            latest.push(new Date(k * step));
        return { latest, count, capped: false, next: new Date((last + 1) * step) };
    }
    const cron = cronOf(timing.cron, timing.timezone);
    const key = `${timing.timezone} ${timing.cron}`;
    const latest = [];
    let count = 0;
    // `from` is a slot itself (or a time before the first one): start just before it.
    let at = new Date(from.getTime() - 1);
    for (;;) {
        at = cronNext(cron, key, at);
        if (at === null || at > now)
            return { latest, count, capped: false, next: at };
        count += 1;
        latest.push(at);
        if (latest.length > keep)
            latest.shift();
        if (count >= MAX_COUNTED_SLOTS)
            break;
    }
    // Too many to walk: the latest `keep` read backwards from now (newest first from croner).
    const newest = keep > 0 ? cron.previousRuns(keep, new Date(now.getTime() + 1)).filter((d) => d >= from) : [];
    const merged = new Map();
    for (const d of [...latest, ...newest])
        merged.set(d.getTime(), d);
    const kept = [...merged.values()].sort((a, b) => a.getTime() - b.getTime()).slice(-keep);
    return { latest: keep > 0 ? kept : [], count, capped: true, next: cronNext(cron, key, now) };
}
//# sourceMappingURL=timing.js.map