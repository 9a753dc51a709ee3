import { ApiClient, CLIENT_OPTIONS } from './client.js';
import { CliError, EXIT, stringOption } from './command.js';
import { resumeCommand as resumeInstanceCommand } from './drain.js';
import { describeJob } from './follow.js';
const JSON_OPTION = {
    json: { type: 'boolean', description: 'print the job as JSON on stdout' },
};
function jobId(command, args) {
    const [id, ...extra] = args.positionals;
    if (id === undefined || extra.length > 0) {
        throw new CliError(`${command} takes one job ID; see job-runner ${command} --help`, EXIT.usage);
    }
    if (!/^[0-9]+$/.test(id))
        throw new CliError(`job IDs are numbers, not ${JSON.stringify(id)}`, EXIT.usage);
    return id;
}
function runAtOption(args) {
    const runAt = stringOption(args, 'run-at');
    if (runAt === undefined)
        return {};
    if (Number.isNaN(Date.parse(runAt))) {
        throw new CliError(`--run-at must be an ISO 8601 time, not ${JSON.stringify(runAt)}`, EXIT.usage);
    }
    return { runAt: new Date(runAt).toISOString() };
}
function print(job, args, io) {
    io.stdout.write(args.values.json ? `${JSON.stringify(job, null, 2)}\n` : describeJob(job));
    return EXIT.ok;
}
export const cancelCommand = {
    name: 'cancel',
    summary: 'cancel a job (a running one is told to stop)',
    synopsis: 'ID [--json]',
    description: 'A queued job is cancelled at once; a running one has its token aborted with reason `cancelled`.\n' +
        'A succeeded or failed job cannot be cancelled (exit 3).',
    options: { ...JSON_OPTION, ...CLIENT_OPTIONS },
    examples: ['npx job-runner cancel 42'],
    async run(args, io) {
        const id = jobId('cancel', args);
        const { body } = await ApiClient.fromArgs(args, io).request('POST', `/v1/jobs/${id}/cancel`);
        return print(body, args, io);
    },
};
export const pauseCommand = {
    name: 'pause',
    summary: 'pause a job (a running one stops with its checkpoint written)',
    synopsis: 'ID [--json]',
    description: 'A queued job is paused at once; a running one has its token aborted with reason `paused` on\n' +
        'whichever instance runs it, its checkpoint written, then it is paused (no attempt used).\n' +
        '`job-runner resume ID` queues it again. A finished job cannot be paused (exit 3, naming its state).',
    options: { ...JSON_OPTION, ...CLIENT_OPTIONS },
    examples: ['npx job-runner pause 42'],
    async run(args, io) {
        const id = jobId('pause', args);
        const { body: job } = await ApiClient.fromArgs(args, io).request('POST', `/v1/jobs/${id}/pause`);
        if (job.state !== 'paused')
            io.stderr.write(`pause requested: job ${job.id} stops at its next check\n`);
        return print(job, args, io);
    },
};
export const resumeCommand = {
    name: 'resume',
    summary: 'resume a paused job (ID), or undo a drain of the instance (no ID)',
    synopsis: '[ID] [--json]',
    description: 'With a job ID: a paused job is queued again and resumes from its checkpoint on any instance.\n' +
        'Without one: ' +
        resumeInstanceCommand.description,
    options: { ...JSON_OPTION, ...CLIENT_OPTIONS },
    examples: ['npx job-runner resume 42', 'npx job-runner resume'],
    async run(args, io) {
        if (args.positionals.length === 0)
            return resumeInstanceCommand.run(args, io);
        const id = jobId('resume', args);
        const { body: job } = await ApiClient.fromArgs(args, io).request('POST', `/v1/jobs/${id}/resume`);
        return print(job, args, io);
    },
};
export const retryCommand = {
    name: 'retry',
    summary: 'send a failed or cancelled job back to the queue',
    synopsis: 'ID [--from start] [--run-at TIME] [--json]',
    description: 'Queues the job again with its attempts reset. It resumes from its last checkpoint unless\n' +
        '--from start clears it. Any other state is refused (exit 3, naming the state).',
    options: {
        from: { type: 'string', description: '"checkpoint" (default) or "start"', valueName: 'WHERE' },
        'run-at': { type: 'string', description: 'not before this ISO 8601 time', valueName: 'TIME' },
        ...JSON_OPTION,
        ...CLIENT_OPTIONS,
    },
    examples: ['npx job-runner retry 42', 'npx job-runner retry 42 --from start'],
    async run(args, io) {
        const id = jobId('retry', args);
        const from = stringOption(args, 'from');
        if (from !== undefined && from !== 'checkpoint' && from !== 'start') {
            throw new CliError(`--from must be "checkpoint" or "start", not ${JSON.stringify(from)}`, EXIT.usage);
        }
        const body = { ...(from === undefined ? {} : { from }), ...runAtOption(args) };
        const { body: job } = await ApiClient.fromArgs(args, io).request('POST', `/v1/jobs/${id}/retry`, { body });
        io.stderr.write(`retried: job ${job.id} is queued again (retry ${job.retries})\n`);
        return print(job, args, io);
    },
};
export const replayCommand = {
    name: 'replay',
    summary: 'enqueue a copy of a job (same type, payload and options)',
    synopsis: 'ID [--queue Q] [--run-at TIME] [--json]',
    description: "Stores a new job copying job ID, with replayOf naming it, and prints the new job's id on stdout\n" +
        '(the whole job with --json).',
    options: {
        queue: { type: 'string', short: 'q', description: "another queue (default: the original's)", valueName: 'QUEUE' },
        'run-at': { type: 'string', description: 'not before this ISO 8601 time', valueName: 'TIME' },
        ...JSON_OPTION,
        ...CLIENT_OPTIONS,
    },
    examples: ['npx job-runner replay 42', 'npx job-runner status "$(npx job-runner replay 42)" --wait'],
    async run(args, io) {
        const id = jobId('replay', args);
        const queue = stringOption(args, 'queue');
        const body = { ...(queue === undefined ? {} : { queue }), ...runAtOption(args) };
        const { body: job } = await ApiClient.fromArgs(args, io).request('POST', `/v1/jobs/${id}/replay`, { body });
        io.stderr.write(`replayed: job ${id} as job ${job.id} (${job.type}, queue ${job.queue})\n`);
        io.stdout.write(args.values.json ? `${JSON.stringify(job, null, 2)}\n` : `${job.id}\n`);
        return EXIT.ok;
    },
};
//# sourceMappingURL=jobActions.js.map