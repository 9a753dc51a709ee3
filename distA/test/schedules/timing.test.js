/**
 * Slot computation with fixed reference dates (no waiting): daylight-saving changes in Europe/Berlin
 * and America/New_York (a daily 02:30 runs once on the spring-forward day and once on the fall-back
 * day; an interval pattern runs in real time through the repeated hour), `every` slots as multiples
 * of the period, the bad inputs `readTiming` names, and `planFire`'s backfill, miss and overlap rules.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { planFire } from '../../src/schedules/firing.js';
import { dueSlots, nextSlot, nextSlots, parseEvery, readTiming } from '../../src/schedules/timing.js';
const iso = (dates) => dates.map((d) => d?.toISOString() ?? null);
function timing(input) {
    const read = readTiming(input);
    if ('problems' in read)
        assert.fail(JSON.stringify(read.problems));
    return read.timing;
}
/** The slots in [from, to], through dueSlots (which the scheduler uses). */
function slotsBetween(t, from, to) {
    return iso(dueSlots(t, new Date(from), new Date(to), 1000).latest);
}
describe('daylight-saving changes (fixed reference dates)', () => {
    const daily0230 = timing({ cron: '30 2 * * *', timezone: 'Europe/Berlin' });
    it('Europe/Berlin spring forward (2026-03-29, 02:00 → 03:00): 02:30 runs once, right after the gap', () => {
        assert.deepEqual(slotsBetween(daily0230, '2026-03-28T00:00:00Z', '2026-03-30T23:59:59Z'), [
            '2026-03-28T01:30:00.000Z', // 02:30 CET
            '2026-03-29T01:00:00.000Z', // 03:00 CEST: 02:30 does not exist that day
            '2026-03-30T00:30:00.000Z', // 02:30 CEST
        ]);
    });
    it('Europe/Berlin fall back (2026-10-25, 03:00 → 02:00): 02:30 runs once, the first time', () => {
        assert.deepEqual(slotsBetween(daily0230, '2026-10-24T00:00:00Z', '2026-10-26T23:59:59Z'), [
            '2026-10-24T00:30:00.000Z', // 02:30 CEST
            '2026-10-25T00:30:00.000Z', // 02:30 CEST, the first of two 02:30s
            '2026-10-26T01:30:00.000Z', // 02:30 CET
        ]);
    });
    it('America/New_York, 2026-03-08 and 2026-11-01: once each day', () => {
        const ny = timing({ cron: '30 2 * * *', timezone: 'America/New_York' });
        assert.deepEqual(slotsBetween(ny, '2026-03-07T12:00:00Z', '2026-03-09T12:00:00Z'), [
            '2026-03-08T07:00:00.000Z', // 03:00 EDT, after the gap
            '2026-03-09T06:30:00.000Z',
        ]);
        // New York repeats 01:00–02:00: 02:30 happens once (EST), and 01:30 twice, run the first time.
        assert.deepEqual(slotsBetween(ny, '2026-10-31T12:00:00Z', '2026-11-02T12:00:00Z'), [
            '2026-11-01T07:30:00.000Z',
            '2026-11-02T07:30:00.000Z',
        ]);
        const ny0130 = timing({ cron: '30 1 * * *', timezone: 'America/New_York' });
        assert.deepEqual(slotsBetween(ny0130, '2026-10-31T12:00:00Z', '2026-11-02T12:00:00Z'), [
            '2026-11-01T05:30:00.000Z', // 01:30 EDT, not 06:30Z (01:30 EST)
            '2026-11-02T06:30:00.000Z',
        ]);
    });
    it('an interval pattern with seconds runs in real time through the repeated hour', () => {
        const every20s = timing({ cron: '*/20 * * * * *', timezone: 'Europe/Berlin' });
        // 02:59:40 CEST (00:59:40Z) to 02:00:40 CET (01:00:40Z): one real minute, no slot twice or lost.
        assert.deepEqual(slotsBetween(every20s, '2026-10-25T00:59:30Z', '2026-10-25T01:00:40Z'), [
            '2026-10-25T00:59:40.000Z',
            '2026-10-25T01:00:00.000Z',
            '2026-10-25T01:00:20.000Z',
            '2026-10-25T01:00:40.000Z',
        ]);
        // An hourly pattern at minute 30 runs in both passes of the repeated hour (it is not a fixed time).
        const hourly = timing({ cron: '30 * * * *', timezone: 'Europe/Berlin' });
        assert.deepEqual(slotsBetween(hourly, '2026-10-24T23:00:00Z', '2026-10-25T02:00:00Z'), [
            '2026-10-24T23:30:00.000Z', // 01:30 CEST
            '2026-10-25T00:30:00.000Z', // 02:30 CEST
            '2026-10-25T01:30:00.000Z', // 02:30 CET
        ]);
    });
    it('next runs step over the gap the same way', () => {
        assert.deepEqual(iso(nextSlots(daily0230, new Date('2026-03-28T12:00:00Z'), 2)), [
            '2026-03-29T01:00:00.000Z',
            '2026-03-30T00:30:00.000Z',
        ]);
    });
});
describe('every: multiples of the period since the epoch', () => {
    it('parses fixed-length ISO 8601 durations only', () => {
        assert.equal(parseEvery('PT30S'), 30_000);
        assert.equal(parseEvery('PT1.5S'), 1500);
        assert.equal(parseEvery('P1DT1H'), 90_000_000);
        assert.equal(parseEvery('P2W'), 14 * 86_400_000);
        for (const bad of ['P1M', 'P1Y', 'PT', 'P', '30s', 'PT-1S', 'PT1,5S', ''])
            assert.equal(parseEvery(bad), undefined, bad);
    });
    it('slots are aligned, the same on every instance, whatever the time zone', () => {
        const t = timing({ every: 'PT30S', timezone: 'Asia/Kolkata' });
        assert.equal(nextSlot(t, new Date('2026-01-01T00:00:10Z')).toISOString(), '2026-01-01T00:00:30.000Z');
        assert.equal(nextSlot(t, new Date('2026-01-01T00:00:30Z')).toISOString(), '2026-01-01T00:01:00.000Z');
        const due = dueSlots(t, new Date('2026-01-01T00:00:30Z'), new Date('2026-01-01T00:05:00Z'), 2);
        assert.equal(due.count, 10);
        assert.deepEqual(iso(due.latest), ['2026-01-01T00:04:30.000Z', '2026-01-01T00:05:00.000Z']);
        assert.equal(due.next?.toISOString(), '2026-01-01T00:05:30.000Z');
    });
});
describe('readTiming names the field at fault', () => {
    const pointers = (input) => {
        const read = readTiming(input);
        return 'problems' in read ? read.problems.map((p) => p.pointer) : [];
    };
    it('refuses bad patterns, durations, time zones and both-or-neither', () => {
        assert.deepEqual(pointers({ cron: '* * *' }), ['/cron']);
        assert.deepEqual(pointers({ cron: '* * * * * * *' }), ['/cron'], 'seven fields (years) are not taken');
        assert.deepEqual(pointers({ cron: '0 0 31 2 *' }), ['/cron'], 'never fires');
        assert.deepEqual(pointers({ every: 'PT0.999S' }), ['/every']);
        assert.deepEqual(pointers({ cron: '* * * * *', every: 'PT1S' }), ['/every']);
        assert.deepEqual(pointers({}), ['/cron']);
        assert.deepEqual(pointers({ cron: '* * * * *', timezone: 'Europe/Atlantis' }), ['/timezone']);
        assert.deepEqual(pointers({ cron: '*/5 * * * * *', timezone: 'Europe/Berlin' }), [], 'seconds are allowed');
    });
});
describe('planFire: backfill, misses and overlap', () => {
    const perMinute = timing({ every: 'PT1M' });
    const base = {
        timing: perMinute,
        nextRunAt: new Date('2026-01-01T00:00:00Z'),
        now: new Date('2026-01-01T00:09:30Z'), // ten slots due: 00:00 … 00:09
        previousActive: false,
    };
    it('fires the current slot and the newest maxSlots missed ones; counts the rest as missed', () => {
        const plan = planFire({ ...base, backfillMaxSlots: 3, overlap: 'allow' });
        assert.deepEqual(iso(plan.fire), [
            '2026-01-01T00:06:00.000Z',
            '2026-01-01T00:07:00.000Z',
            '2026-01-01T00:08:00.000Z',
            '2026-01-01T00:09:00.000Z',
        ]);
        assert.equal(plan.missed, 6);
        assert.equal(plan.skipped, 0);
        assert.equal(plan.next?.toISOString(), '2026-01-01T00:10:00.000Z');
    });
    it('without backfill only the current slot fires, late', () => {
        const plan = planFire({ ...base, backfillMaxSlots: null, overlap: 'allow' });
        assert.deepEqual(iso(plan.fire), ['2026-01-01T00:09:00.000Z']);
        assert.equal(plan.missed, 9);
    });
    it('on time, exactly one slot fires and nothing is missed', () => {
        const plan = planFire({
            ...base,
            now: new Date('2026-01-01T00:00:00.050Z'),
            backfillMaxSlots: null,
            overlap: 'allow',
        });
        assert.deepEqual(iso(plan.fire), ['2026-01-01T00:00:00.000Z']);
        assert.equal(plan.missed, 0);
    });
    it('skip: nothing while the previous job is active; otherwise the newest slot alone', () => {
        const blocked = planFire({ ...base, backfillMaxSlots: 2, overlap: 'skip', previousActive: true });
        assert.deepEqual(blocked.fire, []);
        assert.equal(blocked.skipped, 3);
        assert.equal(blocked.missed, 7);
        const free = planFire({ ...base, backfillMaxSlots: 2, overlap: 'skip', previousActive: false });
        assert.deepEqual(iso(free.fire), ['2026-01-01T00:09:00.000Z']);
        assert.equal(free.skipped, 2);
    });
    it('cancel-previous: cancels an active previous job and fires the newest slot', () => {
        const plan = planFire({ ...base, backfillMaxSlots: null, overlap: 'cancel-previous', previousActive: true });
        assert.equal(plan.cancelPrevious, true);
        assert.deepEqual(iso(plan.fire), ['2026-01-01T00:09:00.000Z']);
        const idle = planFire({ ...base, backfillMaxSlots: null, overlap: 'cancel-previous', previousActive: false });
        assert.equal(idle.cancelPrevious, false);
    });
    it('a cron schedule down for longer than the slots it counts keeps the newest slots and a lower bound', () => {
        const perSecond = timing({ cron: '* * * * * *', timezone: 'Europe/Berlin' });
        const plan = planFire({
            timing: perSecond,
            nextRunAt: new Date('2026-01-01T00:00:00Z'),
            now: new Date('2026-01-01T01:00:00.500Z'),
            backfillMaxSlots: 1,
            overlap: 'allow',
            previousActive: false,
        });
        assert.deepEqual(iso(plan.fire), ['2026-01-01T00:59:59.000Z', '2026-01-01T01:00:00.000Z']);
        assert.equal(plan.capped, true);
        assert.ok(plan.missed >= 998);
        assert.equal(plan.next?.toISOString(), '2026-01-01T01:00:01.000Z');
    });
});
//# sourceMappingURL=timing.test.js.map