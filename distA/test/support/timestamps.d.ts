/**
 * RFC 3339 date-times for property tests, written from wall-clock parts (any four-digit year, any
 * offset, zero to nine fraction digits) with the instant each one names, worked out apart from the
 * service's parser, to the millisecond (finer digits dropped, as the service documents).
 */
import fc from 'fast-check';
export interface WrittenTimestamp {
    readonly text: string;
    /** The instant `text` names, in milliseconds since the epoch. */
    readonly instantMs: number;
}
export declare const writtenTimestamps: fc.Arbitrary<WrittenTimestamp>;
export declare const EARLIEST_MS: number;
export declare const LATEST_MS: number;
export declare const inRange: ({ instantMs }: WrittenTimestamp) => boolean;
