import { coerceError } from '../log.js';
import { TypedEmitter } from '../runner/events.js';
import { Doorbell } from '../support/doorbell.js';
import { enqueueRequestOf } from './schedule.js';
export const DEFAULT_SCHEDULER_CONFIG = {
    batchSize: 100,
    maxIdleMs: 30_000,
    contendedBackoffMs: 100,
    errorBackoffMs: 1000,
};
export class Scheduler {
    deps;
    events = new TypedEmitter();
    generation;
    config;
    constructor(config, deps) {
        this.deps = deps;
        this.config = { ...DEFAULT_SCHEDULER_CONFIG, ...config };
    }
    /** Starts a generation; no-op while one runs. */
    start() {
        if (this.generation && !this.generation.stopping)
            return;
        this.generation = new SchedulerGeneration(this.config, this.deps, this.events);
    }
    /** Stops the running generation (the same promise when called again). */
    stop() {
        return this.generation?.stop() ?? Promise.resolve();
    }
    /** Looks at the schedules now (one was changed here). */
    wake() {
        this.generation?.wake();
    }
}
class SchedulerGeneration {
    config;
    deps;
    events;
    stopping;
    doorbell = new Doorbell();
    loop;
    unsubscribe;
    constructor(config, deps, events) {
        this.config = config;
        this.deps = deps;
        this.events = events;
        this.unsubscribe = deps.notifier.subscribe('schedulesChanged', () => this.doorbell.ring());
        this.loop = this.run();
    }
    wake() {
        this.doorbell.ring();
    }
    stop() {
        return (this.stopping ??= (async () => {
            this.unsubscribe();
            this.doorbell.ring();
            await this.loop;
        })());
    }
    async run() {
        const { store, mayFire } = this.deps;
        while (!this.stopping) {
            let waitMs;
            try {
                if (!mayFire()) {
                    waitMs = this.config.maxIdleMs;
                }
                else {
                    const dueInMs = await store.msUntilNextDue();
                    if (this.stopping)
                        break;
                    if (dueInMs !== null && dueInMs <= 0) {
                        const report = await store.fireDue({ limit: this.config.batchSize, prepare: this.prepare });
                        this.announce(report);
                        // None claimed while some are due: another instance holds them; it commits in a moment.
                        if (report.claimed > 0)
                            continue;
                        waitMs = this.config.contendedBackoffMs * (0.5 + Math.random());
                    }
                    else {
                        waitMs = dueInMs === null ? this.config.maxIdleMs : Math.min(Math.ceil(dueInMs), this.config.maxIdleMs);
                    }
                }
            }
            catch (thrown) {
                const error = coerceError(thrown);
                this.deps.log.warn({ err: error }, 'scheduler: a fire failed; retrying');
                this.events.emit('scheduler:error', { error });
                waitMs = this.config.errorBackoffMs;
            }
            if (this.stopping)
                break;
            await this.doorbell.wait(waitMs);
        }
    }
    prepare = (template) => this.deps.jobs.prepare(enqueueRequestOf(template));
    /** After commit: runners woken, cancels delivered, metrics and logs told. */
    announce(report) {
        const { jobs, log } = this.deps;
        for (const schedule of report.schedules) {
            if (schedule.enqueued.length > 0)
                jobs.announce(schedule.enqueued);
            if (schedule.cancelled)
                void jobs.cancelled(schedule.cancelled).catch(() => { });
            if (schedule.error !== undefined) {
                log.warn({ schedule: schedule.id, error: schedule.error }, 'schedule: its job template was refused; slot skipped');
            }
            if (schedule.missed > 0) {
                log.info({ schedule: schedule.id, missed: schedule.missed }, 'schedule: slots missed beyond the backfill');
            }
            log.debug({ schedule: schedule.id, slots: schedule.slots.map((s) => s.toISOString()), skipped: schedule.skipped }, 'schedule fired');
            this.events.emit('schedule:fired', { schedule });
        }
    }
}
//# sourceMappingURL=scheduler.js.map