/** `job-runner drain` and `job-runner resume`: an HTTP drain of one instance, and its undoing. */
import { setTimeout as sleep } from 'node:timers/promises'
import { ApiClient, CLIENT_OPTIONS } from './client.js'
import { CliError, EXIT, numberOption, type Command } from './command.js'

interface InstanceStatus {
  state: string
  runningJobs: number
  instanceId: string
}

const POLL_MS = 200

export const drainCommand: Command = {
  name: 'drain',
  summary: 'drain an instance: stop claiming, checkpoint and requeue its running jobs',
  synopsis: '[--wait [--timeout SECONDS]]',
  description:
    'Asks the instance at --url to drain: it stops claiming and accepting jobs, aborts the running\n' +
    'ones with reason "shutdown", writes their checkpoints and requeues them for other instances.\n' +
    'The process keeps running; `job-runner resume` undoes it. Needs the admin scope.',
  options: {
    wait: { type: 'boolean', short: 'w', description: 'wait until the instance reports "drained"' },
    timeout: {
      type: 'string',
      description: 'give up waiting after this many seconds (default 60)',
      valueName: 'SECONDS',
    },
    ...CLIENT_OPTIONS,
  },
  examples: ['npx job-runner drain --wait --url http://10.0.0.7:3000'],
  async run(args, io) {
    if (args.positionals.length > 0)
      throw new CliError('drain takes no arguments; see job-runner drain --help', EXIT.usage)
    const timeoutSeconds = numberOption(args, 'timeout', { min: 0 }) ?? 60
    const client = ApiClient.fromArgs(args, io)
    const { body } = await client.request<{ state: string; runningJobs: number }>('POST', '/v1/admin/drain')
    io.stderr.write(`${body.state}: ${body.runningJobs} running job(s) being checkpointed and requeued\n`)
    if (!args.values.wait) {
      io.stdout.write(`${body.state}\n`)
      return EXIT.ok
    }
    const deadline = Date.now() + timeoutSeconds * 1000
    for (;;) {
      const { body: status } = await client.request<InstanceStatus>('GET', '/v1/admin/status')
      if (status.state !== 'draining') {
        io.stdout.write(`${status.state}\n`)
        return status.state === 'drained' ? EXIT.ok : EXIT.service
      }
      if (Date.now() > deadline)
        throw new CliError(
          `still draining after ${timeoutSeconds} s (${status.runningJobs} job(s) running)`,
          EXIT.service,
        )
      await sleep(POLL_MS)
    }
  },
}

export const resumeCommand: Command = {
  name: 'resume',
  summary: 'undo a drain: the instance claims and accepts jobs again',
  synopsis: '',
  description: 'Resumes an instance drained over HTTP (a SIGTERM shutdown cannot be resumed). Needs the admin scope.',
  options: { ...CLIENT_OPTIONS },
  async run(args, io) {
    if (args.positionals.length > 0)
      throw new CliError('resume takes no arguments; see job-runner resume --help', EXIT.usage)
    const { body } = await ApiClient.fromArgs(args, io).request<{ state: string }>('POST', '/v1/admin/resume')
    io.stdout.write(`${body.state}\n`)
    return EXIT.ok
  },
}
