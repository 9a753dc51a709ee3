/** The folder holding package.json, found from this file whether it runs from src/ or dist/src/. */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
let cached;
export function projectRoot() {
    if (cached)
        return cached;
    let dir = path.dirname(fileURLToPath(import.meta.url));
    while (!fs.existsSync(path.join(dir, 'package.json')) || !fs.existsSync(path.join(dir, 'openapi.yaml'))) {
        const parent = path.dirname(dir);
        if (parent === dir)
            throw new Error('cannot find the project root (package.json beside openapi.yaml)');
        dir = parent;
    }
    return (cached = dir);
}
//# sourceMappingURL=projectRoot.js.map