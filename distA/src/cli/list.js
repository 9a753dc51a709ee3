import { JOB_STATES } from '../queue/job.js';
import { ApiClient, CLIENT_OPTIONS } from './client.js';
import { CliError, EXIT, numberOption, stringOption } from './command.js';
export const listCommand = {
    name: 'list',
    summary: 'list jobs, newest first, filtered by state, type or queue',
    synopsis: '[--state STATE] [--type TYPE] [--queue QUEUE] [--limit N] [--json]',
    description: 'Prints one job a line: id, state, type, queue, attempts, and the last error of a failed job.\n' +
        'Follows the pages of GET /v1/jobs up to --limit jobs (default 50).',
    options: {
        state: {
            type: 'string',
            short: 's',
            description: `only jobs in this state (${JOB_STATES.join(', ')})`,
            valueName: 'STATE',
        },
        type: { type: 'string', short: 't', description: 'only jobs of this type', valueName: 'TYPE' },
        queue: { type: 'string', short: 'q', description: 'only jobs of this queue', valueName: 'QUEUE' },
        limit: {
            type: 'string',
            short: 'n',
            description: 'at most this many jobs, 1 to 10000 (default 50)',
            valueName: 'N',
        },
        json: { type: 'boolean', description: 'print the jobs as a JSON array' },
        ...CLIENT_OPTIONS,
    },
    examples: ['npx job-runner list --state failed --type resize', 'npx job-runner list --queue reports --json'],
    async run(args, io) {
        if (args.positionals.length > 0) {
            throw new CliError('list takes no arguments, only options; see job-runner list --help', EXIT.usage);
        }
        const state = stringOption(args, 'state');
        if (state !== undefined && !JOB_STATES.includes(state)) {
            throw new CliError(`--state must be one of ${JOB_STATES.join(', ')}, not ${JSON.stringify(state)}`, EXIT.usage);
        }
        const limit = numberOption(args, 'limit', { min: 1, integer: true }) ?? 50;
        if (limit > 10_000)
            throw new CliError('--limit must be at most 10000', EXIT.usage);
        const filters = new URLSearchParams();
        for (const name of ['state', 'type', 'queue']) {
            const value = stringOption(args, name);
            if (value !== undefined)
                filters.set(name, value);
        }
        const client = ApiClient.fromArgs(args, io);
        const jobs = [];
        for (let cursor = null; jobs.length < limit;) {
            const query = new URLSearchParams(filters);
            query.set('limit', String(Math.min(100, limit - jobs.length)));
            if (cursor !== null)
                query.set('cursor', cursor);
            const { body } = await client.request('GET', `/v1/jobs?${query}`);
            jobs.push(...body.jobs);
            cursor = body.nextCursor;
            if (cursor === null)
                break;
        }
        io.stdout.write(args.values.json ? `${JSON.stringify(jobs, null, 2)}\n` : jobs.map(jobLine).join(''));
        return EXIT.ok;
    },
};
function jobLine(job) {
    const error = job.state === 'failed' && job.error !== null ? `  ${job.error.split('\n')[0].slice(0, 120)}` : '';
    const attempts = `attempts ${job.attempts}/${job.maxAttempts}`;
    return `${job.id.padStart(8)}  ${job.state.padEnd(9)}  ${job.type}  ${job.queue}  ${attempts}${error}\n`;
}
//# sourceMappingURL=list.js.map