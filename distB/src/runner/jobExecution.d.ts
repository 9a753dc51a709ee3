import type { Logger } from 'pino';
import type { AbortReason, JobDefinition } from '../../jobs/defineJob.js';
import type { Json, OwnedJob } from '../queue/job.js';
import type { CheckpointWrite, JobSnapshot } from '../queue/store.js';
import type { NewJobLogLine } from '../queue/jobLogStore.js';
export interface ExecutionTimeouts {
    /** How long a run may ignore its timeout's token before `onTimeoutIgnored`. */
    abandonGraceMs: number;
    onTimeoutIgnored: (execution: JobExecution) => void;
    /** How long a run may ignore a cancel's token before `onCancelIgnored` (CANCEL_GRACE_SECONDS); never when absent. */
    cancelGraceMs?: number;
    onCancelIgnored?: (execution: JobExecution) => void;
}
export type Settlement = {
    kind: 'resolved';
    result: Json | null;
} | {
    kind: 'rejected';
    error: Error;
};
export declare class JobExecution {
    /** `traceparent`: the enqueue's trace, which the run's span joins (src/observability/tracing.ts). */
    readonly job: OwnedJob & {
        readonly traceparent?: string | null;
    };
    readonly definition: JobDefinition<unknown, unknown, unknown> | undefined;
    private readonly runnerLog;
    private readonly flushNow;
    private readonly timeouts;
    /** Hears every progress report at once (the live progress board), without waiting for a flush. */
    private readonly onProgress?;
    /** Hears the settlement once, in a later microtask than `start()`. */
    private readonly onSettled?;
    readonly startedAt: number;
    /** The start and the end of its code on the monotonic clock (`ranMs`). */
    private readonly startedMono;
    private endedMono;
    /**
     * Made when the job first looks at its signal, or when it is aborted: a short job that never
     * reads its token (most no-op and I/O-light jobs) then costs no AbortController and no AbortSignal,
     * a measurable share of a runner that starts tens of thousands of jobs a second.
     */
    private controller;
    private checkpoint;
    /** The version of the type's checkpoint shape `checkpoint` is in. */
    private checkpointVersion;
    /** The checkpoint the run started from (after `resumeCheckpoint`): the context's `checkpoint`. */
    private resumedFrom;
    private progressValue;
    private version;
    private writtenVersion;
    /** Counts checkpoint changes alone (not progress), so that only they enter the history. */
    private checkpointChanges;
    /**
     * The changes a write has already taken for the history: taken when the snapshot is, not when
     * it is written, so that the flusher and a job's `flush()` writing at once record a change once
     * (a write that fails loses that history entry; the checkpoint itself is written again).
     */
    private historyTaken;
    private timeout;
    /** The end of the time slice (`maxSliceSeconds`), then the cancel's grace: one timer at a time each. */
    private sliceTimer;
    private cancelGraceTimer;
    private settlement;
    /** `settled`, made when first asked for: the runner hears of the settlement through `onSettled`. */
    private settledPromise;
    private resolveSettled;
    private abandonedByRunner;
    /** The runner's write of this run's outcome, from its settlement on (an abandoned run gets none). */
    outcomeWritten: Promise<void> | undefined;
    /** Set when this run is blamed for an uncaught exception: its outcome is a failed attempt, whatever it does next. */
    crashError: Error | undefined;
    private jobLog;
    constructor(
    /** `traceparent`: the enqueue's trace, which the run's span joins (src/observability/tracing.ts). */
    job: OwnedJob & {
        readonly traceparent?: string | null;
    }, definition: JobDefinition<unknown, unknown, unknown> | undefined, runnerLog: Logger, flushNow: (execution: JobExecution) => Promise<void>, timeouts?: ExecutionTimeouts, 
    /** Hears every progress report at once (the live progress board), without waiting for a flush. */
    onProgress?: ((execution: JobExecution) => void) | undefined, 
    /** Hears the settlement once, in a later microtask than `start()`. */
    onSettled?: ((execution: JobExecution, settlement: Settlement) => void) | undefined);
    /** Resolves when `run` has returned or thrown; pending until `start()`. */
    get settled(): Promise<Settlement>;
    /** Runs the job's code (once its start is written). */
    start(): void;
    private onTimeout;
    /** The lines `log` kept since the last write; made on first use, with the logger. */
    private logBuffer;
    /**
     * The job's logger, made on first use: most short jobs never log, and a child logger is not free.
     * Its lines also go to the job's stored log (src/runner/jobLogBuffer.ts).
     */
    get log(): Logger;
    /** True once the job has asked for its logger: only then can it have lines to write. */
    get usedLog(): boolean;
    /** True when log lines wait for the next write. */
    get hasPendingLogs(): boolean;
    /** The log lines to write now; they are no longer pending afterwards. */
    takeLogLines(): NewJobLogLine[];
    get signal(): AbortSignal;
    /** Why the token fired, if it did. */
    get abortReason(): AbortReason | undefined;
    get isSettled(): boolean;
    /** The first reason wins: a job cancelled during a shutdown stays cancelled. */
    abort(reason: AbortReason): void;
    /**
     * True once the checkpoint, its version or the progress differ from what the claim read: until
     * then an outcome need not write them (`Completion`'s `unchanged`).
     */
    get stateChanged(): boolean;
    get dirty(): boolean;
    /** The checkpoint and progress as they are now: what an outcome write carries. */
    currentState(): JobSnapshot;
    /**
     * The state to write, and a function to call once it is written (for writes that keep the job
     * running). `changed`: the checkpoint itself changed since the last write (its history records it).
     */
    snapshot(): {
        snapshot: CheckpointWrite;
        markWritten: () => void;
    };
    /** The checkpoint the run starts from: the stored one, migrated or dropped by `resumeCheckpoint`. */
    get resumedCheckpoint(): Json | null;
    /**
     * Remembers `state` in memory (the job's `saveCheckpoint`). A type with a `checkpointSchema`
     * refuses a state that fails it (`CheckpointSchemaError`, naming the type), before anything changes.
     */
    saveCheckpoint(state: Json | null): void;
    /** Remembers the job's progress in memory (the job's `progress`). */
    setProgress(fraction: number, message?: string): void;
    /** Writes the checkpoint and progress now (the job's `flush`). */
    flush(): Promise<void>;
    /**
     * Runs the job's code and settles once it returns or throws. No async function here: a drain of
     * no-op jobs starts tens of thousands a second, and each async frame, with its promise and await,
     * stays alive until the job settles (src/runner/generation.ts, `onSettled`).
     */
    private run;
    private resumeThenRun;
    private runCode;
    private endRun;
    /** Whether the runner gave up waiting (a deadline, an ignored timeout or cancel): a late outcome is then ignored. */
    get abandoned(): boolean;
    /** The runner gives up waiting: the run counts as ended now (`ranMs`), whenever its code returns. */
    abandon(): void;
    /** How long its code ran: to its return or its abandonment, or until now while it runs. */
    get ranMs(): number;
    private settle;
}
