/**
 * Job files the service cannot use stop start-up with a `JobFileError` naming the file (and the
 * job): a syntax error, two files defining one name, an invalid payload schema. `.js`/`.mjs` job
 * files reach the compiled server through the build's copy step, and one the build has not copied
 * yet is refused by name instead of silently missing. Payload schemas are JSON Schema 2020-12.
 */
import { describe, it, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { defineJob } from '../../jobs/defineJob.js';
import { JobFileError, JobRegistry, loadJobRegistry } from '../../jobs/registry.js';
import { PROJECT_ROOT } from '../support/process.js';
/** A plain-JavaScript job file, as a user would drop it into jobs/. */
function jobSource(name, schema = { type: 'object' }) {
    return [
        `import { defineJob } from './defineJob.js'`,
        `export default defineJob({ name: ${JSON.stringify(name)}, payloadSchema: ${JSON.stringify(schema)},`,
        '  run: async ({ payload }) => payload })',
        '',
    ].join('\n');
}
/**
 * A folder laid out like dist/jobs: the compiled defineJob helper (and the errors it exports) beside
 * the given job files, and beside the folder, as in dist/, the compiled service (`src`, a link to
 * dist/src) that the helper imports from.
 */
async function jobsFolder(files) {
    const dist = await fs.mkdtemp(path.join(os.tmpdir(), 'job-runner-jobs-'));
    after(() => fs.rm(dist, { recursive: true, force: true }));
    // ESM, as the project's package.json makes dist/ (a bare temp folder would read .js as CommonJS).
    await fs.writeFile(path.join(dist, 'package.json'), '{ "type": "module" }');
    await fs.symlink(path.join(PROJECT_ROOT, 'dist/src'), path.join(dist, 'src'), 'dir');
    const folder = path.join(dist, 'jobs');
    await fs.mkdir(folder);
    for (const helper of ['defineJob.js', 'errors.js'])
        await fs.copyFile(path.join(PROJECT_ROOT, 'dist/jobs', helper), path.join(folder, helper));
    for (const [file, source] of Object.entries(files))
        await fs.writeFile(path.join(folder, file), source);
    return folder;
}
async function loadError(folder, options = {}) {
    const error = await loadJobRegistry(folder, options).then(() => undefined, (thrown) => thrown);
    assert.ok(error instanceof JobFileError, `a JobFileError, got ${String(error)}`);
    return error;
}
describe('broken job files name the file', () => {
    it('a syntax error names the file', async () => {
        const broken = 'export default defineJob({ name: "broken", \n';
        const folder = await jobsFolder({ 'good.mjs': jobSource('good'), 'broken.mjs': broken });
        const error = await loadError(folder);
        assert.match(error.message, /broken\.mjs cannot be loaded: SyntaxError/);
        assert.deepEqual(error.files.map((f) => path.basename(f)), ['broken.mjs']);
    });
    it('two files defining one name name both files', async () => {
        const folder = await jobsFolder({ 'first.mjs': jobSource('twin'), 'second.js': jobSource('twin') });
        const error = await loadError(folder);
        assert.match(error.message, /two job files define twin: .*first\.mjs and .*second\.js/);
        assert.deepEqual(error.files.map((f) => path.basename(f)), ['first.mjs', 'second.js']);
    });
    it('an invalid payloadSchema names the job and its file', async () => {
        const folder = await jobsFolder({ 'odd.mjs': jobSource('odd', { type: 'nonsense' }) });
        const error = await loadError(folder);
        assert.match(error.message, /job odd \(.*odd\.mjs\) has an invalid payloadSchema/);
    });
});
describe('.js and .mjs job files under the compiled server', () => {
    it('the build copies them beside the compiled jobs, where they load', async () => {
        const pkgText = await fs.readFile(path.join(PROJECT_ROOT, 'package.json'), 'utf8');
        const pkg = JSON.parse(pkgText);
        assert.match(pkg.scripts.build, /node scripts\/copy-job-files\.mjs/, 'npm run build runs the copy step');
        const source = await jobsFolder({ 'plain.js': jobSource('plain'), 'module.mjs': jobSource('module') });
        const compiled = await jobsFolder({});
        const copyScript = path.join(PROJECT_ROOT, 'scripts/copy-job-files.mjs');
        await promisify(execFile)(process.execPath, [copyScript, source, compiled]);
        assert.deepEqual((await fs.readdir(compiled)).sort(), ['defineJob.js', 'errors.js', 'module.mjs', 'plain.js']);
        const registry = await loadJobRegistry(compiled, { sourceFolder: source });
        assert.deepEqual(registry.names(), ['module', 'plain']);
    });
    it('a job file the build has not copied yet is refused by name', async () => {
        const source = await jobsFolder({ 'echo.ts': '', 'late.mjs': jobSource('late') });
        const compiled = await jobsFolder({ 'echo.js': jobSource('echo') });
        const error = await loadError(compiled, { sourceFolder: source });
        assert.match(error.message, /late\.mjs is not in .*: .*npm run build/);
        assert.deepEqual(error.files.map((f) => path.basename(f)), ['late.mjs']);
    });
    it('a deployment without the source folder loads what was built', async () => {
        const compiled = await jobsFolder({ 'echo.js': jobSource('echo') });
        const registry = await loadJobRegistry(compiled, { sourceFolder: path.join(compiled, 'no-such-folder') });
        assert.deepEqual(registry.names(), ['echo']);
    });
});
describe('payload schemas are JSON Schema 2020-12', () => {
    it('a job using prefixItems loads and validates tuples', () => {
        const pair = defineJob({
            name: 'pair',
            payloadSchema: {
                type: 'array',
                prefixItems: [{ type: 'integer' }, { type: 'string' }],
                items: false,
                minItems: 2,
            },
            run: async () => null,
        });
        const registry = new JobRegistry([pair]);
        assert.deepEqual(registry.validatePayload('pair', [1, 'one']), []);
        assert.ok(registry.validatePayload('pair', ['one', 1]).length > 0);
        assert.ok(registry.validatePayload('pair', [1, 'one', 'extra']).length > 0);
    });
    it('formats still apply (ajv-formats, through the shared setup)', () => {
        const at = defineJob({ name: 'at', payloadSchema: { type: 'string', format: 'date-time' }, run: async () => null });
        const registry = new JobRegistry([at]);
        assert.deepEqual(registry.validatePayload('at', '2026-01-01T00:00:00Z'), []);
        assert.ok(registry.validatePayload('at', 'tomorrow').length > 0);
    });
});
//# sourceMappingURL=jobFiles.test.js.map