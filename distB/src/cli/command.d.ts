/**
 * What every CLI command shares: its definition (name, usage, options), argument parsing with
 * node:util's parseArgs, and one error type whose exit code tells a script what went wrong.
 *
 *   0  done (the job succeeded, the drain completed, …)
 *   1  the job failed or was cancelled
 *   2  bad usage or configuration
 *   3  the service refused the request or could not be reached
 */
import { type ParseArgsConfig } from 'node:util';
export declare const EXIT: {
    readonly ok: 0;
    readonly jobFailed: 1;
    readonly usage: 2;
    readonly service: 3;
};
export declare class CliError extends Error {
    readonly exitCode: number;
    name: string;
    constructor(message: string, exitCode?: number);
}
export type OptionSpec = NonNullable<ParseArgsConfig['options']>[string] & {
    description: string;
    valueName?: string;
};
export interface CommandIo {
    readonly env: Readonly<Record<string, string | undefined>>;
    readonly stdout: NodeJS.WritableStream & {
        isTTY?: boolean;
    };
    readonly stderr: NodeJS.WritableStream & {
        isTTY?: boolean;
    };
    readonly stdin: NodeJS.ReadableStream;
}
export interface Command {
    readonly name: string;
    readonly summary: string;
    /** The synopsis after `job-runner <name>`, e.g. `TYPE [PAYLOAD]`. */
    readonly synopsis: string;
    readonly description: string;
    readonly options: Record<string, OptionSpec>;
    readonly examples?: readonly string[];
    run(args: ParsedArgs, io: CommandIo): Promise<number>;
}
export interface ParsedArgs {
    values: Record<string, string | boolean | string[] | undefined>;
    positionals: string[];
}
export declare const HELP_OPTION: Record<string, OptionSpec>;
/** Parses `argv` for `command`; an unknown option or a missing value is a usage error naming the command. */
export declare function parseCommandArgs(command: Command, argv: readonly string[]): ParsedArgs;
export declare function commandHelp(command: Command): string;
/** A string option as a positive number, or a usage error that names it. */
export declare function numberOption(args: ParsedArgs, name: string, { min, integer }?: {
    min?: number;
    integer?: boolean;
}): number | undefined;
export declare function stringOption(args: ParsedArgs, name: string): string | undefined;
