/** 0 a clean stop, 1 a start-up or run-time failure, 2 a bad or unusable configuration value. */
export declare const EXIT_CODE: {
    readonly ok: 0;
    readonly failure: 1;
    readonly configuration: 2;
};
export interface StartupFailure {
    readonly message: string;
    readonly exitCode: number;
    /** The environment variable to change, when one is to blame. */
    readonly variable?: string;
    /** The job files to fix, for a broken job file. */
    readonly files?: readonly string[];
}
/** The sentence and exit code for `error`, or undefined for an unforeseen error (whose stack is worth a log line). */
export declare function describeStartupFailure(error: unknown): StartupFailure | undefined;
/** Writes `failure` for `action` (`start`, `migrate`): text on a TTY, one JSON line otherwise. */
export declare function reportStartupFailure(failure: StartupFailure, action: string, stream?: NodeJS.WriteStream): void;
