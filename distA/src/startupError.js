/**
 * Start-up failures an operator can act on: each names the variable to change (`DATABASE_URL`,
 * `PORT`, `DATA_DIR`, …) in one sentence, and `main`, the release command and `job-runner migrate`
 * print that sentence instead of a stack trace.
 */
export class StartupError extends Error {
    variable;
    name = 'StartupError';
    /** 1 by default; 2 when the configuration itself is unusable (README "Exit codes"). */
    exitCode;
    constructor(
    /** The environment variable to look at, when one is to blame. */
    variable, message, { cause, exitCode = 1 } = {}) {
        super(message, cause === undefined ? undefined : { cause });
        this.variable = variable;
        this.exitCode = exitCode;
    }
}
/** Start-up was stopped by SIGINT or SIGTERM before the service existed. */
export class StartAbortedError extends Error {
    reason;
    name = 'StartAbortedError';
    constructor(reason) {
        super(`start-up aborted by ${String(reason)}`);
        this.reason = reason;
    }
}
/** Throws `StartAbortedError` once `signal` has aborted (`throwIfAborted` would throw the bare reason). */
export function throwIfStartAborted(signal) {
    if (signal?.aborted)
        throw new StartAbortedError(signal.reason);
}
/**
 * Settles like `work`, unless `signal` aborts first: then rejects with `StartAbortedError` at once,
 * and whatever `work` opens later is handed to `discard` so nothing is left open behind us.
 */
export function abortable(work, signal, discard) {
    if (!signal)
        return work;
    if (signal.aborted) {
        void work.then((late) => discard?.(late), () => { });
        return Promise.reject(new StartAbortedError(signal.reason));
    }
    return new Promise((resolve, reject) => {
        const onAbort = () => {
            void work.then((late) => discard?.(late), () => { });
            reject(new StartAbortedError(signal.reason));
        };
        signal.addEventListener('abort', onAbort, { once: true });
        work.then((value) => {
            signal.removeEventListener('abort', onAbort);
            if (signal.aborted)
                return;
            resolve(value);
        }, (error) => {
            signal.removeEventListener('abort', onAbort);
            reject(error);
        });
    });
}
//# sourceMappingURL=startupError.js.map