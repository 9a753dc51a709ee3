/**
 * `job-runner types --url … -o jobs.d.ts`: writes the payload and result types of a running
 * service's job types (GET /v1/job-types) as a declaration file for `job-runner/client`, so that
 * the caller's `client.enqueue('count', { to: 5, stepMs: 1 })` is checked by tsc, and the job
 * `get` and `wait` answer for its id has the result type of `count`.
 */
import fs from 'node:fs/promises';
import { jobTypesDeclaration } from '../client/schemaToTypeScript.js';
import { ApiClient, CLIENT_OPTIONS } from './client.js';
import { CliError, EXIT, stringOption } from './command.js';
import { fetchJobTypes } from './jobTypes.js';
export const typesCommand = {
    name: 'types',
    summary: 'write the payload and result types of the job types for job-runner/client (-o jobs.d.ts)',
    synopsis: '[-o FILE]',
    description: 'Reads GET /v1/job-types and writes a TypeScript declaration file that types\n' +
        "job-runner/client's enqueue, get and wait per job type: include it in your program (tsconfig\n" +
        '"include") and a payload that does not match its job type, or a wrong use of a result, no\n' +
        'longer compiles. Without -o it prints it.',
    options: {
        ...CLIENT_OPTIONS,
        output: {
            type: 'string',
            short: 'o',
            description: 'the file to write (default: standard output)',
            valueName: 'FILE',
        },
    },
    examples: ['job-runner types --url https://jobs.internal --token "$TOKEN" -o src/jobs.d.ts'],
    async run(args, io) {
        if (args.positionals.length > 0)
            throw new CliError('types takes no arguments; see job-runner types --help', EXIT.usage);
        const client = ApiClient.fromArgs(args, io);
        const jobTypes = (await fetchJobTypes(client, { required: true }));
        const text = jobTypesDeclaration(jobTypes, `${client.baseUrl}/v1/job-types`);
        const output = stringOption(args, 'output');
        if (output === undefined) {
            io.stdout.write(text);
            return EXIT.ok;
        }
        await fs.writeFile(output, text);
        io.stderr.write(`wrote ${jobTypes.length} job types to ${output}\n`);
        return EXIT.ok;
    },
};
//# sourceMappingURL=types.js.map