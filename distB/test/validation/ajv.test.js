/**
 * One Ajv setup for the whole service (src/validation/ajv.ts): 2020-12 with ajv-formats. Every other
 * module gets its validators from it, so the dialect and the formats cannot drift apart again.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import path from 'node:path';
import { createAjv } from '../../src/validation/ajv.js';
import { PROJECT_ROOT } from '../support/process.js';
async function sourceFiles(folder) {
    const entries = await fs.readdir(path.join(PROJECT_ROOT, folder), { recursive: true, withFileTypes: true });
    return entries.filter((e) => e.isFile() && /\.tsx?$/.test(e.name)).map((e) => path.join(e.parentPath, e.name));
}
describe('the shared Ajv setup', () => {
    it('compiles 2020-12 keywords strictly, with formats', () => {
        const ajv = createAjv();
        const tuple = ajv.compile({ type: 'array', prefixItems: [{ type: 'integer' }], items: false, minItems: 1 });
        assert.equal(tuple([1]), true);
        assert.equal(tuple([1, 2]), false);
        assert.equal(ajv.compile({ type: 'string', format: 'uuid' })('not-a-uuid'), false);
        const unknownKeyword = { type: 'string', example: 'strict mode refuses unknown keywords' };
        assert.throws(() => ajv.compile(unknownKeyword), /unknown keyword/);
    });
    it('is the only place that builds an Ajv or adds ajv-formats', async () => {
        const files = [...(await sourceFiles('src')), ...(await sourceFiles('routes')), ...(await sourceFiles('jobs'))];
        const offenders = [];
        for (const file of files) {
            if (file.endsWith(path.join('src', 'validation', 'ajv.ts')))
                continue;
            const text = await fs.readFile(file, 'utf8');
            const buildsAjv = /new Ajv(2020|2019)?\(|from 'ajv-formats'|from 'ajv'|from 'ajv\/dist/.test(text);
            if (buildsAjv)
                offenders.push(path.relative(PROJECT_ROOT, file));
        }
        assert.deepEqual(offenders, []);
    });
});
//# sourceMappingURL=ajv.test.js.map