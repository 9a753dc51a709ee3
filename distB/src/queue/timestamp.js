/**
 * The timestamps the API accepts (`runAt`): RFC 3339 date-times from 1970-01-01T00:00:00Z to
 * 9999-12-31T23:59:59.999Z, kept to the millisecond (finer digits are dropped). Every one of them
 * reads back as the same instant; anything else is refused with the range named.
 *
 * Why these bounds. The lower one: postgres.js reads timestamps back with `new Date(text)`, which takes
 * years 1-99 for 1901-1999 or fails (a job stored as 0028 answered 500, 0049 read back as 2049), and
 * a server whose TimeZone is not UTC writes years before time zones began with local-mean-time offsets
 * that no Date parses. A `runAt` in the past means "now", so refusing the years before the Unix epoch
 * loses nothing a caller can want. The upper one: the last instant an RFC 3339 (four-digit) year and
 * `toISOString` can write.
 *
 * Parsed here rather than by `new Date(text)`, which would roll 2026-02-30 over into March.
 */
export const EARLIEST_TIMESTAMP = '1970-01-01T00:00:00Z';
export const LATEST_TIMESTAMP = '9999-12-31T23:59:59.999Z';
export const TIMESTAMP_RANGE = `from ${EARLIEST_TIMESTAMP} to ${LATEST_TIMESTAMP}`;
const EARLIEST_MS = Date.parse(EARLIEST_TIMESTAMP);
const LATEST_MS = Date.parse(LATEST_TIMESTAMP);
const MINUTE_MS = 60_000;
// RFC 3339 §5.6 date-time; `T`, `Z` in either case, and a space for `T` as §5.6's note allows.
const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?(?:[Zz]|([+-])(\d{2}):(\d{2}))$/;
/** `{ date }` for an RFC 3339 date-time inside the range, else `{ problem }` saying what is wrong. */
export function parseTimestamp(text) {
    const parts = DATE_TIME.exec(text);
    if (!parts)
        return { problem: 'is not a date-time' };
    const [year, month, day, hour, minute, second] = parts.slice(1, 7).map(Number);
    const milliseconds = Number((parts[7] ?? '').slice(0, 3).padEnd(3, '0'));
    const offsetSign = parts[8] === '-' ? -1 : 1;
    const [offsetHours, offsetMinutes] = [Number(parts[9] ?? 0), Number(parts[10] ?? 0)];
    if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) {
        return { problem: 'is not a day of the calendar' };
    }
    if (hour > 23 || minute > 59 || offsetHours > 23 || offsetMinutes > 59)
        return { problem: 'is not a time of day' };
    if (second === 60)
        return { problem: 'is a leap second, which cannot be stored' };
    if (second > 59)
        return { problem: 'is not a time of day' };
    // setUTCFullYear, not Date.UTC: Date.UTC reads years 0-99 as 1900-1999.
    const wallClock = new Date(0);
    wallClock.setUTCFullYear(year, month - 1, day);
    wallClock.setUTCHours(hour, minute, second, milliseconds);
    const instant = wallClock.getTime() - offsetSign * (offsetHours * 60 + offsetMinutes) * MINUTE_MS;
    if (instant < EARLIEST_MS || instant > LATEST_MS)
        return { problem: 'is outside the range the service stores' };
    return { date: new Date(instant) };
}
function daysInMonth(year, month) {
    if (month === 2)
        return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
    return [4, 6, 9, 11].includes(month) ? 30 : 31;
}
//# sourceMappingURL=timestamp.js.map