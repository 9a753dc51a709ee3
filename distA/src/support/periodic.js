/**
 * A background task that runs every `intervalMs` until stopped, never overlapping itself. Errors are
 * reported, not thrown: a database outage must not kill the lease keeper that outlives it. The task
 * gets a signal that `stop()` aborts, so that a long run can end early instead of holding the stop.
 * A task that paces itself (the statistics keeper backs off while it finds nothing to do) resolves
 * to the wait before its next run; one that resolves to nothing, or throws, waits `intervalMs`.
 */
import { coerceError } from '../log.js';
export class Periodic {
    name;
    intervalMs;
    task;
    onError;
    timer;
    running;
    active = false;
    stopped = new AbortController();
    /** The wait the last run asked for, if it asked. */
    nextWaitMs;
    constructor(name, intervalMs, task, onError) {
        this.name = name;
        this.intervalMs = intervalMs;
        this.task = task;
        this.onError = onError;
    }
    start() {
        if (this.active)
            return;
        this.active = true;
        if (this.stopped.signal.aborted)
            this.stopped = new AbortController();
        this.nextWaitMs = undefined;
        this.schedule();
    }
    /** Runs the task now (waiting for a run in progress first). */
    async runNow() {
        while (this.running)
            await this.running;
        this.running = this.task(this.stopped.signal).then((waitMs) => {
            this.nextWaitMs = typeof waitMs === 'number' ? waitMs : undefined;
        }, (thrown) => {
            this.nextWaitMs = undefined;
            this.onError(coerceError(thrown));
        });
        await this.running;
        this.running = undefined;
    }
    /** Stops scheduling and waits for a run in progress. Safe to call twice. */
    async stop() {
        this.active = false;
        this.stopped.abort();
        clearTimeout(this.timer);
        await this.running;
    }
    schedule() {
        if (!this.active)
            return;
        this.timer = setTimeout(async () => {
            await this.runNow();
            this.schedule();
        }, this.nextWaitMs ?? this.intervalMs);
        this.timer.unref();
    }
}
//# sourceMappingURL=periodic.js.map