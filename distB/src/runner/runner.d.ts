import type { Logger } from 'pino';
import type { JobRegistry } from '../../jobs/registry.js';
import type { Config } from '../config.js';
import type { Notifier } from '../queue/notifier.js';
import type { JobExecution } from './jobExecution.js';
import type { JobStore } from '../queue/store.js';
import type { LimitedQueue } from '../queue/limitedClaim.js';
import type { PauseBoard } from '../queue/pauses.js';
import { TypedEmitter, type RunnerEvents } from './events.js';
export interface RunnerConfig {
    concurrency: number;
    /** Most jobs claimed ahead of the free slots (see `LocalQueue`); 0 claims only for free slots. */
    localQueueSize?: number;
    queues: readonly string[];
    /** Limits per queue (`QUEUE_LIMITS`); none when absent. */
    queueLimits?: readonly LimitedQueue[];
    leaseMs: number;
    checkpointIntervalMs: number;
    pollIntervalMs: number;
    /**
     * Longest wait between two claims that found nothing, where other instances' wake-ups reach this
     * one (LISTEN/NOTIFY): an idle claim loop backs off from `pollIntervalMs` up to it, since every
     * runnable job is announced (default 5 s). Without LISTEN the loop polls every `pollIntervalMs`.
     */
    idlePollMaxMs?: number;
    retryBaseMs: number;
    /** How often expired leases are looked for; by default often enough to recover within a second or two. */
    sweepIntervalMs?: number;
    /** How often queued jobs past their `expiresAt` are marked `expired` (default a second). */
    expirySweepIntervalMs?: number;
    /** The first and shortest wait between looks at the queue tables' statistics (src/runner/statisticsKeeper.ts; default 1 s). */
    statisticsIntervalMs?: number;
    /** How long finished jobs are kept before the pruner deletes them (default 7 days). */
    retentionMs?: number;
    /** How long a run may ignore its timeout's token before it is abandoned and its slot freed (default 5 s). */
    timeoutAbandonGraceMs?: number;
    /**
     * How long a run may ignore a cancel's token before it is abandoned as `cancelled` and its slot
     * freed (CANCEL_GRACE_SECONDS); never when absent.
     */
    cancelGraceMs?: number;
    instanceId?: string;
}
/** The runner's settings, as the service configuration gives them. */
export declare function runnerConfigFrom(config: Config): RunnerConfig;
export interface RunnerDependencies {
    store: JobStore;
    notifier: Notifier;
    registry: JobRegistry;
    log: Logger;
    /** The lifecycle's answer to "may I claim now?". */
    mayClaim?: () => boolean;
    /** The cluster's paused queues and job types, left out of claims (src/queue/pauses.ts). */
    pauses?: PauseBoard;
    /** Hears each progress report of a job running here as it happens (src/observability/liveProgress.ts). */
    onProgress?: (execution: JobExecution) => void;
}
export interface StopReport {
    /** Jobs claimed ahead that never started: handed back without counting an attempt. */
    released: string[];
    /** Jobs that stopped on their token and went back to the queue with their checkpoint. */
    interrupted: string[];
    /** Jobs that ignored their token until the deadline: checkpoint written, requeued with the attempt counted. */
    abandoned: string[];
    /** Jobs whose outcome could not be written before the deadline (their lease will expire). */
    unwritten: string[];
}
export declare class Runner {
    private readonly config;
    private readonly deps;
    /** This process's id for operators and logs; the first generation leases under it, later ones under ids of their own. */
    readonly instanceId: string;
    readonly events: TypedEmitter<RunnerEvents>;
    private readonly liveRuns;
    private generation;
    private generations;
    /** Counts `stop()` calls, so that a start can tell a stop came while it waited. */
    private stopsAsked;
    constructor(config: RunnerConfig, deps: RunnerDependencies);
    /** Runs holding a slot, of any generation (abandoned runs whose code still executes included). */
    get runningJobs(): number;
    /** The current generation's running jobs. */
    get runningJobIds(): string[];
    /** Jobs claimed ahead and waiting for a slot. */
    get waitingJobs(): number;
    /** The lease owner of the current generation (tests read the database with it). */
    get leaseOwner(): string | undefined;
    /**
     * Starts a new generation, after the previous one has stopped. Starting a running runner does
     * nothing; callers (the lifecycle) serialize start and stop.
     */
    start(): Promise<void>;
    /** Stops the current generation within `graceMs`. Calling it again returns the same promise, with the stricter deadline. */
    stop({ graceMs }: {
        graceMs: number;
    }): Promise<StopReport>;
    /**
     * Blames an uncaught exception on the runs whose job file is in its stack (on every run, when none
     * is): their outcome is a failed attempt, so a job that crashes the process uses its attempts and
     * ends `failed`, while the other runs are interrupted and refunded. Returns the ids blamed.
     */
    blameCrash(error: Error): string[];
}
