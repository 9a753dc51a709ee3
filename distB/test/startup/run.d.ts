/**
 * Runs one of the compiled commands (`dist/src/main.js`, the release command, the CLI) with a clean
 * environment and collects what it wrote, for the start-up failure tests. Unlike `spawnServer`,
 * nothing is expected to listen: these processes are meant to stop, and the tests time them.
 */
import { type ChildProcess } from 'node:child_process';
export interface Finished {
    readonly code: number | null;
    readonly signal: NodeJS.Signals | null;
    readonly stdout: string;
    readonly stderr: string;
    /** Milliseconds from spawn to exit. */
    readonly elapsedMs: number;
}
export interface Running {
    readonly child: ChildProcess;
    readonly finished: Promise<Finished>;
}
/** Starts `node <script> ...args` in the project with only `env` (plus PATH and HOME). */
export declare function runCompiled(script: string, args: readonly string[], env: Record<string, string | undefined>): Running;
/**
 * A loopback TCP listener that accepts every connection and never answers: a database host whose
 * packets vanish, as far as a client can tell, without aiming at any other address. `connected`
 * resolves at the first accepted connection; `closed` when a client has closed all it opened.
 */
export declare function silentListener(): Promise<{
    port: number;
    connected: Promise<void>;
    openSockets: () => number;
    allClosed: () => Promise<void>;
    close: () => Promise<void>;
}>;
/** The non-empty lines of `text`. */
export declare function linesOf(text: string): string[];
