/**
 * The CLI as a function: `argv` (without node and the script) in, an exit code out, and all its
 * input and output through `io`. The bin (src/cli.ts) calls it with the process's own streams; the
 * CLI's tests call it in-process too, with streams of their own, where a spawned process per case
 * would add only node's start-up (a third of a CPU-second each).
 */
import { bulkCommand } from './bulk.js'
import { commandHelp, CliError, EXIT, parseCommandArgs, type Command, type CommandIo } from './command.js'
import { drainCommand } from './drain.js'
import { enqueueCommand } from './enqueue.js'
import { cancelCommand, pauseCommand, replayCommand, resumeCommand, retryCommand } from './jobActions.js'
import { listCommand } from './list.js'
import { migrateCommand } from './migrate.js'
import { schedulesCommand } from './schedules.js'
import { startCommand } from './start.js'
import { statusCommand } from './status.js'
import { tokenCommand } from './token.js'
import { typesCommand } from './types.js'

const COMMANDS: readonly Command[] = [
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
]

function overview(): string {
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
  ].join('\n')
}

export async function runCli(argv: readonly string[], io: CommandIo): Promise<number> {
  const [name, ...rest] = argv
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    const topic = name === 'help' ? COMMANDS.find((c) => c.name === rest[0]) : undefined
    io.stdout.write(topic ? commandHelp(topic) : overview())
    return name === undefined ? EXIT.usage : EXIT.ok
  }
  const command = COMMANDS.find((c) => c.name === name)
  try {
    if (!command)
      throw new CliError(
        `unknown command ${JSON.stringify(name)}; commands: ${COMMANDS.map((c) => c.name).join(', ')} (see job-runner --help)`,
        EXIT.usage,
      )
    const args = parseCommandArgs(command, rest)
    if (args.values.help) {
      io.stdout.write(commandHelp(command))
      return EXIT.ok
    }
    return await command.run(args, io)
  } catch (error) {
    if (!(error instanceof CliError)) throw error
    io.stderr.write(`job-runner${command ? ` ${command.name}` : ''}: ${error.message}\n`)
    return error.exitCode
  }
}
