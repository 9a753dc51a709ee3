/**
 * The scheduler: fires due schedules on this instance, beside every other instance's scheduler. It
 * has no leader to elect: each fire claims due schedules with `for update skip locked` and commits
 * the slots' jobs with the advance of `next_run_at` (src/schedules/store.ts), so two instances never
 * fire one slot, and a slot is never lost to an instance killed in the middle of a fire.
 *
 *   stopped ──start()──▶ idle ──due (by the database's clock) or woken──▶ firing ──▶ idle
 *   idle | firing ──stop()──▶ stopped (a fire in progress commits or rolls back first)
 *
 * While idle it asks one question, "how long until the earliest schedule is due?", and sleeps that
 * long, at most `maxIdleMs`; a schedule created, changed or resumed on any instance wakes it at once
 * (a `schedulesChanged` notification; over PGlite, in-process). A due schedule that another instance
 * holds locked is retried after `contendedBackoffMs`. The lifecycle starts it with the runner and
 * stops it first on a drain or a shutdown; a drained instance fires nothing.
 *
 * Each start is a new generation with its own loop, so a stop and a later start share no state.
 */
import type { Logger } from 'pino';
import type { JobService } from '../queue/jobService.js';
import type { Notifier } from '../queue/notifier.js';
import { TypedEmitter } from '../runner/events.js';
import type { FiredSchedule, ScheduleStore } from './store.js';
export interface SchedulerConfig {
    /** Schedules fired per transaction. */
    batchSize: number;
    /** The longest sleep while no schedule is due: the fallback for a lost wake-up. */
    maxIdleMs: number;
    /** Wait before retrying due schedules that another instance is firing. */
    contendedBackoffMs: number;
    /** Wait after a failed statement (the database away). */
    errorBackoffMs: number;
}
export declare const DEFAULT_SCHEDULER_CONFIG: SchedulerConfig;
export interface SchedulerEvents {
    /** One schedule's part of a fire, after commit. */
    'schedule:fired': {
        schedule: FiredSchedule;
    };
    'scheduler:error': {
        error: Error;
    };
}
export interface SchedulerDependencies {
    store: ScheduleStore;
    jobs: Pick<JobService, 'prepare' | 'announce' | 'cancelled'>;
    notifier: Pick<Notifier, 'subscribe'>;
    /** The lifecycle's answer: false while draining or stopping. */
    mayFire: () => boolean;
    log: Logger;
}
export declare class Scheduler {
    private readonly deps;
    readonly events: TypedEmitter<SchedulerEvents>;
    private generation;
    private readonly config;
    constructor(config: Partial<SchedulerConfig>, deps: SchedulerDependencies);
    /** Starts a generation; no-op while one runs. */
    start(): void;
    /** Stops the running generation (the same promise when called again). */
    stop(): Promise<void>;
    /** Looks at the schedules now (one was changed here). */
    wake(): void;
}
