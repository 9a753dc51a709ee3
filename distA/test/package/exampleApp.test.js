/**
 * The package as a user gets it: `npm pack` of this repository (the build's dist/ must exist; `npm
 * test` builds first), installed into a copy of examples/app in place of its `file:../..` link, and
 * the app's own tests run there — its jobs through job-runner/testing, then the Procfile's
 * `job-runner start`, an enqueue through job-runner/client, a SIGTERM mid-import and a resume.
 * npm installs the package's dependencies from its cache (`--prefer-offline`): CI's `npm ci` filled it.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { after, before, describe, it } from 'node:test';
import { projectRoot } from '../../src/support/projectRoot.js';
const run = promisify(execFile);
// Without node's test-runner context (this file runs under it): the app's `node --test` would
// otherwise report to this runner in its binary protocol instead of printing its own summary.
const { NODE_TEST_CONTEXT: _context, ...env } = process.env;
const NPM = process.platform === 'win32' ? 'npm.cmd' : 'npm';
describe('the packed package in examples/app', () => {
    let folder;
    let app;
    before(async () => {
        folder = await fs.mkdtemp(path.join(os.tmpdir(), 'job-runner-package-'));
        app = path.join(folder, 'app');
    });
    after(async () => {
        if (folder)
            await fs.rm(folder, { recursive: true, force: true });
    });
    it('packs what a user needs and nothing of the repository’s own', async () => {
        // The build already ran (pretest); prepack would run it again.
        const { stdout } = await run(NPM, ['pack', '--ignore-scripts', '--json', '--pack-destination', folder], {
            cwd: projectRoot(),
        });
        const [packed] = JSON.parse(stdout);
        const files = packed.files.map((f) => f.path);
        for (const needed of [
            'dist/src/index.js',
            'dist/src/index.d.ts',
            'dist/src/client/index.d.ts',
            'dist/src/testing/index.d.ts',
            'dist/src/cli.js',
            'dist/jobs/defineJob.js',
            'openapi.yaml',
            'routes/dashboard/index.html',
            'routes/docs/docs.js',
        ]) {
            assert.ok(files.includes(needed), `${needed} is in the package`);
        }
        assert.deepEqual(files.filter((f) => /^(test|bench|src|jobs|scripts|examples)\/|\.map$/.test(f)), [], 'no sources, tests, benchmarks or source maps');
        await fs.cp(path.join(projectRoot(), 'examples/app'), app, {
            recursive: true,
            filter: (source) => !/(node_modules|\.data|package-lock\.json)$/.test(source),
        });
        const manifest = JSON.parse(await fs.readFile(path.join(app, 'package.json'), 'utf8'));
        manifest.dependencies['job-runner'] = `file:${path.join(folder, packed.filename)}`;
        await fs.writeFile(path.join(app, 'package.json'), JSON.stringify(manifest, null, 2));
    });
    it('installs into the app, whose tests pass', async () => {
        await run(NPM, ['install', '--no-audit', '--no-fund', '--prefer-offline'], { cwd: app, env });
        const installed = await fs.lstat(path.join(app, 'node_modules/job-runner'));
        assert.ok(installed.isDirectory() && !installed.isSymbolicLink(), 'a copy from the tarball, not a link');
        const result = await run(NPM, ['test'], { cwd: app, env }).catch((error) => assert.fail(`the app's tests failed:\n${error.stdout}\n${error.stderr}`));
        assert.match(result.stdout, /# pass 3/);
        assert.match(result.stdout, /# fail 0/);
    });
    const stripsTypes = Boolean(process.features.typescript);
    it('says what to do with TypeScript job files when the app has no tsx', { skip: stripsTypes && 'this Node strips types itself: it loads .ts without tsx' }, async () => {
        const jobsDir = path.join(app, 'ts-jobs');
        await fs.mkdir(jobsDir);
        await fs.writeFile(path.join(jobsDir, 'hello.ts'), 'export default {}\n');
        const started = await run(path.join(app, 'node_modules/.bin/job-runner'), ['start'], {
            cwd: app,
            env: { ...env, JOBS_DIR: jobsDir },
        }).then(() => assert.fail('started without a way to load .ts'), (error) => error);
        assert.equal(started.code, 2);
        assert.match(started.stderr, /has TypeScript job files \(hello\.ts\).*add tsx to the app \(npm install tsx\)/);
    });
});
//# sourceMappingURL=exampleApp.test.js.map