import { checkSavedCheckpoint, needsResumeCheck, resumeCheckpoint } from './checkpointResume.js';
import { coerceError } from '../log.js';
import { endJobRunSpan, startJobRunSpan, withContext } from '../observability/tracing.js';
import { JobLogBuffer } from './jobLogBuffer.js';
const NO_TIMEOUT_ABANDONMENT = { abandonGraceMs: Infinity, onTimeoutIgnored: () => { } };
export class JobExecution {
    job;
    definition;
    runnerLog;
    flushNow;
    timeouts;
    onProgress;
    onSettled;
    startedAt = Date.now();
    /** The start and the end of its code on the monotonic clock (`ranMs`). */
    startedMono = performance.now();
    endedMono;
    /**
     * Made when the job first looks at its signal, or when it is aborted: a short job that never
     * reads its token (most no-op and I/O-light jobs) then costs no AbortController and no AbortSignal,
     * a measurable share of a runner that starts tens of thousands of jobs a second.
     */
    controller;
    checkpoint;
    /** The version of the type's checkpoint shape `checkpoint` is in. */
    checkpointVersion;
    /** The checkpoint the run started from (after `resumeCheckpoint`): the context's `checkpoint`. */
    resumedFrom;
    progressValue;
    version = 0;
    writtenVersion = 0;
    /** Counts checkpoint changes alone (not progress), so that only they enter the history. */
    checkpointChanges = 0;
    /**
     * The changes a write has already taken for the history: taken when the snapshot is, not when
     * it is written, so that the flusher and a job's `flush()` writing at once record a change once
     * (a write that fails loses that history entry; the checkpoint itself is written again).
     */
    historyTaken = 0;
    timeout;
    /** The end of the time slice (`maxSliceSeconds`), then the cancel's grace: one timer at a time each. */
    sliceTimer;
    cancelGraceTimer;
    settlement;
    /** `settled`, made when first asked for: the runner hears of the settlement through `onSettled`. */
    settledPromise;
    resolveSettled;
    abandonedByRunner = false;
    /** The runner's write of this run's outcome, from its settlement on (an abandoned run gets none). */
    outcomeWritten;
    /** Set when this run is blamed for an uncaught exception: its outcome is a failed attempt, whatever it does next. */
    crashError;
    jobLog;
    constructor(
    /** `traceparent`: the enqueue's trace, which the run's span joins (src/observability/tracing.ts). */
    job, definition, runnerLog, flushNow, timeouts = NO_TIMEOUT_ABANDONMENT, 
    /** Hears every progress report at once (the live progress board), without waiting for a flush. */
    onProgress, 
    /** Hears the settlement once, in a later microtask than `start()`. */
    onSettled) {
        this.job = job;
        this.definition = definition;
        this.runnerLog = runnerLog;
        this.flushNow = flushNow;
        this.timeouts = timeouts;
        this.onProgress = onProgress;
        this.onSettled = onSettled;
        this.checkpoint = job.checkpoint;
        this.resumedFrom = job.checkpoint;
        this.checkpointVersion = job.checkpointVersion ?? 1;
        this.progressValue = job.progress;
    }
    /** Resolves when `run` has returned or thrown; pending until `start()`. */
    get settled() {
        if (this.settledPromise)
            return this.settledPromise;
        if (this.settlement)
            return (this.settledPromise = Promise.resolve(this.settlement));
        return (this.settledPromise = new Promise((resolve) => (this.resolveSettled = resolve)));
    }
    /** Runs the job's code (once its start is written). */
    start() {
        const { timeoutSeconds } = this.job;
        if (timeoutSeconds !== null) {
            this.timeout = setTimeout(() => this.onTimeout(), timeoutSeconds * 1000);
            this.timeout.unref();
        }
        const sliceSeconds = this.definition?.maxSliceSeconds;
        // Already stopped before its start (a cancel or pause heard while it waited): no slice to time.
        if (sliceSeconds !== undefined && this.abortReason === undefined) {
            this.sliceTimer = setTimeout(() => this.abort('yield'), sliceSeconds * 1000);
            this.sliceTimer.unref();
        }
        void this.run(this.definition);
    }
    onTimeout() {
        this.abort('timeout');
        if (!Number.isFinite(this.timeouts.abandonGraceMs))
            return;
        // A job that ignores its own timeout would otherwise hold its slot (and its lease) forever.
        this.timeout = setTimeout(() => this.isSettled || this.timeouts.onTimeoutIgnored(this), this.timeouts.abandonGraceMs);
        this.timeout.unref();
    }
    /** The lines `log` kept since the last write; made on first use, with the logger. */
    logBuffer;
    /**
     * The job's logger, made on first use: most short jobs never log, and a child logger is not free.
     * Its lines also go to the job's stored log (src/runner/jobLogBuffer.ts).
     */
    get log() {
        if (this.jobLog)
            return this.jobLog;
        this.logBuffer = new JobLogBuffer(this.job.id);
        return (this.jobLog = this.logBuffer.record(this.runnerLog.child({ jobId: this.job.id, type: this.job.type })));
    }
    /** True once the job has asked for its logger: only then can it have lines to write. */
    get usedLog() {
        return this.logBuffer !== undefined;
    }
    /** True when log lines wait for the next write. */
    get hasPendingLogs() {
        return this.logBuffer !== undefined && !this.logBuffer.isEmpty;
    }
    /** The log lines to write now; they are no longer pending afterwards. */
    takeLogLines() {
        return this.logBuffer?.take() ?? [];
    }
    get signal() {
        return (this.controller ??= new AbortController()).signal;
    }
    /** Why the token fired, if it did. */
    get abortReason() {
        const signal = this.controller?.signal;
        return signal?.aborted ? signal.reason : undefined;
    }
    get isSettled() {
        return this.settlement !== undefined;
    }
    /** The first reason wins: a job cancelled during a shutdown stays cancelled. */
    abort(reason) {
        const signal = this.signal;
        if (signal.aborted)
            return;
        this.controller.abort(reason);
        if (this.sliceTimer)
            clearTimeout(this.sliceTimer);
        const { cancelGraceMs, onCancelIgnored } = this.timeouts;
        if (reason === 'cancelled' && onCancelIgnored && cancelGraceMs !== undefined && !this.isSettled) {
            // A job that ignores its cancel would otherwise hold its slot (and its lease) until it returns.
            this.cancelGraceTimer = setTimeout(() => this.isSettled || onCancelIgnored(this), cancelGraceMs);
            this.cancelGraceTimer.unref();
        }
    }
    /**
     * True once the checkpoint, its version or the progress differ from what the claim read: until
     * then an outcome need not write them (`Completion`'s `unchanged`).
     */
    get stateChanged() {
        return this.version !== 0 || this.checkpointVersion !== (this.job.checkpointVersion ?? 1);
    }
    get dirty() {
        return this.version !== this.writtenVersion;
    }
    /** The checkpoint and progress as they are now: what an outcome write carries. */
    currentState() {
        return {
            id: this.job.id,
            attempt: this.job.attempts,
            checkpoint: this.checkpoint,
            checkpointVersion: this.checkpointVersion,
            progress: this.progressValue,
        };
    }
    /**
     * The state to write, and a function to call once it is written (for writes that keep the job
     * running). `changed`: the checkpoint itself changed since the last write (its history records it).
     */
    snapshot() {
        const version = this.version;
        const changed = this.checkpointChanges !== this.historyTaken;
        this.historyTaken = this.checkpointChanges;
        return {
            snapshot: { ...this.currentState(), changed },
            markWritten: () => {
                this.writtenVersion = Math.max(this.writtenVersion, version);
            },
        };
    }
    /** The checkpoint the run starts from: the stored one, migrated or dropped by `resumeCheckpoint`. */
    get resumedCheckpoint() {
        return this.resumedFrom;
    }
    /**
     * Remembers `state` in memory (the job's `saveCheckpoint`). A type with a `checkpointSchema`
     * refuses a state that fails it (`CheckpointSchemaError`, naming the type), before anything changes.
     */
    saveCheckpoint(state) {
        checkSavedCheckpoint(this.definition, state);
        this.checkpoint = state;
        this.version += 1;
        this.checkpointChanges += 1;
    }
    /** Remembers the job's progress in memory (the job's `progress`). */
    setProgress(fraction, message) {
        const clamped = Math.min(1, Math.max(0, Number.isFinite(fraction) ? fraction : 0));
        this.progressValue = message === undefined ? { fraction: clamped } : { fraction: clamped, message: String(message) };
        this.version += 1;
        this.onProgress?.(this);
    }
    /** Writes the checkpoint and progress now (the job's `flush`). */
    flush() {
        return this.flushNow(this);
    }
    /**
     * Runs the job's code and settles once it returns or throws. No async function here: a drain of
     * no-op jobs starts tens of thousands a second, and each async frame, with its promise and await,
     * stays alive until the job settles (src/runner/generation.ts, `onSettled`).
     */
    run(definition) {
        if (!definition) {
            const error = new Error(`unknown job type ${JSON.stringify(this.job.type)}: no job file defines it`);
            return void Promise.resolve().then(() => this.settle({ kind: 'rejected', error }));
        }
        if (needsResumeCheck(definition, this.job.checkpoint, this.checkpointVersion)) {
            return void this.resumeThenRun(definition);
        }
        this.runCode(definition);
    }
    async resumeThenRun(definition) {
        const resumed = await resumeCheckpoint(definition, this.job.checkpoint, this.checkpointVersion, () => this.log);
        this.resumedFrom = resumed.checkpoint;
        if (resumed.changed) {
            this.checkpoint = resumed.checkpoint;
            this.version += 1;
            this.checkpointChanges += 1;
        }
        this.runCode(definition);
    }
    runCode(definition) {
        // Written in the type's version from now on (a checkpoint of the same version stays as it is).
        this.checkpointVersion = definition.checkpointVersion ?? 1;
        const { span, context } = startJobRunSpan(this.job);
        let returned;
        try {
            returned = withContext(context, () => definition.run(new ExecutionContext(this)));
        }
        catch (thrown) {
            // Settled in a later microtask all the same, as an async `run` that throws at once would be.
            returned = Promise.reject(thrown);
        }
        // `Promise.resolve` passes a promise through as it is, and waits for any other thenable.
        Promise.resolve(returned).then((result) => this.endRun(span, { kind: 'resolved', result: result === undefined ? null : result }), (thrown) => this.endRun(span, { kind: 'rejected', error: coerceError(thrown) }));
    }
    endRun(span, settlement) {
        endJobRunSpan(span, settlement.kind === 'resolved' ? settlement : { ...settlement, abortReason: this.abortReason });
        this.settle(settlement);
    }
    /** Whether the runner gave up waiting (a deadline, an ignored timeout or cancel): a late outcome is then ignored. */
    get abandoned() {
        return this.abandonedByRunner;
    }
    /** The runner gives up waiting: the run counts as ended now (`ranMs`), whenever its code returns. */
    abandon() {
        this.abandonedByRunner = true;
        this.endedMono ??= performance.now();
    }
    /** How long its code ran: to its return or its abandonment, or until now while it runs. */
    get ranMs() {
        return (this.endedMono ?? performance.now()) - this.startedMono;
    }
    settle(settlement) {
        this.endedMono ??= performance.now();
        if (this.timeout)
            clearTimeout(this.timeout);
        if (this.sliceTimer)
            clearTimeout(this.sliceTimer);
        if (this.cancelGraceTimer)
            clearTimeout(this.cancelGraceTimer);
        this.settlement = settlement;
        this.onSettled?.(this, settlement);
        this.resolveSettled?.(settlement);
    }
}
/**
 * What a job's `run` receives. One object per run whose functions are made only when the job reads
 * them (they are arrow functions, so a job may destructure them): a short job that only reads its
 * payload costs one allocation here, not one closure per capability.
 */
class ExecutionContext {
    #execution;
    jobId;
    payload;
    attempt;
    checkpoint;
    #saveCheckpoint;
    #flush;
    #progress;
    constructor(execution) {
        this.#execution = execution;
        const { job } = execution;
        this.jobId = job.id;
        this.payload = job.payload;
        this.attempt = job.attempts;
        // The state saved by an earlier run, as it was when this run started (migrated to the type's
        // checkpoint version, or none for a fresh start: src/runner/checkpointResume.ts).
        this.checkpoint = execution.resumedCheckpoint ?? undefined;
    }
    get signal() {
        return this.#execution.signal;
    }
    get log() {
        return this.#execution.log;
    }
    get saveCheckpoint() {
        return (this.#saveCheckpoint ??= (state) => this.#execution.saveCheckpoint((state ?? null)));
    }
    get flush() {
        return (this.#flush ??= () => this.#execution.flush());
    }
    get progress() {
        return (this.#progress ??= (fraction, message) => this.#execution.setProgress(fraction, message));
    }
}
//# sourceMappingURL=jobExecution.js.map