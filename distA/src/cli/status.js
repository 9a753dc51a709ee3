/** `job-runner status ID [--wait]`: a job's state, or its live progress until it finishes. */
import { ApiClient, CLIENT_OPTIONS } from './client.js';
import { CliError, EXIT } from './command.js';
import { describeJob, exitCodeOf, fetchJob, followJob } from './follow.js';
export const statusCommand = {
    name: 'status',
    summary: "show a job's state; with --wait, its live progress until it finishes",
    synopsis: 'ID [--wait] [--json]',
    description: "Prints the job's state, attempts, progress, result and error. With --wait, draws a live\n" +
        'progress bar on stderr (following its event stream) until the job finishes. Exits 1 if the job\n' +
        'failed or was cancelled, 0 otherwise.',
    options: {
        wait: { type: 'boolean', short: 'w', description: 'follow the job until it succeeds, fails or is cancelled' },
        json: { type: 'boolean', description: 'print the job as JSON on stdout' },
        ...CLIENT_OPTIONS,
    },
    examples: ['npx job-runner status 42', 'npx job-runner status 42 --wait && echo done'],
    async run(args, io) {
        const [id, ...extra] = args.positionals;
        if (id === undefined || extra.length > 0)
            throw new CliError('status takes one job ID; see job-runner status --help', EXIT.usage);
        if (!/^[0-9]+$/.test(id))
            throw new CliError(`job IDs are numbers, not ${JSON.stringify(id)}`, EXIT.usage);
        const client = ApiClient.fromArgs(args, io);
        const job = args.values.wait ? await followJob(client, id, io) : await fetchJob(client, id);
        io.stdout.write(args.values.json ? `${JSON.stringify(job, null, 2)}\n` : describeJob(job));
        return exitCodeOf(job);
    },
};
//# sourceMappingURL=status.js.map