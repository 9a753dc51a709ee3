/**
 * RFC 3339 date-times for property tests, written from wall-clock parts (any four-digit year, any
 * offset, zero to nine fraction digits) with the instant each one names, worked out apart from the
 * service's parser, to the millisecond (finer digits dropped, as the service documents).
 */
import fc from 'fast-check';
const pad = (value, width = 2) => String(value).padStart(width, '0');
const isLeap = (year) => year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
const daysIn = (year, month) => month === 2 ? (isLeap(year) ? 29 : 28) : [4, 6, 9, 11].includes(month) ? 30 : 31;
/** Years near the edges (the old code's 1-99, the range's 1970 and 9999) come up often. */
const years = fc.oneof(fc.constantFrom(1, 28, 49, 99, 100, 1969, 1970, 9999), fc.integer({ min: 1, max: 9999 }));
export const writtenTimestamps = fc
    .record({
    year: years,
    month: fc.integer({ min: 1, max: 12 }),
    dayFraction: fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
    hour: fc.integer({ min: 0, max: 23 }),
    minute: fc.integer({ min: 0, max: 59 }),
    second: fc.integer({ min: 0, max: 59 }),
    fraction: fc.string({ unit: fc.constantFrom(...'0123456789'), maxLength: 9 }),
    offset: fc.oneof(fc.constant(0), fc.integer({ min: -(23 * 60 + 59), max: 23 * 60 + 59 })),
    zulu: fc.constantFrom('Z', 'z', '+00:00', '-00:00'),
})
    .map(({ year, month, dayFraction, hour, minute, second, fraction, offset, zulu }) => {
    const day = 1 + Math.floor(dayFraction * daysIn(year, month));
    const wallClock = new Date(0);
    wallClock.setUTCFullYear(year, month - 1, day);
    wallClock.setUTCHours(hour, minute, second, Number(fraction.slice(0, 3).padEnd(3, '0')));
    const sign = offset < 0 ? '-' : '+';
    const zone = offset === 0 ? zulu : `${sign}${pad(Math.floor(Math.abs(offset) / 60))}:${pad(Math.abs(offset) % 60)}`;
    const date = `${pad(year, 4)}-${pad(month)}-${pad(day)}`;
    const text = `${date}T${pad(hour)}:${pad(minute)}:${pad(second)}${fraction ? `.${fraction}` : ''}${zone}`;
    return { text, instantMs: wallClock.getTime() - offset * 60_000 };
});
export const EARLIEST_MS = Date.UTC(1970, 0, 1);
export const LATEST_MS = Date.UTC(9999, 11, 31, 23, 59, 59, 999);
export const inRange = ({ instantMs }) => instantMs >= EARLIEST_MS && instantMs <= LATEST_MS;
//# sourceMappingURL=timestamps.js.map