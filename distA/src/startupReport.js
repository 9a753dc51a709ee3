/**
 * How `main` and the release command report a start-up failure: one sentence naming what to fix,
 * as human text on a terminal and as one JSON line otherwise (a log shipper reads it as one
 * record), on stderr, and the exit code that goes with it. README's "Exit codes" lists them.
 */
import { ConfigError } from './config.js';
import { StartAbortedError, StartupError } from './startupError.js';
/** 0 a clean stop, 1 a start-up or run-time failure, 2 a bad or unusable configuration value. */
export const EXIT_CODE = { ok: 0, failure: 1, configuration: 2 };
/** The sentence and exit code for `error`, or undefined for an unforeseen error (whose stack is worth a log line). */
export function describeStartupFailure(error) {
    if (error instanceof ConfigError) {
        return { message: error.message, exitCode: EXIT_CODE.configuration, variable: error.variable };
    }
    // DataDirLockedError (exit 2) and JobFileError (with `files`) are StartupErrors too.
    if (error instanceof StartupError) {
        const { files } = error;
        const named = { ...(error.variable ? { variable: error.variable } : {}), ...(files ? { files } : {}) };
        return { message: error.message, exitCode: error.exitCode, ...named };
    }
    if (error instanceof StartAbortedError)
        return { message: error.message, exitCode: EXIT_CODE.ok };
    return undefined;
}
/** Writes `failure` for `action` (`start`, `migrate`): text on a TTY, one JSON line otherwise. */
export function reportStartupFailure(failure, action, stream = process.stderr) {
    const stopped = failure.exitCode === EXIT_CODE.ok;
    const text = stopped ? `job-runner: ${failure.message}` : `job-runner cannot ${action}: ${failure.message}`;
    if (stream.isTTY) {
        stream.write(`${text}\n`);
        return;
    }
    const { message: _message, ...fields } = failure;
    // pino's shape (numeric level, time, pid, msg), so the line reads like the service's own logs.
    const level = failure.exitCode === EXIT_CODE.ok ? 30 : 60;
    stream.write(`${JSON.stringify({ level, time: Date.now(), pid: process.pid, msg: text, ...fields })}\n`);
}
//# sourceMappingURL=startupReport.js.map