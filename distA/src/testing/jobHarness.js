import { JobRegistry } from '../../jobs/registry.js';
import { createLogger } from '../log.js';
import { JobExecution } from '../runner/jobExecution.js';
import { decideRetry } from '../runner/retryPolicy.js';
/** A payload the job's schema refuses: the 422 an enqueue would answer. */
export class InvalidPayloadError extends Error {
    job;
    problems;
    name = 'InvalidPayloadError';
    constructor(job, problems) {
        super(`payload for ${job} is invalid: ${problems.map((p) => `${p.pointer} ${p.message}`).join('; ')}`);
        this.job = job;
        this.problems = problems;
    }
}
const LEVELS = {
    10: 'trace',
    20: 'debug',
    30: 'info',
    40: 'warn',
    50: 'error',
    60: 'fatal',
};
export class TestJobRun {
    /** Every state passed to `saveCheckpoint`, in order. */
    checkpoints = [];
    /** Every `progress` report, in order. */
    progress = [];
    logs = [];
    /** The checkpoint as each `flush()` wrote it. */
    flushes = [];
    /** Resolves with what the runner would write; never rejects for the job's own errors. */
    outcome;
    #execution;
    #waiters = [];
    constructor(definition, options) {
        if (options.validatePayload !== false) {
            const problems = new JobRegistry([definition]).validatePayload(definition.name, options.payload);
            if (problems.length > 0)
                throw new InvalidPayloadError(definition.name, problems);
        }
        const attempt = options.attempt ?? 1;
        const job = testJobRow(definition, options, attempt);
        const log = createLogger({
            level: 'trace',
            pretty: false,
            destination: { write: (line) => void this.logs.push(readLogLine(line)) },
        });
        this.#execution = new JobExecution(job, definition, log, async (execution) => {
            this.flushes.push((execution.currentState().checkpoint ?? undefined));
        }, undefined, (execution) => {
            const progress = execution.currentState().progress;
            if (progress)
                this.progress.push(progress);
        });
        // Every checkpoint is recorded as it is saved, through the execution the runner uses.
        const save = this.#execution.saveCheckpoint.bind(this.#execution);
        this.#execution.saveCheckpoint = (state) => {
            save(state);
            this.checkpoints.push((state ?? undefined));
            for (const waiter of this.#waiters.filter((w) => this.checkpoints.length >= w.count))
                waiter.resolve();
        };
        this.#execution.start();
        const retryBaseMs = options.retryBaseMs ?? 1000;
        this.outcome = this.#execution.settled.then((settlement) => this.decide(settlement, definition, attempt, retryBaseMs));
    }
    /** Fires the job's token with `reason`, as a SIGTERM (`shutdown`), a cancel or a timeout would. */
    abort(reason) {
        this.#execution.abort(reason);
    }
    /** The checkpoint the run started from: the one given, migrated, or undefined for a fresh start. */
    get resumedFrom() {
        return (this.#execution.resumedCheckpoint ?? undefined);
    }
    /** The checkpoint saved last, or the one the run started from. */
    get checkpoint() {
        return (this.#execution.currentState().checkpoint ?? undefined);
    }
    /** Resolves once the job has saved `count` checkpoints (the moment to abort it mid-way). */
    untilCheckpoint(count = 1) {
        if (this.checkpoints.length >= count)
            return Promise.resolve();
        return new Promise((resolve) => this.#waiters.push({ count, resolve }));
    }
    decide(settlement, definition, attempt, retryBaseMs) {
        const checkpoint = this.checkpoint;
        if (settlement.kind === 'resolved')
            return { state: 'succeeded', result: settlement.result, checkpoint };
        const { error } = settlement;
        const reason = this.#execution.abortReason;
        if (reason === 'shutdown')
            return { state: 'interrupted', error, checkpoint };
        if (reason === 'cancelled')
            return { state: 'cancelled', error, checkpoint };
        const decision = decideRetry(definition, attempt, error, {
            defaultBaseMs: retryBaseMs,
            onPolicyError: (policyError) => {
                throw policyError;
            },
        });
        if (decision.giveUp || attempt >= definition.defaults.maxAttempts)
            return { state: 'failed', error, checkpoint };
        return { state: 'retry', error, retryDelayMs: decision.delayMs, checkpoint };
    }
}
/**
 * Runs `definition` once with `options.payload`; see `TestJobRun` for what to read. Throws
 * `InvalidPayloadError` at once for a payload the job's schema refuses.
 */
export function testJob(definition, options) {
    return new TestJobRun(definition, options);
}
function testJobRow(definition, options, attempt) {
    const now = new Date().toISOString();
    return {
        id: options.jobId ?? '1',
        owner: 'test',
        type: definition.name,
        queue: definition.defaults.queue,
        state: 'running',
        payload: options.payload,
        priority: 0,
        attempts: attempt,
        maxAttempts: definition.defaults.maxAttempts,
        timeoutSeconds: options.timeoutSeconds === undefined ? definition.defaults.timeoutSeconds : options.timeoutSeconds,
        runAt: now,
        createdAt: now,
        startedAt: now,
        finishedAt: null,
        cancelRequested: false,
        cancelRequestedAt: null,
        cancelAcknowledgedAt: null,
        pauseRequested: false,
        checkpoint: (options.checkpoint ?? null),
        checkpointVersion: options.checkpointVersion ?? definition.checkpointVersion ?? 1,
        progress: null,
        result: null,
        error: null,
        interruptions: 0,
        maxInterruptions: definition.defaults.maxInterruptions,
        waitReason: null,
        retries: 0,
        replayOf: null,
        errors: [],
        concurrencyKey: options.concurrencyKey ?? null,
        expiresAt: null,
    };
}
function readLogLine(line) {
    const { level, msg, time: _time, pid: _pid, hostname: _hostname, ...fields } = JSON.parse(line);
    return { ...fields, level: LEVELS[level] ?? 'info', msg: typeof msg === 'string' ? msg : undefined };
}
//# sourceMappingURL=jobHarness.js.map