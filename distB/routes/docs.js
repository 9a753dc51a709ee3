/**
 * The contract, as YAML and as a readable page. The page is Swagger UI from the pinned
 * `swagger-ui-dist` package, served by this service with its own start-up script, under a
 * Content-Security-Policy that allows nothing from another origin: it renders offline, and no
 * script from a CDN can run on it. It loads openapi.yaml from the spec URL, so the two cannot drift.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { Hono } from 'hono';
import { accepts } from 'hono/accepts';
import { HttpProblem } from '../src/http/problem.js';
import { projectRoot } from '../src/support/projectRoot.js';
const CSP = [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    // Swagger UI's stylesheet draws its icons as data: SVGs.
    "img-src 'self' data:",
    "font-src 'self'",
    "connect-src 'self'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
].join('; ');
const SECURITY_HEADERS = { 'x-content-type-options': 'nosniff', 'referrer-policy': 'no-referrer' };
export function docsRoutes({ spec }) {
    const app = new Hono();
    // Read on the first visit, not at start-up: most instances never serve the page (about 2 MB).
    let assets;
    let page;
    const loaded = () => (assets ??= loadAssets());
    app.get('/openapi.yaml', (c) => {
        // Browsers are sent text/plain, which they show; application/yaml they would download.
        const type = accepts(c, { header: 'Accept', supports: ['text/plain', 'application/yaml'], default: 'text/plain' });
        return c.body(spec.text, 200, { 'content-type': `${type}; charset=utf-8`, vary: 'Accept', ...SECURITY_HEADERS });
    });
    app.get('/docs', (c) => {
        page ??= renderPage(loaded());
        return c.body(page, 200, {
            'content-type': 'text/html; charset=utf-8',
            'content-security-policy': CSP,
            'cache-control': 'no-cache',
            ...SECURITY_HEADERS,
        });
    });
    app.get('/docs/:asset', (c) => {
        const name = c.req.param('asset');
        const asset = loaded().get(name);
        if (!asset)
            throw new HttpProblem('not-found', `no file ${JSON.stringify(name.slice(0, 100))} under /docs`);
        const cacheControl = c.req.query('v') === asset.version ? 'public, max-age=31536000, immutable' : 'no-cache';
        return c.body(asset.body, 200, {
            'content-type': asset.contentType,
            'cache-control': cacheControl,
            ...SECURITY_HEADERS,
        });
    });
    return app;
}
function loadAssets() {
    // Resolved, not imported: the bundle is for browsers, and the package's main module would load it.
    const swaggerUi = path.dirname(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'));
    const files = [
        ['swagger-ui.css', path.join(swaggerUi, 'swagger-ui.css'), 'text/css; charset=utf-8'],
        ['swagger-ui-bundle.js', path.join(swaggerUi, 'swagger-ui-bundle.js'), 'text/javascript; charset=utf-8'],
        ['docs.js', path.join(projectRoot(), 'routes', 'docs', 'docs.js'), 'text/javascript; charset=utf-8'],
    ];
    return new Map(files.map(([name, file, contentType]) => {
        const body = fs.readFileSync(file, 'utf8');
        const version = createHash('sha256').update(body).digest('base64url').slice(0, 16);
        return [name, { body, contentType, version }];
    }));
}
function renderPage(assets) {
    const url = (name) => `/docs/${name}?v=${assets.get(name).version}`;
    return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>job-runner API</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="${url('swagger-ui.css')}">
</head>
<body>
<div id="swagger-ui"></div>
<script src="${url('swagger-ui-bundle.js')}"></script>
<script src="${url('docs.js')}"></script>
</body>
</html>
`;
}
//# sourceMappingURL=docs.js.map