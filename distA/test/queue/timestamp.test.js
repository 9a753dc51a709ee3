/**
 * The timestamps the API accepts: every RFC 3339 date-time inside 1970-01-01T00:00:00Z ..
 * 9999-12-31T23:59:59.999Z parses to the instant it names (to the millisecond); everything else is
 * refused with a reason, never rolled over or read as another century.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { parseTimestamp } from '../../src/queue/timestamp.js';
import { EARLIEST_MS, inRange, LATEST_MS, writtenTimestamps } from '../support/timestamps.js';
const instantOf = (text) => {
    const parsed = parseTimestamp(text);
    return 'date' in parsed ? parsed.date.getTime() : parsed.problem;
};
describe('timestamp', () => {
    it('any written date-time: the instant it names when in range, refused when not', () => {
        fc.assert(fc.property(writtenTimestamps, (written) => {
            const expected = inRange(written) ? written.instantMs : 'is outside the range the service stores';
            assert.equal(instantOf(written.text), expected, written.text);
        }), { numRuns: 5000 });
    });
    it('what toISOString writes reads back unchanged, for every millisecond in range', () => {
        fc.assert(fc.property(fc.integer({ min: EARLIEST_MS, max: LATEST_MS }), (ms) => {
            assert.equal(instantOf(new Date(ms).toISOString()), ms);
        }), { numRuns: 5000 });
    });
    it('the edges: the range itself, years 1-99, offsets across the edges, finer digits dropped', () => {
        assert.equal(instantOf('1970-01-01T00:00:00Z'), EARLIEST_MS);
        assert.equal(instantOf('9999-12-31T23:59:59.999999Z'), LATEST_MS);
        assert.equal(instantOf('1970-01-01T00:59:59.999+01:00'), 'is outside the range the service stores');
        assert.equal(instantOf('9999-12-31T23:59:59-00:01'), 'is outside the range the service stores');
        assert.equal(instantOf('1970-01-01 00:00:00.5z'), EARLIEST_MS + 500);
        for (const year of ['0001', '0028', '0049', '0099', '1969']) {
            assert.equal(instantOf(`${year}-06-01T00:00:00Z`), 'is outside the range the service stores', year);
        }
        assert.equal(instantOf('2026-06-01T12:00:00.123456+05:30'), Date.UTC(2026, 5, 1, 6, 30, 0, 123));
    });
    it('refuses what is not a date-time of the calendar instead of rolling it over', () => {
        const days = ['2026-02-30T00:00:00Z', '2025-02-29T00:00:00Z', '2026-13-01T00:00:00Z', '2026-04-31T00:00:00Z'];
        days.push('2026-01-00T00:00:00Z');
        for (const text of days) {
            assert.equal(instantOf(text), 'is not a day of the calendar', text);
        }
        assert.equal(instantOf('2024-02-29T00:00:00Z'), Date.UTC(2024, 1, 29));
        const times = ['2026-01-01T24:00:00Z', '2026-01-01T00:60:00Z', '2026-01-01T00:00:00+24:00', '2026-01-01T00:00:61Z'];
        for (const text of times) {
            assert.equal(instantOf(text), 'is not a time of day', text);
        }
        assert.equal(instantOf('2016-12-31T23:59:60Z'), 'is a leap second, which cannot be stored');
        const forms = ['2026-01-01', '2026-01-01T00:00:00', '2026-01-01T00:00:00.Z', '+002026-01-01T00:00:00Z'];
        forms.push(' 2026-01-01T00:00:00Z', 'now');
        for (const text of forms) {
            assert.equal(instantOf(text), 'is not a date-time', text);
        }
    });
});
//# sourceMappingURL=timestamp.test.js.map