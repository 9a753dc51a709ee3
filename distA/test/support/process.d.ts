import type { Scope } from '../../src/auth/scopes.js';
import type { Database } from '../../src/db/database.js';
import type { DatabaseTarget, TestDatabase } from './databases.js';
/** The repository's root, whether this file runs from test/ or compiled into dist/test/. */
export declare const PROJECT_ROOT: string;
/**
 * How long after its grace deadline a stopped server may take to exit: the teardown after the
 * deadline (closing the database, the last log lines) plus the scheduling delay of a loaded machine
 * (two test files on two cores). The jobs these tests stop would run for minutes, so an exit at all
 * shows the deadline works; the margin bounds how late the exit may come.
 */
export declare const EXIT_MARGIN_MS = 4000;
export type LogRecord = Record<string, unknown> & {
    msg?: string;
    level?: number;
    time?: number;
};
/**
 * Milliseconds since the epoch that never jump: the wall clock at this process's start plus the
 * monotonic time since. A duration asserted against a budget (SIGTERM → exit) must not take in a
 * step of the wall clock: this machine's was seen to jump 6 s forward inside a 5 s test, which
 * "exited 11,334 ms after SIGTERM". Still comparable with the servers' log times (`time`, their
 * `Date.now()`) to within the clocks' drift since the start, which a filter by "after the signal" can take.
 */
export declare function monotonicNow(): number;
export interface ProcessExit {
    /** The exit code, or null when a signal ended the process. */
    readonly code: number | null;
    readonly signal: NodeJS.Signals | null;
    /** When the exit was seen, on `monotonicNow`'s clock. */
    readonly at: number;
}
export interface ServerProcess {
    readonly pid: number;
    /** `http://127.0.0.1:<port>`, from the `job-runner listening` line. */
    readonly url: string;
    /** Every JSON line the server wrote to stdout so far, parsed. */
    readonly logs: LogRecord[];
    /** Lines that were not JSON (stdout) and everything on stderr. */
    readonly rawOutput: string[];
    readonly exited: Promise<ProcessExit>;
    /** True until the exit has been seen. */
    readonly alive: boolean;
    /** Resolves with the first line (already written or to come) matching `predicate`. */
    waitForLog(predicate: (record: LogRecord) => boolean, options?: {
        timeoutMs?: number;
        description?: string;
    }): Promise<LogRecord>;
    /** Lines whose `msg` equals (string) or matches (RegExp) `message`. */
    logsMatching(message: string | RegExp): LogRecord[];
    /** Sends `signal`; returns when, on `monotonicNow`'s clock (subtract it from `exited`'s `at`). */
    kill(signal: NodeJS.Signals): number;
    token(options?: {
        sub?: string;
        scopes?: Scope[];
    }): Promise<string>;
    /** fetch against the server with a bearer token (default sub `alice`, every scope); `token: null` sends none. */
    request(path: string, init?: RequestInit & {
        sub?: string;
        scopes?: Scope[];
        token?: string | null;
    }): Promise<Response>;
    /** SIGKILLs the process if it still runs and waits for its exit: for after() hooks. */
    dispose(): Promise<void>;
}
export interface SpawnServerOptions {
    /** Safety net for start-up (a cold PGlite takes a few seconds on 2 cores). */
    startTimeoutMs?: number;
}
/** The Procfile's `web:` command, split into words: `['node', 'dist/src/main.js']`. */
export declare function procfileWebCommand(): string[];
/** Starts the server from the Procfile's web command against `database`; resolves once it listens. */
export declare function spawnServer(database: TestDatabase, env?: Record<string, string>, { startTimeoutMs }?: SpawnServerOptions): Promise<ServerProcess>;
/**
 * Opens the test database from this process (for PGlite only once no server holds DATA_DIR: after
 * its exit, or after a SIGKILL, whose stale lock is taken over), runs `use`, and closes it.
 */
export declare function withDatabase<T>(database: TestDatabase, use: (db: Database) => Promise<T>): Promise<T>;
/** The raw rows of job_runner_jobs, as the tests check them after an exit. */
export interface JobRowSummary {
    id: string;
    type: string;
    state: string;
    attempts: number;
    interruptions: number;
    checkpoint: Record<string, unknown> | null;
    result: Record<string, unknown> | null;
    lease_owner: string | null;
    lease_expires_at: Date | null;
}
export declare function readJobRows(database: TestDatabase): Promise<JobRowSummary[]>;
/** The job as GET /v1/jobs/{id} shows it, loosely typed for assertions. */
export interface ApiJob {
    id: string;
    type: string;
    queue: string;
    state: string;
    attempts: number;
    interruptions: number;
    checkpoint: Record<string, number> | null;
    result: Record<string, number> | null;
    error: string | null;
}
/** POST /v1/jobs; fails the test unless it answers 202. */
export declare function enqueueJob(server: ServerProcess, body: {
    type: string;
    payload: unknown;
    queue?: string;
    callback?: {
        url: string;
        events?: string[];
    };
}): Promise<ApiJob>;
/**
 * Long-polls GET /v1/jobs/{id}?wait= (with If-None-Match) until `predicate` holds; no sleeps. The
 * timeout is a safety net only.
 */
export declare function waitForJob(server: ServerProcess, id: string, predicate: (job: ApiJob) => boolean, { timeoutMs, description }?: {
    timeoutMs?: number | undefined;
    description?: string | undefined;
}): Promise<ApiJob>;
/**
 * Sends one keep-alive HTTP/1.1 request on a raw socket and reports what came back and whether the
 * server then closed the connection (as `Connection: close` promises) within `timeoutMs`.
 */
export declare function keepAliveRequest(url: string, urlPath: string, { timeoutMs }?: {
    timeoutMs?: number | undefined;
}): Promise<{
    response: string;
    closedByServer: boolean;
}>;
/**
 * The servers and databases of one describe block: every server a test spawns is disposed after
 * that test, every database after the block. Call it inside the describe.
 */
export declare function processFixture(target: DatabaseTarget): {
    spawn: (database: TestDatabase, env?: Record<string, string>) => Promise<ServerProcess>;
    createDatabase: () => Promise<TestDatabase>;
};
