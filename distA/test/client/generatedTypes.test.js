/**
 * src/client/openapi.ts is generated from openapi.yaml by openapi-typescript: this fails when the
 * contract changed and the file was not generated again (`npm run generate:client`).
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { it } from 'node:test';
import { projectRoot } from '../../src/support/projectRoot.js';
it('src/client/openapi.ts is what openapi-typescript makes of openapi.yaml', async () => {
    const root = projectRoot();
    const folder = await fs.mkdtemp(path.join(os.tmpdir(), 'job-runner-openapi-'));
    try {
        const generated = path.join(folder, 'openapi.ts');
        const bin = path.join(root, 'node_modules/openapi-typescript/bin/cli.js');
        await promisify(execFile)(process.execPath, [bin, path.join(root, 'openapi.yaml'), '-o', generated], { cwd: root });
        const committed = await fs.readFile(path.join(root, 'src/client/openapi.ts'), 'utf8');
        assert.ok(committed === (await fs.readFile(generated, 'utf8')), 'src/client/openapi.ts is stale: run `npm run generate:client` and commit it');
    }
    finally {
        await fs.rm(folder, { recursive: true, force: true });
    }
});
//# sourceMappingURL=generatedTypes.test.js.map