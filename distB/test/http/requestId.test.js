/**
 * The request frame (src/http/requestFrame.ts) answers with the caller's sane `X-Request-Id` (or a fresh UUID) on every
 * response: served by @hono/node-server, where it sets the header on node's own response, whatever
 * Response the app returns (a plain one with plain headers, or one made by the error handler); and
 * served without node (app.request), where it sets it on the Response.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import '../../src/http/context.js';
import { pino } from 'pino';
import { requestFrame } from '../../src/http/requestFrame.js';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
function appWithRequestIds() {
    const app = new Hono();
    app.use('*', requestFrame({ log: pino({ level: 'silent' }), isShuttingDown: () => false }));
    app.get('/plain', () => new Response('plain', { headers: { 'content-type': 'text/plain', 'x-other': 'kept' } }));
    app.get('/context', (c) => c.json({ requestId: c.get('requestId') }));
    app.get('/fails', () => {
        throw new Error('boom');
    });
    app.onError((_error, c) => c.json({ requestId: c.get('requestId') }, 500));
    return app;
}
async function expectIds(fetchPath) {
    const plain = await fetchPath('/plain', { headers: { 'x-request-id': 'trace-1' } });
    assert.equal(plain.headers.get('x-request-id'), 'trace-1');
    assert.equal(plain.headers.get('x-other'), 'kept');
    assert.equal(await plain.text(), 'plain');
    const fresh = await fetchPath('/context');
    const id = fresh.headers.get('x-request-id') ?? '';
    assert.match(id, UUID);
    assert.deepEqual(await fresh.json(), { requestId: id });
    // Not one we would write into a log line as it is: replaced.
    const insane = await fetchPath('/context', { headers: { 'x-request-id': 'a b/../<script>' } });
    assert.match(insane.headers.get('x-request-id') ?? '', UUID);
    const failed = await fetchPath('/fails', { headers: { 'x-request-id': 'trace-500' } });
    assert.equal(failed.status, 500);
    assert.equal(failed.headers.get('x-request-id'), 'trace-500');
    assert.deepEqual(await failed.json(), { requestId: 'trace-500' });
}
describe('X-Request-Id', () => {
    let server;
    let url;
    before(async () => {
        await new Promise((resolve) => {
            server = serve({ fetch: appWithRequestIds().fetch, port: 0, hostname: '127.0.0.1' }, (info) => {
                url = `http://127.0.0.1:${info.port}`;
                resolve();
            });
        });
    });
    after(async () => {
        await new Promise((resolve) => server.close(() => resolve()));
    });
    it('on @hono/node-server: on plain responses and on the error handler’s', async () => {
        await expectIds((path, init) => fetch(url + path, init));
    });
    it('without node (app.request): the same', async () => {
        const app = appWithRequestIds();
        await expectIds(async (path, init) => app.request(path, init));
    });
});
//# sourceMappingURL=requestId.test.js.map