/**
 * The engine without HTTP: database → store → notifier → registry → job service → runner(s), built
 * by hand so a test controls every knob (lease, intervals, backoff) and can start a second runner,
 * or a runner that has not started yet. `close()` stops every runner it made and closes the database.
 */
import type { TestDatabase } from './databases.js';
import { type CapturedLogs } from './logs.js';
import type { Database } from '../../src/db/database.js';
import { JobService } from '../../src/queue/jobService.js';
import { Notifier } from '../../src/queue/notifier.js';
import { JobStore, type NewJob } from '../../src/queue/store.js';
import { Runner, type RunnerConfig } from '../../src/runner/runner.js';
import type { RunnerEvents } from '../../src/runner/events.js';
import { JobRegistry, type AnyJobDefinition } from '../../jobs/registry.js';
export declare const ENGINE_DEFAULTS: RunnerConfig;
export interface Engine {
    readonly db: Database;
    readonly store: JobStore;
    readonly notifier: Notifier;
    readonly registry: JobRegistry;
    readonly jobs: JobService;
    readonly logs: CapturedLogs;
    /** A runner on this engine's connection, not started; `close()` stops it. */
    newRunner(config?: Partial<RunnerConfig>): Runner;
    /** Stops every runner made so far (between tests that share the engine). */
    stopRunners(): Promise<void>;
    close(): Promise<void>;
}
export interface EngineOptions {
    /** Job definitions added to the shipped ones. */
    extraJobs?: readonly AnyJobDefinition[];
    maxConnections?: number;
}
export declare function openEngine(database: TestDatabase, { extraJobs, maxConnections }?: EngineOptions): Promise<Engine>;
/** A job row as the store takes it, with the defaults of a plain `echo`. */
export declare function newJob(fields?: Partial<NewJob>): NewJob;
/** Resolves with the `job:settled` event of job `id` on `runner`. Register it before the job can settle. */
export declare function settled(runner: Runner, id: string): Promise<RunnerEvents['job:settled']>;
