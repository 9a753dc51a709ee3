/**
 * `job-runner drain` and `job-runner resume`: an HTTP drain of one instance, and its undoing. With
 * `--wait SECONDS` the drain is one held call (`POST /v1/admin/drain?wait=N`, answered when the
 * instance is drained or at the deadline) instead of a loop on `/v1/admin/status`; a wait longer
 * than the server holds one call (60 s) is a few such calls, each asking the same drain again.
 */
import { ApiClient, CLIENT_OPTIONS } from './client.js';
import { CliError, EXIT, numberOption } from './command.js';
/** The most seconds the server holds one drain call (routes/admin.ts). */
const MAX_WAIT_PER_CALL_SECONDS = 60;
export const drainCommand = {
    name: 'drain',
    summary: 'drain an instance: stop claiming, checkpoint and requeue its running jobs',
    synopsis: '[--wait SECONDS]',
    description: 'Asks the instance at --url to drain: it stops claiming and accepting jobs, aborts the running\n' +
        'ones with reason "shutdown", writes their checkpoints and requeues them for other instances.\n' +
        'The process keeps running; `job-runner resume` undoes it. Needs the admin scope.\n' +
        'With --wait the command answers when the instance is drained (exit 0, prints "drained"), or\n' +
        'after SECONDS with jobs still running (exit 3, prints "draining" and their ids on stderr).',
    options: {
        wait: {
            type: 'string',
            short: 'w',
            description: 'wait up to this many seconds for the instance to be drained',
            valueName: 'SECONDS',
        },
        ...CLIENT_OPTIONS,
    },
    examples: ['npx job-runner drain --wait 25 --url http://10.0.0.7:3000'],
    async run(args, io) {
        if (args.positionals.length > 0)
            throw new CliError('drain takes no arguments; see job-runner drain --help', EXIT.usage);
        const waitSeconds = numberOption(args, 'wait', { min: 0, integer: true }) ?? 0;
        const client = ApiClient.fromArgs(args, io);
        const deadline = Date.now() + waitSeconds * 1000;
        let answer = await drainCall(client, Math.min(waitSeconds, MAX_WAIT_PER_CALL_SECONDS));
        if (waitSeconds === 0) {
            io.stderr.write(`${answer.state}: ${answer.runningJobs} running job(s) being checkpointed and requeued\n`);
            io.stdout.write(`${answer.state}\n`);
            return EXIT.ok;
        }
        // The server answers at the end of its own wait: ask again while time is left.
        for (;;) {
            const leftSeconds = Math.floor((deadline - Date.now()) / 1000);
            if (answer.state === 'drained' || leftSeconds <= 0)
                break;
            answer = await drainCall(client, Math.min(leftSeconds, MAX_WAIT_PER_CALL_SECONDS));
        }
        io.stdout.write(`${answer.state}\n`);
        if (answer.state === 'drained')
            return EXIT.ok;
        const ids = answer.runningJobIds?.length ? `: ${answer.runningJobIds.join(', ')}` : '';
        io.stderr.write(`still draining after ${waitSeconds} s, ${answer.runningJobs} job(s) running${ids}\n`);
        return EXIT.service;
    },
};
async function drainCall(client, waitSeconds) {
    const query = waitSeconds > 0 ? `?wait=${waitSeconds}` : '';
    const { body } = await client.request('POST', `/v1/admin/drain${query}`);
    return body;
}
export const resumeCommand = {
    name: 'resume',
    summary: 'undo a drain: the instance claims and accepts jobs again',
    synopsis: '',
    description: 'Resumes an instance drained over HTTP (a SIGTERM shutdown cannot be resumed). Needs the admin scope.',
    options: { ...CLIENT_OPTIONS },
    async run(args, io) {
        if (args.positionals.length > 0)
            throw new CliError('resume takes no arguments; see job-runner resume --help', EXIT.usage);
        const { body } = await ApiClient.fromArgs(args, io).request('POST', '/v1/admin/resume');
        io.stdout.write(`${body.state}\n`);
        return EXIT.ok;
    },
};
//# sourceMappingURL=drain.js.map