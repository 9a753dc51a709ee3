import { ApiClient, CLIENT_OPTIONS } from './client.js';
import { CliError, EXIT, numberOption } from './command.js';
const ACTIONS = ['list', 'get', 'pause', 'resume', 'trigger'];
export const schedulesCommand = {
    name: 'schedules',
    summary: 'list, show, pause, resume or trigger recurring jobs',
    synopsis: 'list | get ID | pause ID | resume ID | trigger ID  [--json]',
    description: 'list: one schedule a line (id, cron or every, paused, next run, last job and its state).\n' +
        'get ID: the schedule with its next five runs. pause ID / resume ID: stop or restart its slots\n' +
        '(resumed from the next slot). trigger ID: enqueue one job of it now; prints the job id.',
    options: {
        limit: {
            type: 'string',
            short: 'n',
            description: 'list at most this many, 1 to 10000 (default 100)',
            valueName: 'N',
        },
        json: { type: 'boolean', description: "print the API's JSON answer" },
        ...CLIENT_OPTIONS,
    },
    examples: [
        'npx job-runner schedules list',
        'npx job-runner schedules pause nightly-report',
        'npx job-runner status "$(npx job-runner schedules trigger nightly-report)" --wait',
    ],
    async run(args, io) {
        const [action, id, ...extra] = args.positionals;
        if (action === undefined || !ACTIONS.includes(action)) {
            throw new CliError(`schedules takes one of ${ACTIONS.join(', ')}; see job-runner schedules --help`, EXIT.usage);
        }
        if (action === 'list') {
            if (id !== undefined)
                throw new CliError('schedules list takes no ID', EXIT.usage);
            return list(args, io);
        }
        if (id === undefined || extra.length > 0) {
            throw new CliError(`schedules ${action} takes one schedule ID`, EXIT.usage);
        }
        return act(action, id, args, io);
    },
};
async function list(args, io) {
    const limit = numberOption(args, 'limit', { min: 1, integer: true }) ?? 100;
    if (limit > 10_000)
        throw new CliError('--limit must be at most 10000', EXIT.usage);
    const client = ApiClient.fromArgs(args, io);
    const schedules = [];
    for (let cursor = null; schedules.length < limit;) {
        const query = new URLSearchParams({ limit: String(Math.min(100, limit - schedules.length)) });
        if (cursor !== null)
            query.set('cursor', cursor);
        const { body } = await client.request('GET', `/v1/schedules?${query}`);
        schedules.push(...body.schedules);
        cursor = body.nextCursor;
        if (cursor === null)
            break;
    }
    io.stdout.write(args.values.json ? `${JSON.stringify(schedules, null, 2)}\n` : schedules.map(scheduleLine).join(''));
    return EXIT.ok;
}
async function act(action, id, args, io) {
    const client = ApiClient.fromArgs(args, io);
    const path = `/v1/schedules/${encodeURIComponent(id)}`;
    if (action === 'trigger') {
        const { body: job } = await client.request('POST', `${path}/trigger`);
        io.stderr.write(`triggered: schedule ${id} enqueued job ${job.id}\n`);
        io.stdout.write(args.values.json ? `${JSON.stringify(job, null, 2)}\n` : `${job.id}\n`);
        return EXIT.ok;
    }
    const { body: schedule } = action === 'get'
        ? await client.request('GET', path)
        : await client.request('POST', `${path}/${action}`);
    io.stdout.write(args.values.json ? `${JSON.stringify(schedule, null, 2)}\n` : describeSchedule(schedule));
    return EXIT.ok;
}
function timingOf(schedule) {
    return schedule.cron !== null ? `cron "${schedule.cron}" ${schedule.timezone}` : `every ${schedule.every}`;
}
function lastJobOf(schedule) {
    const last = schedule.lastJob;
    return last === null ? 'no job yet' : `last job ${last.id} ${last.state ?? 'pruned'}`;
}
function scheduleLine(schedule) {
    const state = schedule.paused ? 'paused' : 'active';
    const next = schedule.nextRuns[0] ?? '-';
    return `${schedule.id}  ${state}  ${timingOf(schedule)}  next ${next}  ${lastJobOf(schedule)}\n`;
}
export function describeSchedule(schedule) {
    return [
        `schedule ${schedule.id} (${schedule.source}): ${timingOf(schedule)}, job ${schedule.job.type}, overlap ${schedule.overlap}`,
        `  ${schedule.paused ? 'paused' : 'active'}; fired ${schedule.fired}, skipped ${schedule.skipped}, missed ${schedule.missed}; ${lastJobOf(schedule)}`,
        ...(schedule.lastError === null ? [] : [`  last error: ${schedule.lastError}`]),
        ...schedule.nextRuns.map((run) => `  next: ${run}`),
        '',
    ].join('\n');
}
//# sourceMappingURL=schedules.js.map