/**
 * Start-up failures an operator can act on: each names the variable to change (`DATABASE_URL`,
 * `PORT`, `DATA_DIR`, …) in one sentence, and `main`, the release command and `job-runner migrate`
 * print that sentence instead of a stack trace.
 */
export declare class StartupError extends Error {
    /** The environment variable to look at, when one is to blame. */
    readonly variable: string | undefined;
    name: string;
    /** 1 by default; 2 when the configuration itself is unusable (README "Exit codes"). */
    readonly exitCode: number;
    constructor(
    /** The environment variable to look at, when one is to blame. */
    variable: string | undefined, message: string, { cause, exitCode }?: {
        cause?: unknown;
        exitCode?: number;
    });
}
/** Start-up was stopped by SIGINT or SIGTERM before the service existed. */
export declare class StartAbortedError extends Error {
    readonly reason: unknown;
    name: string;
    constructor(reason: unknown);
}
/** Throws `StartAbortedError` once `signal` has aborted (`throwIfAborted` would throw the bare reason). */
export declare function throwIfStartAborted(signal: AbortSignal | undefined): void;
/**
 * Settles like `work`, unless `signal` aborts first: then rejects with `StartAbortedError` at once,
 * and whatever `work` opens later is handed to `discard` so nothing is left open behind us.
 */
export declare function abortable<T>(work: Promise<T>, signal: AbortSignal | undefined, discard?: (late: T) => unknown): Promise<T>;
