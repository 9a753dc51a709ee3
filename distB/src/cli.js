#!/usr/bin/env node
/**
 * The `job-runner` command (package.json `bin`, so `npx job-runner …`): run the service with an
 * app's own jobs (`start`), mint tokens, enqueue jobs,
 * follow, list, cancel, pause, resume, retry and replay them (one or in bulk), act on schedules, drain and resume an instance, migrate the database. Every command takes --help.
 * Exit codes: 0 done, 1 the job failed or was cancelled, 2 bad usage or configuration, 3 the
 * service refused or could not be reached.
 */
import { bulkCommand } from './cli/bulk.js';
import { commandHelp, CliError, EXIT, parseCommandArgs } from './cli/command.js';
import { drainCommand } from './cli/drain.js';
import { enqueueCommand } from './cli/enqueue.js';
import { cancelCommand, pauseCommand, replayCommand, resumeCommand, retryCommand } from './cli/jobActions.js';
import { listCommand } from './cli/list.js';
import { migrateCommand } from './cli/migrate.js';
import { schedulesCommand } from './cli/schedules.js';
import { startCommand } from './cli/start.js';
import { statusCommand } from './cli/status.js';
import { tokenCommand } from './cli/token.js';
import { typesCommand } from './cli/types.js';
const COMMANDS = [
    startCommand,
    tokenCommand,
    enqueueCommand,
    statusCommand,
    listCommand,
    cancelCommand,
    pauseCommand,
    retryCommand,
    replayCommand,
    bulkCommand,
    schedulesCommand,
    drainCommand,
    resumeCommand,
    migrateCommand,
    typesCommand,
];
function overview() {
    return [
        'job-runner: run a job-runner service and control it from the shell',
        '',
        'Usage: job-runner <command> [options]',
        '',
        'Commands:',
        ...COMMANDS.map((c) => `  ${c.name.padEnd(10)} ${c.summary}`),
        '',
        'Run `job-runner <command> --help` for its options. The service is found with --url,',
        'JOB_RUNNER_URL, or http://127.0.0.1:$PORT; the token with --token, JOB_RUNNER_TOKEN, or',
        'minted from JWT_SECRET (or the development secret in DATA_DIR).',
        '',
        'Exit codes: 0 done, 1 the job failed or was cancelled, 2 bad usage or configuration,',
        '3 the service refused the request or could not be reached.',
        '',
    ].join('\n');
}
async function runCli(argv, io) {
    const [name, ...rest] = argv;
    if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
        const topic = name === 'help' ? COMMANDS.find((c) => c.name === rest[0]) : undefined;
        io.stdout.write(topic ? commandHelp(topic) : overview());
        return name === undefined ? EXIT.usage : EXIT.ok;
    }
    const command = COMMANDS.find((c) => c.name === name);
    try {
        if (!command)
            throw new CliError(`unknown command ${JSON.stringify(name)}; commands: ${COMMANDS.map((c) => c.name).join(', ')} (see job-runner --help)`, EXIT.usage);
        const args = parseCommandArgs(command, rest);
        if (args.values.help) {
            io.stdout.write(commandHelp(command));
            return EXIT.ok;
        }
        return await command.run(args, io);
    }
    catch (error) {
        if (!(error instanceof CliError))
            throw error;
        io.stderr.write(`job-runner${command ? ` ${command.name}` : ''}: ${error.message}\n`);
        return error.exitCode;
    }
}
process.exitCode = await runCli(process.argv.slice(2), {
    env: process.env,
    stdout: process.stdout,
    stderr: process.stderr,
    stdin: process.stdin,
});
//# sourceMappingURL=cli.js.map