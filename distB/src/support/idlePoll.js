/**
 * The pace of a background loop that looks for rare work in the database (webhook deliveries, bulk
 * actions) and is also rung when this instance makes such work. Looks that find nothing back off,
 * doubling the wait from the poll interval up to `maxIdleMs`, so an idle instance asks every few
 * seconds instead of several times a second; a look that finds work brings the wait back to the poll
 * interval. A ring ends a wait early, but looks stay `minSpacingMs` apart: a burst of rings (one per
 * settled job during a drain) is a few looks, not one per ring. Work known to fall due later (a
 * delivery's retry) ends the wait when it does.
 */
import { setTimeout as sleep } from 'node:timers/promises';
export class IdlePoll {
    doorbell;
    options;
    idleMs;
    lastLookAt = -Infinity;
    dueAt = Infinity;
    foundWork = true;
    maxIdleMs;
    minSpacingMs;
    constructor(doorbell, options) {
        this.doorbell = doorbell;
        this.options = options;
        this.idleMs = options.pollIntervalMs;
        this.maxIdleMs = Math.max(options.maxIdleMs ?? 5000, options.pollIntervalMs);
        this.minSpacingMs = Math.min(options.minSpacingMs ?? 100, options.pollIntervalMs);
    }
    /** Work falls due at `time` (epoch ms): the wait under way, or the next, ends by then. */
    expectWorkAt(time) {
        this.dueAt = Math.min(this.dueAt, time);
    }
    /** The last look found work: the next wait is the poll interval again. */
    found() {
        this.foundWork = true;
    }
    /** Waits for the next look: the poll interval after a look that found work, longer after each that did not. */
    async next() {
        const { pollIntervalMs, signal } = this.options;
        this.idleMs = this.foundWork ? pollIntervalMs : Math.min(this.idleMs * 2, this.maxIdleMs);
        this.foundWork = false;
        await this.doorbell.wait(Math.max(0, Math.min(this.idleMs, this.dueAt - Date.now())));
        if (this.dueAt <= Date.now())
            this.dueAt = Infinity;
        const pause = this.lastLookAt + this.minSpacingMs - Date.now();
        if (pause > 0 && !signal?.aborted)
            await sleep(pause, undefined, { signal }).catch(() => { });
        this.lastLookAt = Date.now();
    }
}
//# sourceMappingURL=idlePoll.js.map