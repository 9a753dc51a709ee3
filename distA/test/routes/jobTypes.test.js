/**
 * GET /v1/job-types over real HTTP: every registered type with its payload schema and defaults (the
 * shipped ones, and one with its own defaults), the schema it shows is the one enqueue enforces,
 * 401/403 like every `jobs:read` route, and an answer during a drain.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { defineJob } from '../../jobs/defineJob.js';
import { JobRegistry, loadJobRegistry } from '../../jobs/registry.js';
import { databaseTargets, onceSkip, ROUTES_THROUGH_THE_STORE } from '../support/databases.js';
import { expectJson, expectProblem } from '../support/http.js';
import { startTestService } from '../support/service.js';
const report = defineJob({
    name: 'report.monthly',
    payloadSchema: {
        type: 'object',
        properties: { month: { type: 'string', pattern: '^[0-9]{4}-[0-9]{2}$' } },
        required: ['month'],
    },
    defaults: { maxAttempts: 7, timeoutSeconds: 30, queue: 'reports' },
    run: async ({ payload }) => payload,
});
for (const target of databaseTargets()) {
    describe(`/v1/job-types (${target.name})`, { skip: onceSkip(target, ROUTES_THROUGH_THE_STORE) }, () => {
        let database;
        let service;
        let shipped;
        before(async () => {
            database = await target.create();
            shipped = await loadJobRegistry();
            const registry = new JobRegistry([...shipped.names().map((name) => shipped.get(name)), report]);
            service = await startTestService(database, {}, { registry });
        });
        after(async () => {
            await service?.close();
            await database?.cleanup();
        });
        it('lists every registered type, sorted, with its payload schema and defaults', async () => {
            const response = await service.request('/v1/job-types', { scopes: ['jobs:read'] });
            const { jobTypes } = await expectJson(response, 200);
            assert.deepEqual(jobTypes.map((t) => t.name), [...shipped.names(), 'report.monthly'].sort());
            for (const name of shipped.names()) {
                const { payloadSchema, resultSchema, defaults } = shipped.get(name);
                assert.deepEqual(jobTypes.find((t) => t.name === name), {
                    name,
                    payloadSchema,
                    ...(resultSchema ? { resultSchema } : {}),
                    defaults: { ...defaults },
                    checkpointVersion: 1,
                });
            }
            assert.ok(jobTypes.find((t) => t.name === 'count')?.resultSchema, 'a shipped job shows its result schema');
            assert.deepEqual(jobTypes.find((t) => t.name === 'report.monthly'), {
                name: 'report.monthly',
                payloadSchema: report.payloadSchema,
                defaults: { maxAttempts: 7, maxInterruptions: 20, timeoutSeconds: 30, queue: 'reports' },
                checkpointVersion: 1,
            });
        });
        it('shows the schema and defaults that enqueue applies', async () => {
            const post = (payload) => service.request('/v1/jobs', { method: 'POST', body: JSON.stringify({ type: 'report.monthly', payload }) });
            const refused = await expectProblem(await post({ month: 'May' }), 422);
            assert.match(refused.errors?.[0]?.pointer ?? '', /^\/month$/);
            const job = await expectJson(await post({ month: '2026-05' }), 202);
            const { queue, maxAttempts, timeoutSeconds } = job;
            assert.deepEqual({ queue, maxAttempts, timeoutSeconds }, { queue: 'reports', maxAttempts: 7, timeoutSeconds: 30 });
        });
        it('needs a token with jobs:read', async () => {
            const missing = await expectProblem(await service.request('/v1/job-types', { token: null }), 401);
            assert.equal(missing.status, 401);
            await expectProblem(await service.request('/v1/job-types', { scopes: ['jobs:write'] }), 403, 'insufficient-scope');
            await expectProblem(await service.request('/v1/job-types', { method: 'POST', body: '{}' }), 405);
        });
        it('answers during a drain, when job routes do not', async () => {
            const drained = service.lifecycle.events.waitFor('lifecycle:state', ({ state }) => state === 'drained');
            await expectJson(await service.request('/v1/admin/drain', { method: 'POST' }), 202);
            if (service.lifecycle.state !== 'drained')
                await drained;
            await expectProblem(await service.request('/v1/jobs'), 503);
            const { jobTypes } = await expectJson(await service.request('/v1/job-types'), 200);
            assert.ok(jobTypes.length > 0);
            await expectJson(await service.request('/v1/admin/resume', { method: 'POST' }), 200);
        });
    });
}
//# sourceMappingURL=jobTypes.test.js.map