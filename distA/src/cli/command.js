/**
 * What every CLI command shares: its definition (name, usage, options), argument parsing with
 * node:util's parseArgs, and one error type whose exit code tells a script what went wrong.
 *
 *   0  done (the job succeeded, the drain completed, …)
 *   1  the job failed or was cancelled
 *   2  bad usage or configuration
 *   3  the service refused the request or could not be reached
 */
import { parseArgs } from 'node:util';
export const EXIT = { ok: 0, jobFailed: 1, usage: 2, service: 3 };
export class CliError extends Error {
    exitCode;
    name = 'CliError';
    constructor(message, exitCode = EXIT.service) {
        super(message);
        this.exitCode = exitCode;
    }
}
export const HELP_OPTION = {
    help: { type: 'boolean', short: 'h', description: 'show this help' },
};
/** Parses `argv` for `command`; an unknown option or a missing value is a usage error naming the command. */
export function parseCommandArgs(command, argv) {
    const options = Object.fromEntries(Object.entries({ ...command.options, ...HELP_OPTION }).map(([name, { description: _d, valueName: _v, ...spec }]) => [name, spec]));
    try {
        const { values, positionals } = parseArgs({ args: [...argv], options, allowPositionals: true, strict: true });
        return { values: values, positionals };
    }
    catch (error) {
        throw new CliError(`${error.message.split('\n')[0]}\nsee: job-runner ${command.name} --help`, EXIT.usage);
    }
}
export function commandHelp(command) {
    const options = Object.entries({ ...command.options, ...HELP_OPTION }).map(([name, spec]) => {
        const flag = `${spec.short ? `-${spec.short}, ` : '    '}--${name}${spec.type === 'string' ? ` ${spec.valueName ?? name.toUpperCase()}` : ''}`;
        return `  ${flag.padEnd(30)} ${spec.description}`;
    });
    return [
        `job-runner ${command.name}${command.synopsis ? ` ${command.synopsis}` : ''}`,
        '',
        `  ${command.description.split('\n').join('\n  ')}`,
        '',
        'Options:',
        ...options,
        ...(command.examples?.length ? ['', 'Examples:', ...command.examples.map((e) => `  ${e}`)] : []),
        '',
    ].join('\n');
}
/** A string option as a positive number, or a usage error that names it. */
export function numberOption(args, name, { min = 0, integer = false } = {}) {
    const raw = args.values[name];
    if (raw === undefined)
        return undefined;
    const value = Number(raw);
    if (typeof raw !== 'string' ||
        raw.trim() === '' ||
        !Number.isFinite(value) ||
        value < min ||
        (integer && !Number.isInteger(value))) {
        throw new CliError(`--${name} must be ${integer ? 'an integer' : 'a number'} of at least ${min}, not ${JSON.stringify(raw)}`, EXIT.usage);
    }
    return value;
}
export function stringOption(args, name) {
    const raw = args.values[name];
    return typeof raw === 'string' ? raw : undefined;
}
//# sourceMappingURL=command.js.map