/**
 * Owner isolation across every job route with two subjects: without `admin`, another owner's job
 * is a 404 whatever the route (get, long-poll, cancel), never appears in a list (with any filter
 * or cursor), and an Idempotency-Key another owner used is a fresh key for this one (single and
 * batch): no replay of the other's job, no 422 conflict that would reveal it exists.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { databaseTargets, onceSkip, ROUTES_THROUGH_THE_STORE } from '../support/databases.js';
import { enqueue, expectJson, expectProblem } from '../support/http.js';
import { startTestService } from '../support/service.js';
const USER = ['jobs:read', 'jobs:write'];
for (const target of databaseTargets()) {
    describe(`owner isolation (${target.name})`, { skip: onceSkip(target, ROUTES_THROUGH_THE_STORE) }, () => {
        let database;
        let service;
        let alices;
        before(async () => {
            database = await target.create();
            service = await startTestService(database);
            alices = [
                await enqueue(service, { type: 'echo', runAt: '2100-01-01T00:00:00Z', payload: { secret: 'alice' } }, { sub: 'alice', scopes: [...USER] }),
                await enqueue(service, { type: 'sleep', payload: { ms: 60_000 } }, { sub: 'alice', scopes: [...USER] }),
            ];
        });
        after(async () => {
            await service?.close();
            await database?.cleanup();
        });
        const as = (sub) => ({ sub, scopes: [...USER] });
        it("answers 404 to another owner's job on get, long-poll and cancel, and leaves it untouched", async () => {
            for (const job of alices) {
                const etag = (await service.request(`/v1/jobs/${job.id}`, as('alice'))).headers.get('etag');
                await expectProblem(await service.request(`/v1/jobs/${job.id}`, as('bob')), 404, 'not-found');
                await expectProblem(await service.request(`/v1/jobs/${job.id}?wait=1`, as('bob')), 404, 'not-found');
                await expectProblem(await service.request(`/v1/jobs/${job.id}?wait=1`, { ...as('bob'), headers: { 'if-none-match': etag } }), 404, 'not-found');
                await expectProblem(await service.request(`/v1/jobs/${job.id}/cancel`, { ...as('bob'), method: 'POST' }), 404, 'not-found');
                const seen = await expectJson(await service.request(`/v1/jobs/${job.id}`, as('alice')), 200);
                assert.equal(seen.cancelRequested, false);
                assert.notEqual(seen.state, 'cancelled');
            }
            // The 404 is the same as for a job that does not exist: nothing tells the two apart.
            const missing = await expectProblem(await service.request('/v1/jobs/999999999', as('bob')), 404, 'not-found');
            const hidden = await expectProblem(await service.request(`/v1/jobs/${alices[0].id}`, as('bob')), 404, 'not-found');
            assert.equal(hidden.title, missing.title);
        });
        it("never lists another owner's jobs, with any filter or cursor", async () => {
            const bobs = await enqueue(service, { type: 'echo', runAt: '2100-01-01T00:00:00Z' }, as('bob'));
            for (const query of [
                '',
                '?state=queued',
                '?state=running',
                '?type=echo',
                '?type=sleep',
                '?queue=default',
                '?limit=1',
            ]) {
                const { jobs } = await expectJson(await service.request(`/v1/jobs${query}`, as('bob')), 200);
                assert.ok(jobs.every((job) => job.id === bobs.id), `bob's list ${query} shows: ${JSON.stringify(jobs.map((j) => j.id))}`);
            }
            // A cursor made from alice's list, handed to bob, still only pages through bob's jobs.
            const page = await expectJson(await service.request('/v1/jobs?limit=1', as('alice')), 200);
            assert.ok(page.nextCursor, 'alice has two jobs: a next page');
            const next = await expectJson(await service.request(`/v1/jobs?cursor=${page.nextCursor}`, as('bob')), 200);
            assert.ok(next.jobs.every((job) => job.id === bobs.id));
            // An admin sees both owners.
            const all = await expectJson(await service.request('/v1/jobs?limit=100', { sub: 'root', scopes: ['jobs:read', 'admin'] }), 200);
            const ids = new Set(all.jobs.map((job) => job.id));
            for (const id of [...alices.map((j) => j.id), bobs.id])
                assert.ok(ids.has(id), `admin list lacks ${id}`);
        });
        it("treats another owner's Idempotency-Key as a fresh key, single and batch", async () => {
            const body = JSON.stringify({ type: 'echo', payload: { n: 1 } });
            const alice = await service.request('/v1/jobs', {
                ...as('alice'),
                method: 'POST',
                body,
                headers: { 'idempotency-key': 'shared-key' },
            });
            const aliceJob = await expectJson(alice, 202);
            const bobSame = await service.request('/v1/jobs', {
                ...as('bob'),
                method: 'POST',
                body,
                headers: { 'idempotency-key': 'shared-key' },
            });
            assert.equal(bobSame.headers.get('idempotent-replayed'), null);
            const bobJob = await expectJson(bobSame, 202);
            assert.notEqual(bobJob.id, aliceJob.id);
            // Another body under alice's key: for bob it is a new key, not a 422 conflict.
            const other = JSON.stringify({ type: 'echo', payload: { n: 2 } });
            const bobOther = await service.request('/v1/jobs', {
                ...as('carol'),
                method: 'POST',
                body: other,
                headers: { 'idempotency-key': 'shared-key' },
            });
            await expectJson(bobOther, 202);
            // Alice's own replay still finds her job.
            const replay = await service.request('/v1/jobs', {
                ...as('alice'),
                method: 'POST',
                body,
                headers: { 'idempotency-key': 'shared-key' },
            });
            assert.equal((await expectJson(replay, 200)).id, aliceJob.id);
            const batch = (payload) => JSON.stringify({ jobs: [{ type: 'echo', payload, idempotencyKey: 'batch-key' }] });
            const aliceBatch = await expectJson(await service.request('/v1/jobs/batch', { ...as('alice'), method: 'POST', body: batch({ a: 1 }) }), 202);
            const bobBatch = await expectJson(await service.request('/v1/jobs/batch', { ...as('bob'), method: 'POST', body: batch({ b: 2 }) }), 202);
            assert.notEqual(bobBatch.jobs[0].id, aliceBatch.jobs[0].id);
            assert.deepEqual(bobBatch.jobs[0].payload, { b: 2 });
            await expectProblem(await service.request(`/v1/jobs/${aliceBatch.jobs[0].id}`, as('bob')), 404, 'not-found');
        });
        it('refuses a write-only token on reads and a read-only token on writes (403), never showing a job', async () => {
            const job = alices[0];
            const writeOnly = { sub: 'alice', scopes: ['jobs:write'] };
            const readOnly = { sub: 'alice', scopes: ['jobs:read'] };
            await expectProblem(await service.request(`/v1/jobs/${job.id}`, writeOnly), 403, 'insufficient-scope');
            await expectProblem(await service.request('/v1/jobs', writeOnly), 403, 'insufficient-scope');
            await expectProblem(await service.request(`/v1/jobs/${job.id}/cancel`, { ...readOnly, method: 'POST' }), 403, 'insufficient-scope');
            await expectProblem(await service.request('/v1/jobs', { ...readOnly, method: 'POST', body: '{"type":"echo"}' }), 403, 'insufficient-scope');
            for (const path of ['/v1/admin/status', '/v1/admin/drain', '/v1/admin/resume']) {
                const method = path.endsWith('status') ? 'GET' : 'POST';
                await expectProblem(await service.request(path, { sub: 'alice', scopes: [...USER], method }), 403, 'insufficient-scope');
            }
        });
    });
}
//# sourceMappingURL=ownerIsolation.test.js.map