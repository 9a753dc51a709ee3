/**
 * The service's one lifecycle state machine. Every other module asks it ("may I accept work? may I
 * claim?") instead of keeping a flag of its own.
 *
 *   running ──drain()──▶ draining ──runner stopped──▶ drained ──resume()──▶ running
 *
 *   running | draining | drained ──shutdown()──▶ stopping ──▶ exited
 *
 * Drains and resumes are commands run one at a time, in order, from one queue: two concurrent
 * resumes start one runner generation, and a resume waits for the drain before it. A shutdown
 * (SIGTERM, SIGINT, a crash) wins over everything: it answers the commands still queued at once,
 * stops claiming the moment it is asked, brings the deadline of a drain in progress forward to its
 * own, stops a generation that a resume in progress is starting, and never goes back to `running`.
 *
 * A drain (an orchestrator's HTTP call) runs the runner's stop: tokens abort with `shutdown`,
 * checkpoints are written, unfinished jobs requeued; the process lives on. A shutdown does the same
 * within the grace budget, then closes the database and the server and exits. Calling `shutdown()`
 * again (Heroku sends several SIGTERMs) returns the same promise and changes nothing.
 */
import type { Logger } from 'pino';
import { TypedEmitter } from './runner/events.js';
import type { StopReport } from './runner/runner.js';
export type LifecycleState = 'running' | 'draining' | 'drained' | 'stopping' | 'exited';
export interface LifecycleEvents {
    'lifecycle:state': {
        state: LifecycleState;
        previous: LifecycleState;
        cause: string;
    };
    'lifecycle:stopped': {
        report: StopReport;
        exitCode: number;
    };
}
/**
 * What the last drain or shutdown did, for `GET /v1/admin/status` and the drain's answer: the ids of
 * the jobs it released (claimed ahead, never started), interrupted (stopped on their token, their
 * checkpoint written, requeued), abandoned (ignored their token until the deadline) and could not
 * write. `finishedAt` is null while it is under way.
 */
export interface StopRecord extends StopReport {
    kind: 'drain' | 'shutdown';
    cause: string;
    startedAt: string;
    finishedAt: string | null;
}
export interface ControlledRunner {
    start(): Promise<void>;
    stop(options: {
        graceMs: number;
    }): Promise<StopReport>;
    readonly runningJobs: number;
}
export interface LifecycleOptions {
    runner: ControlledRunner;
    log: Logger;
    /** SIGTERM to exit, everything included. */
    shutdownGraceMs: number;
    /** Closes what must close before exit (HTTP server, database), in that order. */
    closeResources?: (budgetMs: number) => Promise<void>;
    exit?: (code: number) => void;
}
export declare class Lifecycle {
    private readonly options;
    readonly events: TypedEmitter<LifecycleEvents>;
    private current;
    private readonly commands;
    private busy;
    /** The drain that the next resume undoes; a second drain meanwhile answers with it. */
    private drainInEffect;
    private stopping;
    private lastStopRecord;
    /** Aborted when the shutdown begins: long-polls and other waits end early on it. */
    private readonly shutdownController;
    readonly startedAt: Date;
    constructor(options: LifecycleOptions);
    get state(): LifecycleState;
    /** The last drain or shutdown, under way or done; undefined before the first. */
    get lastStop(): StopRecord | undefined;
    get shutdownSignal(): AbortSignal;
    /** Job routes take work only while running. */
    mayAccept(): boolean;
    /** False from the moment a shutdown is asked, even while a resume is still starting the runner. */
    mayClaim(): boolean;
    /** During a shutdown every request but `/livez` is refused. */
    isShuttingDown(): boolean;
    /** Queues a drain; `draining` begins at once when nothing runs before it. Settles when the drain is complete. */
    drain(cause?: string): Promise<StopReport>;
    /** Queues the undoing of a drain (never of a shutdown); resolves with the state it left. */
    resume(cause?: string): Promise<LifecycleState>;
    /**
     * Stops within the grace budget and exits. Calling it again returns the same promise.
     * `failed` (a crash) exits non-zero after the same careful stop, so the platform sees a failure.
     */
    shutdown(cause: string, { failed }?: {
        failed?: boolean;
    }): Promise<void>;
    /** Runs `command` after those before it; a shutdown answers it with `skipped` instead. */
    private enqueue;
    private runNext;
    private stop;
    private beginStopRecord;
    private endStopRecord;
    private transition;
}
