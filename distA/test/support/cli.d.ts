/**
 * Runs the `job-runner` CLI for real, as its users do: the package bin, `dist/src/cli.js`, built by
 * `npm test`'s pretest (tsx would add a third of a second of compile-and-load to each of the
 * suite's hundred-odd runs). The environment is a bare shell's: none of this machine's job-runner
 * settings leak in.
 */
import { type ChildProcessWithoutNullStreams } from 'node:child_process';
export interface CliRun {
    code: number | null;
    stdout: string;
    stderr: string;
}
/** The compiled bin, or an error saying how to build it. */
export declare function cliPath(): string;
/** The environment of a bare shell plus `extra`. */
export declare function cleanEnv(extra?: Record<string, string>): Record<string, string>;
/** Starts a CLI run; `done` resolves when it exits, `stderrSoFar` reads what it printed until now. */
export declare function startCli(args: readonly string[], env?: Record<string, string>, stdin?: string): {
    child: ChildProcessWithoutNullStreams;
    done: Promise<CliRun>;
    stderrSoFar: () => string;
};
/** Runs the CLI to its exit. */
export declare function cli(args: readonly string[], env?: Record<string, string>, stdin?: string): Promise<CliRun>;
