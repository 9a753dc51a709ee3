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
export declare const EARLIEST_TIMESTAMP = "1970-01-01T00:00:00Z";
export declare const LATEST_TIMESTAMP = "9999-12-31T23:59:59.999Z";
export declare const TIMESTAMP_RANGE = "from 1970-01-01T00:00:00Z to 9999-12-31T23:59:59.999Z";
export type ParsedTimestamp = {
    readonly date: Date;
} | {
    readonly problem: string;
};
/** `{ date }` for an RFC 3339 date-time inside the range, else `{ problem }` saying what is wrong. */
export declare function parseTimestamp(text: string): ParsedTimestamp;
