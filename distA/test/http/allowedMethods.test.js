/**
 * allowedMethods: the `Allow` of a 405 lists the methods of the most literal route pattern that
 * matches, so a literal segment (`/v1/jobs/batch`) is not taken for a parameter (`/v1/jobs/:id`).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Hono } from 'hono';
import { allowedMethods } from '../../src/http/allowedMethods.js';
function jobsLikeApp() {
    const app = new Hono();
    const ok = () => new Response('ok');
    app.use('*', async (_c, next) => next());
    app.post('/v1/jobs', ok);
    app.get('/v1/jobs', ok);
    app.post('/v1/jobs/batch', ok);
    app.get('/v1/jobs/:id', ok);
    app.post('/v1/jobs/:id/cancel', ok);
    app.get('/docs/:asset', ok);
    app.get('/docs', ok);
    return app;
}
describe('allowedMethods', () => {
    const methodsAt = allowedMethods(jobsLikeApp());
    const sorted = (path) => methodsAt(path).sort();
    it('takes a literal segment over a parameter that also matches it', () => {
        assert.deepEqual(sorted('/v1/jobs/batch'), ['POST']);
    });
    it('still answers for the parameter where no literal matches', () => {
        assert.deepEqual(sorted('/v1/jobs/42'), ['GET', 'HEAD']);
        assert.deepEqual(sorted('/v1/jobs/42/cancel'), ['POST']);
        assert.deepEqual(sorted('/v1/jobs/batch/cancel'), ['POST']);
        assert.deepEqual(sorted('/docs/swagger-ui.css'), ['GET', 'HEAD']);
    });
    it('lists every method of one path, and nothing for a path no route matches', () => {
        assert.deepEqual(sorted('/v1/jobs'), ['GET', 'HEAD', 'POST']);
        assert.deepEqual(sorted('/docs'), ['GET', 'HEAD']);
        assert.deepEqual(sorted('/v2/jobs'), []);
        assert.deepEqual(sorted('/v1/jobs/1/2/3'), []);
    });
});
//# sourceMappingURL=allowedMethods.test.js.map