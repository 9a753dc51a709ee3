/**
 * The pace of the webhook and bulk action workers' looks: idle looks back off to a cap, work found
 * brings the poll interval back, a ring or a known due time ends a wait, and rung looks stay spaced.
 * Only lower bounds are asserted on elapsed time, and loosely: a loaded machine makes waits longer,
 * but Node schedules a timer from the event loop's cached clock, so a wait measured from the call can
 * also come out short by however long the loop's current turn had already run (18 ms for a 20 ms wait
 * in one CI run). The early ends race a wait far longer than any machine's delay.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Doorbell } from '../../src/support/doorbell.js';
import { IdlePoll } from '../../src/support/idlePoll.js';
async function timed(wait) {
    const started = performance.now();
    await wait;
    return performance.now() - started;
}
describe('IdlePoll', () => {
    it('doubles the wait after each look that found nothing, up to the cap, and starts again from the poll interval once work is found', async () => {
        const pace = new IdlePoll(new Doorbell(), { pollIntervalMs: 40, maxIdleMs: 320, minSpacingMs: 0 });
        const waits = [];
        for (let i = 0; i < 5; i++)
            waits.push(await timed(pace.next()));
        pace.found();
        waits.push(await timed(pace.next()));
        const expected = [40, 80, 160, 320, 320, 40];
        expected.forEach((least, i) => assert.ok(waits[i] >= least * 0.75, `wait ${i}: ${waits[i]} ms, about ${least}`));
        assert.ok(waits[5] < waits[4], `after work, the wait is short again (${waits[5]} ms after ${waits[4]} ms)`);
    });
    it('ends a long wait on a ring, and on the time known work falls due', async () => {
        const doorbell = new Doorbell();
        const pace = new IdlePoll(doorbell, { pollIntervalMs: 30_000, minSpacingMs: 0 });
        const rung = pace.next();
        doorbell.ring();
        assert.ok((await timed(rung)) < 15_000, 'a ring ends the wait');
        pace.expectWorkAt(Date.now() + 200);
        const waited = await timed(pace.next());
        assert.ok(waited >= 150 && waited < 15_000, `the due time ends the wait (${waited} ms)`);
    });
    it('keeps rung looks at least minSpacingMs apart', async () => {
        const doorbell = new Doorbell();
        const pace = new IdlePoll(doorbell, { pollIntervalMs: 30_000, minSpacingMs: 200 });
        doorbell.ring();
        await pace.next();
        doorbell.ring();
        assert.ok((await timed(pace.next())) >= 150, 'the second look waits out the spacing');
    });
    it('ends the spacing pause when its signal aborts', async () => {
        const doorbell = new Doorbell();
        const stop = new AbortController();
        const pace = new IdlePoll(doorbell, { pollIntervalMs: 60_000, minSpacingMs: 60_000, signal: stop.signal });
        doorbell.ring();
        await pace.next();
        doorbell.ring();
        const next = pace.next();
        stop.abort();
        assert.ok((await timed(next)) < 30_000);
    });
});
//# sourceMappingURL=idlePoll.test.js.map