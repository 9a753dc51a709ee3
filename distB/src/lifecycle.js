import { TypedEmitter } from './runner/events.js';
import { coerceError } from './log.js';
import { sharedAbortController } from './support/sharedAbortController.js';
import { withTimeout } from './support/withTimeout.js';
const EMPTY_REPORT = { released: [], interrupted: [], abandoned: [], unwritten: [] };
export class Lifecycle {
    options;
    events = new TypedEmitter();
    current = 'running';
    commands = [];
    busy = false;
    /** The drain that the next resume undoes; a second drain meanwhile answers with it. */
    drainInEffect;
    stopping;
    lastStopRecord;
    /** Aborted when the shutdown begins: long-polls and other waits end early on it. */
    shutdownController = sharedAbortController();
    startedAt = new Date();
    constructor(options) {
        this.options = options;
    }
    get state() {
        return this.current;
    }
    /** The last drain or shutdown, under way or done; undefined before the first. */
    get lastStop() {
        return this.lastStopRecord;
    }
    get shutdownSignal() {
        return this.shutdownController.signal;
    }
    /** Job routes take work only while running. */
    mayAccept() {
        return this.current === 'running';
    }
    /** False from the moment a shutdown is asked, even while a resume is still starting the runner. */
    mayClaim() {
        return this.current === 'running' && this.stopping === undefined;
    }
    /** During a shutdown every request but `/livez` is refused. */
    isShuttingDown() {
        return this.stopping !== undefined;
    }
    /** Queues a drain; `draining` begins at once when nothing runs before it. Settles when the drain is complete. */
    drain(cause = 'http drain') {
        if (this.isShuttingDown())
            return Promise.resolve(EMPTY_REPORT);
        return (this.drainInEffect ??= this.enqueue(EMPTY_REPORT, async () => {
            if (this.current !== 'running')
                return EMPTY_REPORT;
            this.transition('draining', cause);
            const record = this.beginStopRecord('drain', cause);
            const report = await this.options.runner.stop({ graceMs: this.options.shutdownGraceMs });
            this.endStopRecord(record, report);
            if (this.state === 'draining')
                this.transition('drained', 'runner stopped');
            return report;
        }));
    }
    /** Queues the undoing of a drain (never of a shutdown); resolves with the state it left. */
    resume(cause = 'http resume') {
        if (this.isShuttingDown())
            return Promise.resolve(this.current);
        // A drain asked after this resume runs after it, instead of answering with the drain before it.
        this.drainInEffect = undefined;
        return this.enqueue(undefined, async () => {
            if (this.current !== 'drained')
                return;
            await this.options.runner.start();
            // A shutdown asked while the runner started has stopped (or is stopping) that generation.
            if (this.isShuttingDown())
                return;
            this.transition('running', cause);
        }).then(() => this.current);
    }
    /**
     * Stops within the grace budget and exits. Calling it again returns the same promise.
     * `failed` (a crash) exits non-zero after the same careful stop, so the platform sees a failure.
     */
    shutdown(cause, { failed = false } = {}) {
        return (this.stopping ??= this.stop(cause, failed));
    }
    /** Runs `command` after those before it; a shutdown answers it with `skipped` instead. */
    enqueue(skipped, command) {
        return new Promise((resolve, reject) => {
            this.commands.push({ run: () => command().then(resolve, reject), skip: () => resolve(skipped) });
            if (!this.busy)
                this.runNext();
        });
    }
    runNext() {
        const command = this.commands.shift();
        this.busy = command !== undefined;
        if (!command)
            return;
        // Called synchronously when the queue was idle: the command's first state change is visible at once.
        void command.run().finally(() => this.runNext());
    }
    async stop(cause, failed) {
        const { runner, log, shutdownGraceMs, closeResources, exit } = this.options;
        const deadline = Date.now() + shutdownGraceMs;
        for (const command of this.commands.splice(0))
            command.skip();
        this.transition('stopping', cause);
        this.shutdownController.abort('shutdown');
        // A last guard: whatever hangs, the process is gone before the platform's kill timer.
        const guard = setTimeout(() => {
            log.error({ graceMs: shutdownGraceMs }, 'shutdown did not finish inside the grace budget: exiting now');
            exit?.(1);
        }, Math.max(0, shutdownGraceMs - 50));
        guard.unref();
        // Keeps back time for closing the server and the database after the runner has stopped.
        const closeReserveMs = Math.min(1500, shutdownGraceMs * 0.15);
        let report = EMPTY_REPORT;
        let exitCode = failed ? 1 : 0;
        const record = this.beginStopRecord('shutdown', cause);
        try {
            // A drain in progress is the same stop of the same generation: its deadline comes forward to this one.
            report = await runner.stop({ graceMs: Math.max(0, deadline - closeReserveMs - Date.now()) });
            this.endStopRecord(record, report);
            log.info({
                released: report.released.length,
                interrupted: report.interrupted.length,
                abandoned: report.abandoned,
                unwritten: report.unwritten,
            }, 'runner stopped');
            await withTimeout(closeResources?.(Math.max(0, deadline - Date.now() - 100)) ?? Promise.resolve(), Math.max(0, deadline - Date.now() - 50));
        }
        catch (error) {
            exitCode = 1;
            log.error({ err: coerceError(error) }, 'shutdown step failed');
        }
        clearTimeout(guard);
        this.transition('exited', 'shutdown complete');
        log.info({ exitCode, elapsedMs: shutdownGraceMs - (deadline - Date.now()) }, 'exiting');
        this.events.emit('lifecycle:stopped', { report, exitCode });
        exit?.(exitCode);
    }
    beginStopRecord(kind, cause) {
        const record = { kind, cause, startedAt: new Date().toISOString(), finishedAt: null, ...EMPTY_REPORT };
        this.lastStopRecord = record;
        return record;
    }
    endStopRecord(record, report) {
        Object.assign(record, {
            finishedAt: new Date().toISOString(),
            released: [...report.released],
            interrupted: [...report.interrupted],
            abandoned: [...report.abandoned],
            unwritten: [...report.unwritten],
        });
    }
    transition(next, cause) {
        const previous = this.current;
        if (previous === next || previous === 'exited' || (previous === 'stopping' && next !== 'exited'))
            return;
        this.current = next;
        this.options.log.info({ state: next, previous, cause }, `lifecycle: ${previous} → ${next}`);
        this.events.emit('lifecycle:state', { state: next, previous, cause });
    }
}
//# sourceMappingURL=lifecycle.js.map