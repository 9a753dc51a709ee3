/**
 * /dashboard: the operator's page. One static HTML page (routes/dashboard/) that calls the JSON
 * API with a bearer token the operator pastes once; the token stays in `sessionStorage`, never in a
 * cookie, so the page needs no auth of its own and cannot be used for CSRF. Its script and styles
 * are inlined at start-up and allowed by hash in a strict Content-Security-Policy: one route, no
 * asset URLs, and no other script can run on the page.
 */
import fs from 'node:fs';
import path from 'node:path';
import { createHash } from 'node:crypto';
import { Hono } from 'hono';
import { projectRoot } from '../src/support/projectRoot.js';
export function dashboardRoutes({ folder = path.join(projectRoot(), 'routes', 'dashboard'), } = {}) {
    const page = buildPage(folder);
    const app = new Hono();
    app.get('/dashboard', (c) => c.body(page.html, 200, {
        'content-type': 'text/html; charset=utf-8',
        'content-security-policy': page.csp,
        'cache-control': 'no-store',
        'referrer-policy': 'no-referrer',
        'x-content-type-options': 'nosniff',
    }));
    return app;
}
function buildPage(folder) {
    const read = (name) => fs.readFileSync(path.join(folder, name), 'utf8');
    const script = read('dashboard.js');
    const style = read('dashboard.css');
    const html = read('index.html')
        .replace('<!-- style -->', () => `<style>${style}</style>`)
        .replace('<!-- script -->', () => `<script>${script}</script>`);
    const hash = (text) => `'sha256-${createHash('sha256').update(text).digest('base64')}'`;
    const csp = [
        "default-src 'none'",
        `script-src ${hash(script)}`,
        `style-src ${hash(style)}`,
        "connect-src 'self'",
        "img-src 'self' data:",
        "base-uri 'none'",
        "form-action 'none'",
        "frame-ancestors 'none'",
    ].join('; ');
    return { html, csp };
}
//# sourceMappingURL=dashboard.js.map