/**
 * `job-runner bulk cancel|retry [filter options | --ids …]`: creates a bulk action
 * (`POST /v1/bulk-actions`) and prints its progress until it completes. The service does the work
 * in the background: interrupting this command leaves the action running (its id is printed first;
 * `--no-wait` returns right away).
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { JOB_STATES } from '../queue/job.js';
import { ApiClient, CLIENT_OPTIONS } from './client.js';
import { CliError, EXIT, stringOption } from './command.js';
const POLL_MS = 500;
export const bulkCommand = {
    name: 'bulk',
    summary: 'cancel or retry every job a filter matches (or a list of ids), with progress',
    synopsis: 'cancel|retry [--state S] [--type T] [--queue Q] [--created-before T] [--created-after T] [--all]',
    description: 'Creates a bulk action and prints its progress on stderr until it completes, then a summary on\n' +
        'stdout. A retry matches failed and cancelled jobs, a cancel queued and running ones, narrowed by\n' +
        'the options; with no filter option at all, --all must say that every job is meant. --ids acts\n' +
        "on listed jobs instead. Without the admin scope, only the caller's own jobs are matched.\n" +
        'Exit 1 when some listed jobs could not be acted on.',
    options: {
        state: { type: 'string', short: 's', description: `only jobs in this state (${JOB_STATES.join(', ')})` },
        type: { type: 'string', short: 't', description: 'only jobs of this type', valueName: 'TYPE' },
        queue: { type: 'string', short: 'q', description: 'only jobs of this queue', valueName: 'QUEUE' },
        'created-before': { type: 'string', description: 'only jobs created before this ISO 8601 time', valueName: 'T' },
        'created-after': { type: 'string', description: 'only jobs created after this ISO 8601 time', valueName: 'T' },
        all: { type: 'boolean', description: 'mean it: every job the action applies to (no filter needed)' },
        ids: { type: 'string', description: 'comma-separated job ids instead of a filter (at most 1000)' },
        'dry-run': { type: 'boolean', description: 'only count the jobs it would act on' },
        'no-wait': { type: 'boolean', description: "print the action's id and return without following it" },
        json: { type: 'boolean', description: 'print the completed action as JSON on stdout' },
        ...CLIENT_OPTIONS,
    },
    examples: [
        'npx job-runner bulk retry --state failed --type resize',
        'npx job-runner bulk cancel --queue reports --created-before 2026-01-01T00:00:00Z',
        'npx job-runner bulk retry --ids 41,42,57',
        'npx job-runner bulk retry --all --dry-run',
    ],
    async run(args, io) {
        const [action, ...extra] = args.positionals;
        if ((action !== 'cancel' && action !== 'retry') || extra.length > 0) {
            throw new CliError('bulk takes one action, cancel or retry; see job-runner bulk --help', EXIT.usage);
        }
        const body = { action, ...selection(args), ...(args.values['dry-run'] ? { dryRun: true } : {}) };
        const client = ApiClient.fromArgs(args, io);
        if (args.values['dry-run']) {
            const { body: preview } = await client.request('POST', '/v1/bulk-actions', { body });
            io.stdout.write(`${action} would match ${preview.matched} job(s)\n`);
            return EXIT.ok;
        }
        let { body: bulk } = await client.request('POST', '/v1/bulk-actions', { body });
        io.stderr.write(`bulk ${action} ${bulk.id}: ${bulk.matched} job(s) matched\n`);
        if (args.values['no-wait']) {
            io.stdout.write(`${bulk.id}\n`);
            return EXIT.ok;
        }
        let shown = '';
        for (;;) {
            const line = `bulk ${action} ${bulk.id}: ${bulk.done} of ${bulk.matched} done, ${bulk.failed} failed`;
            if (line !== shown)
                io.stderr.write(`${line}\n`);
            shown = line;
            if (bulk.state === 'completed')
                break;
            await sleep(POLL_MS);
            bulk = (await client.request('GET', `/v1/bulk-actions/${bulk.id}`)).body;
        }
        if (args.values.json)
            io.stdout.write(`${JSON.stringify(bulk, null, 2)}\n`);
        else {
            const failures = bulk.failures.map((f) => `  job ${f.id}: ${f.reason}\n`).join('');
            io.stdout.write(`${action} ${bulk.id} completed: ${bulk.done} done, ${bulk.failed} failed\n${failures}`);
        }
        return bulk.failed > 0 ? EXIT.jobFailed : EXIT.ok;
    },
};
/** The filter, or the ids, from the options; an empty filter needs --all. */
function selection(args) {
    const ids = stringOption(args, 'ids');
    const filter = {};
    for (const [option, field] of [
        ['state', 'state'],
        ['type', 'type'],
        ['queue', 'queue'],
        ['created-before', 'createdBefore'],
        ['created-after', 'createdAfter'],
    ]) {
        const value = stringOption(args, option);
        if (value !== undefined)
            filter[field] = value;
    }
    for (const field of ['createdBefore', 'createdAfter']) {
        const value = filter[field];
        if (value === undefined)
            continue;
        if (Number.isNaN(Date.parse(value))) {
            throw new CliError(`--${field === 'createdBefore' ? 'created-before' : 'created-after'} must be an ISO 8601 time`, EXIT.usage);
        }
        filter[field] = new Date(value).toISOString();
    }
    if (ids !== undefined) {
        if (Object.keys(filter).length > 0 || args.values.all) {
            throw new CliError('--ids names the jobs: it takes no filter option and no --all', EXIT.usage);
        }
        const list = ids.split(',').map((id) => id.trim());
        if (list.some((id) => !/^[1-9][0-9]*$/.test(id))) {
            throw new CliError(`--ids must be job ids separated by commas, not ${JSON.stringify(ids)}`, EXIT.usage);
        }
        return { ids: list };
    }
    if (Object.keys(filter).length === 0 && !args.values.all) {
        throw new CliError('no filter: give --state, --type, --queue, --created-before or --created-after, or --all to act on every job', EXIT.usage);
    }
    return { filter, ...(args.values.all ? { all: true } : {}) };
}
//# sourceMappingURL=bulk.js.map