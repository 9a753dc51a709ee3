/**
 * `job-runner types`: the payload and result types of a running service's job types, written for
 * job-runner/client, make tsc refuse a wrong payload and an unknown job type, accept a right one,
 * and type the result of the job `wait` and `get` answer (from the job's id, a named type, or
 * narrowed by `job.type`), so a wrong use of a result does not compile either. The program is compiled as a user's would be: it imports `job-runner/client` through the
 * package's exports (node_modules/job-runner links to this package, whose dist/ the build made).
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { after, before, describe, it } from 'node:test';
import { schemaToTypeScript } from '../../src/client/schemaToTypeScript.js';
import { projectRoot } from '../../src/support/projectRoot.js';
import { cli } from '../support/cli.js';
import { databaseTargets, onceSkip } from '../support/databases.js';
import { startTestService } from '../support/service.js';
const PROGRAM = `import { createClient } from 'job-runner/client'
const client = createClient({ url: 'http://127.0.0.1:1', token: 'token' })
export const right = client.enqueue('count', { to: 5, stepMs: 1 })
export const wrongField = client.enqueue('count', { to: 'five', stepMs: 1 })
export const missingField = client.enqueue('count', { to: 5 })
export const unknownType = client.enqueue('cuont', { to: 5, stepMs: 1 })
export async function results(): Promise<number> {
  const done = await client.wait((await right).id)
  const wrongResult: string = done.result!.counted
  const misspelt = done.result!.countd
  const named = await client.get<'count'>('12')
  const any = await client.get('12')
  if (any.type === 'sleep' && any.result) return any.result.slept + named.result!.runs
  return done.result!.counted
}
export const notAJob = client.wait<'cuont'>('12')
`;
for (const target of databaseTargets()) {
    describe(`job-runner types (${target.name})`, { skip: onceSkip(target, 'a client of the HTTP API') }, () => {
        let db;
        let service;
        let app;
        before(async () => {
            db = await target.create();
            service = await startTestService(db);
            app = await fs.mkdtemp(path.join(os.tmpdir(), 'job-runner-types-'));
            await fs.mkdir(path.join(app, 'node_modules'));
            await fs.symlink(projectRoot(), path.join(app, 'node_modules', 'job-runner'), 'dir');
        });
        after(async () => {
            await service?.close();
            await db?.cleanup();
            if (app)
                await fs.rm(app, { recursive: true, force: true });
        });
        it('writes types that make tsc refuse a wrong payload and a wrong use of a result', async () => {
            const token = await service.token({ scopes: ['jobs:read'] });
            const run = await cli(['types', '--url', service.url, '--token', token, '-o', path.join(app, 'jobs.d.ts')]);
            assert.equal(run.code, 0, run.stderr);
            assert.match(run.stderr, /wrote 5 job types to .*jobs\.d\.ts/);
            const declaration = await fs.readFile(path.join(app, 'jobs.d.ts'), 'utf8');
            assert.match(declaration, /declare module 'job-runner\/client'/);
            assert.match(declaration, /count: \{\n {6}payload: \{[^}]*\}\n {6}result: \{\n {8}counted: number/);
            await fs.writeFile(path.join(app, 'app.ts'), PROGRAM);
            await fs.writeFile(path.join(app, 'tsconfig.json'), JSON.stringify({
                compilerOptions: {
                    strict: true,
                    noEmit: true,
                    module: 'NodeNext',
                    moduleResolution: 'NodeNext',
                    target: 'ES2022',
                    skipLibCheck: true,
                    types: ['node'],
                    typeRoots: [path.join(projectRoot(), 'node_modules/@types')],
                },
                files: ['app.ts', 'jobs.d.ts'],
            }));
            const tsc = path.join(projectRoot(), 'node_modules/typescript/bin/tsc');
            const failed = await promisify(execFile)(process.execPath, [tsc, '-p', app]).then(() => assert.fail('tsc accepted a wrong payload'), (error) => error.stdout);
            const lines = [...failed.matchAll(/app\.ts\((\d+),\d+\): error/g)].map((m) => Number(m[1]));
            // Payloads (4-6), then results: a number used as a string, a misspelt field, an unknown type.
            assert.deepEqual(lines, [4, 5, 6, 9, 10, 16], failed);
            assert.match(failed, /Type 'string' is not assignable to type 'number'/);
            assert.match(failed, /'"cuont"' is not assignable/);
            assert.match(failed, /app\.ts\(9,\d+\): error TS2322: Type 'number' is not assignable to type 'string'/);
            assert.match(failed, /Property 'countd' does not exist/);
        });
    });
}
describe('schemaToTypeScript', () => {
    it('turns the payload schemas jobs use into types, unknown for the rest', () => {
        const type = schemaToTypeScript({
            type: 'object',
            properties: {
                name: { type: 'string' },
                size: { type: ['integer', 'null'] },
                mode: { enum: ['fast', 'slow'] },
                tags: { type: 'array', items: { type: 'string' } },
                'odd-key': { $ref: '#/$defs/thing' },
                either: { anyOf: [{ type: 'boolean' }, { const: 1 }] },
            },
            required: ['name'],
            additionalProperties: false,
            $defs: { thing: { type: 'object', properties: { x: { type: 'number' } } } },
        });
        assert.equal(type, [
            '{',
            '  name: string',
            '  size?: number | null',
            '  mode?: "fast" | "slow"',
            '  tags?: (string)[]',
            '  "odd-key"?: {',
            '    x?: number',
            '    [key: string]: unknown',
            '  }',
            '  either?: (boolean) | (1)',
            '}',
        ].join('\n'));
        assert.equal(schemaToTypeScript({}), 'unknown');
        assert.equal(schemaToTypeScript({ type: 'object' }), '{\n  [key: string]: unknown\n}');
    });
});
//# sourceMappingURL=types.test.js.map