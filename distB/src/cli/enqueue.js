/** `job-runner enqueue TYPE [PAYLOAD]`: stores a job through the HTTP API, optionally follows it. */
import fs from 'node:fs/promises';
import { ApiClient, CLIENT_OPTIONS } from './client.js';
import { CliError, EXIT, numberOption, stringOption } from './command.js';
import { describeJob, exitCodeOf, followJob } from './follow.js';
import { fetchJobTypes, jobTypesTable, similarNames } from './jobTypes.js';
export const enqueueCommand = {
    name: 'enqueue',
    summary: 'enqueue a job (TYPE and a JSON payload) through the HTTP API',
    synopsis: 'TYPE [PAYLOAD] [options]',
    description: 'Posts a job to the service and prints its id on stdout (the whole job with --json).\n' +
        'PAYLOAD is JSON; "-" reads it from stdin, "@file.json" from a file; default {}.\n' +
        'With --wait, follows the job like `status --wait` and exits 1 if it fails or is cancelled.\n' +
        "TYPE is checked against the service's job types first; --list-types prints them.",
    options: {
        queue: { type: 'string', short: 'q', description: "the queue (default: the job type's)" },
        priority: { type: 'string', description: 'lower runs first, -1000 to 1000 (default 0)', valueName: 'N' },
        'run-at': { type: 'string', description: 'not before this ISO 8601 time', valueName: 'TIME' },
        'max-attempts': { type: 'string', description: "attempts before it fails (default: the type's)", valueName: 'N' },
        timeout: { type: 'string', description: "seconds per attempt (default: the type's)", valueName: 'SECONDS' },
        'idempotency-key': { type: 'string', description: 'makes a retried enqueue safe', valueName: 'KEY' },
        wait: { type: 'boolean', short: 'w', description: 'follow the job until it finishes' },
        json: { type: 'boolean', description: 'print the job as JSON instead of its id' },
        'list-types': { type: 'boolean', description: 'print the job types, their defaults and payloads, and exit' },
        ...CLIENT_OPTIONS,
    },
    examples: [
        `npx job-runner enqueue count '{"to": 20, "stepMs": 250}' --wait`,
        `npx job-runner enqueue echo @payload.json --queue reports --idempotency-key report-2024-06`,
        'npx job-runner enqueue --list-types',
    ],
    async run(args, io) {
        if (args.values['list-types']) {
            if (args.positionals.length > 0)
                throw new CliError('--list-types takes no TYPE or PAYLOAD', EXIT.usage);
            const types = (await fetchJobTypes(ApiClient.fromArgs(args, io), { required: true }));
            io.stdout.write(args.values.json ? `${JSON.stringify(types, null, 2)}\n` : jobTypesTable(types));
            return EXIT.ok;
        }
        const [type, rawPayload, ...extra] = args.positionals;
        if (type === undefined || extra.length > 0)
            throw new CliError('enqueue takes a job TYPE and an optional JSON PAYLOAD; see job-runner enqueue --help', EXIT.usage);
        const payload = await readPayload(rawPayload, io);
        const priority = numberOption(args, 'priority', { min: -1000, integer: true });
        const maxAttempts = numberOption(args, 'max-attempts', { min: 1, integer: true });
        const timeoutSeconds = numberOption(args, 'timeout', { min: 0 });
        const runAt = stringOption(args, 'run-at');
        if (runAt !== undefined && Number.isNaN(Date.parse(runAt)))
            throw new CliError(`--run-at must be an ISO 8601 time, not ${JSON.stringify(runAt)}`, EXIT.usage);
        const queue = stringOption(args, 'queue');
        const idempotencyKey = stringOption(args, 'idempotency-key');
        const body = {
            type,
            payload,
            ...(queue === undefined ? {} : { queue }),
            ...(priority === undefined ? {} : { priority }),
            ...(runAt === undefined ? {} : { runAt: new Date(runAt).toISOString() }),
            ...(maxAttempts === undefined ? {} : { maxAttempts }),
            ...(timeoutSeconds === undefined ? {} : { timeoutSeconds }),
        };
        const client = ApiClient.fromArgs(args, io);
        const known = (await fetchJobTypes(client))?.map((t) => t.name);
        if (known && !known.includes(type)) {
            const similar = similarNames(type, known);
            const quoted = similar.map((name) => JSON.stringify(name)).join(' or ');
            const hint = similar.length > 0 ? `; did you mean ${quoted}?` : '';
            const list = `known types: ${known.join(', ')} (job-runner enqueue --list-types)`;
            throw new CliError(`unknown job type ${JSON.stringify(type)}${hint}\n${list}`, EXIT.usage);
        }
        const response = await client.request('POST', '/v1/jobs', {
            body,
            headers: idempotencyKey === undefined ? {} : { 'idempotency-key': idempotencyKey },
        });
        const job = response.body;
        const replayed = response.headers.get('idempotent-replayed') === 'true';
        io.stderr.write(`${replayed ? 'already enqueued' : 'enqueued'}: job ${job.id} (${job.type}, queue ${job.queue})\n`);
        if (!args.values.wait) {
            io.stdout.write(args.values.json ? `${JSON.stringify(job, null, 2)}\n` : `${job.id}\n`);
            return EXIT.ok;
        }
        const finished = await followJob(client, job.id, io);
        io.stdout.write(args.values.json ? `${JSON.stringify(finished, null, 2)}\n` : describeJob(finished));
        return exitCodeOf(finished);
    },
};
async function readPayload(raw, io) {
    if (raw === undefined)
        return {};
    let text = raw;
    let source = 'PAYLOAD';
    if (raw === '-') {
        const chunks = [];
        for await (const chunk of io.stdin)
            chunks.push(Buffer.from(chunk));
        text = Buffer.concat(chunks).toString('utf8');
        source = 'stdin';
    }
    else if (raw.startsWith('@')) {
        source = raw.slice(1);
        text = await fs.readFile(source, 'utf8').catch((error) => {
            throw new CliError(`cannot read the payload file ${source}: ${error.code ?? error.message}`, EXIT.usage);
        });
    }
    try {
        return JSON.parse(text);
    }
    catch (error) {
        throw new CliError(`the payload (${source}) is not JSON: ${error.message}`, EXIT.usage);
    }
}
//# sourceMappingURL=enqueue.js.map