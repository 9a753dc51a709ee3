/**
 * `job-runner start`: the service with the job files of JOBS_DIR — a TypeScript job through tsx —
 * and a sentence naming JOBS_DIR when the folder is missing. (examples/app runs it from the packed
 * package with `.js` jobs: test/package/exampleApp.test.ts.)
 */
import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { projectRoot } from '../../src/support/projectRoot.js';
import { cli, startCli } from '../support/cli.js';
import { pglite, testRunDir } from '../support/databases.js';
import { TEST_SECRET } from '../support/service.js';
describe('job-runner start', () => {
    let database;
    let jobsDir;
    before(async () => {
        database = await pglite.create();
        jobsDir = await fs.mkdtemp(path.join(testRunDir(), 'jobs-'));
        // An app's package.json: its .ts files are ES modules, as in examples/app.
        await fs.writeFile(path.join(jobsDir, 'package.json'), '{ "type": "module" }\n');
        const entry = pathToFileURL(path.join(projectRoot(), 'dist/src/index.js')).href;
        await fs.writeFile(path.join(jobsDir, 'greet.ts'), `import { defineJob } from ${JSON.stringify(entry)}\n` +
            `export default defineJob<{ name: string }, never, string>({\n` +
            `  name: 'greet',\n` +
            `  payloadSchema: { type: 'object', properties: { name: { type: 'string' } }, required: ['name'] },\n` +
            '  async run({ payload }): Promise<string> { return `hello ${payload.name}` },\n' +
            '})\n');
    });
    after(async () => {
        await database?.cleanup();
        if (jobsDir)
            await fs.rm(jobsDir, { recursive: true, force: true });
    });
    it('runs TypeScript job files of JOBS_DIR through tsx, and stops on SIGTERM', async () => {
        const { child, done } = startCli(['start'], {
            ...database.env,
            JOBS_DIR: jobsDir,
            JWT_SECRET: TEST_SECRET,
            PORT: '0',
            HOST: '127.0.0.1',
        });
        let output = '';
        const listening = await new Promise((resolve, reject) => {
            child.stdout.on('data', (chunk) => {
                output += chunk;
                const line = output.split('\n').find((l) => l.includes('"job-runner listening"'));
                if (line)
                    resolve(JSON.parse(line));
            });
            void done.then((run) => reject(new Error(`start exited ${run.code}: ${run.stderr}\n${output}`)));
        });
        const token = await import('../../src/auth/devToken.js').then(({ mintToken }) => mintToken({ secret: TEST_SECRET, sub: 'alice', audience: 'job-runner' }));
        const response = await fetch(`${listening.url}/v1/job-types`, { headers: { authorization: `Bearer ${token}` } });
        const { jobTypes } = (await response.json());
        assert.deepEqual(jobTypes.map((t) => t.name), ['greet']);
        child.kill('SIGTERM');
        assert.equal((await done).code, 0);
    });
    it('names JOBS_DIR when the folder is missing', async () => {
        const run = await cli(['start'], { JOBS_DIR: path.join(testRunDir(), 'no-such-folder') });
        assert.equal(run.code, 2);
        assert.match(run.stderr, /job-runner start: JOBS_DIR: .*no-such-folder is not a folder/);
    });
});
//# sourceMappingURL=start.test.js.map