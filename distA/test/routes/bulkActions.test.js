/**
 * /v1/bulk-actions over real HTTP, on each database: a retry and a cancel by filter and by ids
 * (worked in several batches), a running job's token aborted with `cancelled`, the jobs created
 * after the action left alone, owner isolation (a caller's filter matches its own jobs only, another
 * owner's ids fail with a reason, another owner's action is not found; admin acts across owners),
 * the dry run, the scopes, and every bad input answered 422 naming its field.
 */
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { databaseTargets, onceSkip, ROUTES_THROUGH_THE_STORE } from '../support/databases.js';
import { enqueue, expectJson, expectProblem, pollUntil } from '../support/http.js';
import { startTestService } from '../support/service.js';
/** A caller without `admin`: acts on its own jobs only. */
const USER = ['jobs:read', 'jobs:write'];
/** A queue no instance serves: retried jobs stay queued there, for the test to read. */
const PARKED = 'parked';
for (const target of databaseTargets()) {
    describe(`/v1/bulk-actions routes (${target.name})`, { skip: onceSkip(target, ROUTES_THROUGH_THE_STORE) }, () => {
        let database;
        let service;
        before(async () => {
            database = await target.create();
            // Small batches, so that every action here takes several.
            service = await startTestService(database, { BULK_BATCH_SIZE: '3' });
        });
        after(async () => {
            await service?.close();
            await database?.cleanup();
        });
        beforeEach(async () => {
            await service.db.sql `delete from job_runner.job_runner_jobs where queue = ${PARKED}`;
        });
        /** `count` failed jobs of `owner` in the parked queue (a failed job is a row in that state). */
        async function failedJobs(count, { owner = 'alice', type = 'echo' } = {}) {
            const rows = await service.db.sql `
        insert into job_runner.job_runner_jobs (owner, type, queue, max_attempts, state, attempts, finished_at, error)
        select ${owner}, ${type}, ${PARKED}, 1, 'failed', 1, now(), 'boom' from generate_series(1, ${count})
        returning id::text as id`;
            return rows.map((r) => r.id).sort((a, b) => Number(a) - Number(b));
        }
        async function states(ids) {
            const rows = await service.db.sql `
        select id::text as id, state, retries from job_runner.job_runner_jobs
        where id in (select jsonb_array_elements_text(${service.db.sql.json(ids)})::bigint)
        order by id`;
            return [...rows];
        }
        /** POSTs a bulk action, expects 202 with a Location, and waits until a worker completes it. */
        async function runBulk(body, init = {}) {
            const completed = service.bulkWorker.events.waitFor('bulk:completed');
            const response = await service.request('/v1/bulk-actions', {
                ...init,
                method: 'POST',
                body: JSON.stringify(body),
            });
            const created = await expectJson(response, 202);
            assert.equal(response.headers.get('location'), `/v1/bulk-actions/${created.id}`);
            assert.ok(['running', 'completed'].includes(created.state));
            const { action } = await completed;
            assert.equal(action.id, created.id);
            return expectJson(await service.request(`/v1/bulk-actions/${created.id}`, init), 200);
        }
        const post = (body, init = {}) => service.request('/v1/bulk-actions', { ...init, method: 'POST', body: JSON.stringify(body) });
        it('retries every failed job a filter matches, in batches, each once; a dry run counts them first', async () => {
            const ids = await failedJobs(10);
            const filter = { state: 'failed', queue: PARKED };
            const preview = await expectJson(await post({ action: 'retry', filter, dryRun: true }), 200);
            assert.deepEqual([preview.matched, preview.dryRun], [10, true]);
            assert.ok((await states(ids)).every((job) => job.state === 'failed'), 'a dry run changes nothing');
            const batches = [];
            const off = service.bulkWorker.events.on('bulk:batch', ({ moved }) => batches.push(moved));
            const action = await runBulk({ action: 'retry', filter });
            off();
            assert.deepEqual([action.action, action.state, action.matched, action.done, action.failed, action.idCount], ['retry', 'completed', 10, 10, 0, null]);
            assert.deepEqual(action.filter, filter);
            assert.ok(action.finishedAt !== null);
            assert.deepEqual(batches, [3, 3, 3, 1], 'batches of BULK_BATCH_SIZE');
            assert.deepEqual((await states(ids)).map((job) => [job.state, job.retries]), ids.map(() => ['queued', 1]));
        });
        it('a retried flaky job resumes from its checkpoint and succeeds', async () => {
            const failed = service.runner.events.waitFor('job:settled', (e) => e.job.type === 'flaky' && e.outcome === 'failed');
            const job = await enqueue(service, { type: 'flaky', payload: { failTimes: 1 }, maxAttempts: 1 });
            await failed;
            const action = await runBulk({ action: 'retry', filter: { type: 'flaky', state: 'failed' } }, { sub: 'alice' });
            assert.ok(action.done >= 1);
            const done = await pollUntil(service, job.id, (j) => j.state === 'succeeded');
            assert.deepEqual([done.retries, done.attempts, done.result], [1, 1, { attempts: 1 }]);
        });
        it('cancels queued jobs at once and aborts a running job with reason cancelled', async () => {
            const queued = await Promise.all([1, 2, 3, 4].map(() => enqueue(service, { type: 'echo', queue: PARKED })));
            const started = service.runner.events.waitFor('job:start', (e) => e.job.type === 'sleep');
            const sleeper = await enqueue(service, { type: 'sleep', payload: { ms: 60_000 } });
            await started;
            const settled = service.runner.events.waitFor('job:settled', (e) => e.job.id === sleeper.id);
            const action = await runBulk({
                action: 'cancel',
                ids: [...queued.map((j) => j.id), sleeper.id],
            });
            assert.deepEqual([action.matched, action.done, action.failed], [5, 5, 0]);
            assert.equal((await settled).outcome, 'cancelled');
            const job = await pollUntil(service, sleeper.id, (j) => j.state === 'cancelled');
            assert.equal(job.cancelRequested, true);
            assert.deepEqual((await states(queued.map((j) => j.id))).map((j) => j.state), ['cancelled', 'cancelled', 'cancelled', 'cancelled']);
            // By filter: the parked queue's queued jobs, and nothing elsewhere.
            const more = await Promise.all([1, 2].map(() => enqueue(service, { type: 'echo', queue: PARKED })));
            const elsewhere = await enqueue(service, { type: 'echo', queue: 'nobody' });
            const byFilter = await runBulk({ action: 'cancel', filter: { queue: PARKED } });
            assert.deepEqual([byFilter.matched, byFilter.done], [2, 2]);
            assert.deepEqual((await states([...more.map((j) => j.id), elsewhere.id])).map((j) => j.state), ['cancelled', 'cancelled', 'queued']);
        });
        it('counts listed ids it cannot act on as failed, with their reasons', async () => {
            const [failedId] = await failedJobs(1);
            const queued = await enqueue(service, { type: 'echo', queue: PARKED });
            const [bobs] = await failedJobs(1, { owner: 'bob' });
            const action = await runBulk({ action: 'retry', ids: [queued.id, failedId, bobs, '999999999', failedId] }, { scopes: USER });
            assert.deepEqual([action.matched, action.idCount, action.done, action.failed], [4, 4, 1, 3]);
            assert.deepEqual([...action.failures].sort((a, b) => Number(a.id) - Number(b.id)), [
                { id: queued.id, reason: 'job is queued; only a failed or cancelled job can be retried' },
                { id: bobs, reason: 'not found for this caller' },
                { id: '999999999', reason: 'not found for this caller' },
            ].sort((a, b) => Number(a.id) - Number(b.id)));
            assert.deepEqual((await states([failedId, bobs])).map((j) => j.state), ['queued', 'failed'], "bob's job is untouched");
            const cancel = await runBulk({ action: 'cancel', ids: [failedId, queued.id] });
            assert.deepEqual(cancel.failures.map((f) => f.reason), [], 'the retried job was queued again, so both are cancelled');
            const again = await runBulk({ action: 'cancel', ids: [queued.id] });
            assert.deepEqual(again.failures, [{ id: queued.id, reason: 'job is already cancelled' }]);
        });
        it("isolates owners: a filter matches the caller's own jobs, an action is its creator's; admin acts across owners", async () => {
            const alices = await failedJobs(3, { owner: 'alice' });
            const bobs = await failedJobs(2, { owner: 'bob' });
            const filter = { state: 'failed', queue: PARKED };
            const preview = await expectJson(await post({ action: 'retry', filter, dryRun: true }, { sub: 'bob', scopes: USER }), 200);
            assert.equal(preview.matched, 2);
            const bobsAction = await runBulk({ action: 'retry', filter }, { sub: 'bob', scopes: USER });
            assert.deepEqual([bobsAction.matched, bobsAction.done], [2, 2]);
            assert.deepEqual((await states([...alices, ...bobs])).map((j) => j.state), ['failed', 'failed', 'failed', 'queued', 'queued']);
            await expectProblem(await service.request(`/v1/bulk-actions/${bobsAction.id}`, { sub: 'alice', scopes: USER }), 404, 'not-found');
            // An admin sees every owner's action, and its filter matches every owner's jobs.
            await expectJson(await service.request(`/v1/bulk-actions/${bobsAction.id}`, { sub: 'carol' }), 200);
            await service.db.sql `update job_runner.job_runner_jobs set state = 'failed' where queue = ${PARKED}`;
            const admins = await runBulk({ action: 'retry', filter }, { sub: 'carol' });
            assert.deepEqual([admins.matched, admins.done], [5, 5]);
        });
        it('leaves alone the jobs created after the action, and filters by creation time', async () => {
            const before = await failedJobs(4);
            // The worker is stopped while the action is created and more jobs fail, as if it were busy.
            await service.bulkWorker.stop();
            const response = await post({ action: 'retry', filter: { queue: PARKED } });
            const created = await expectJson(response, 202);
            assert.deepEqual([created.state, created.matched, created.done], ['running', 4, 0]);
            const later = await failedJobs(2);
            const completed = service.bulkWorker.events.waitFor('bulk:completed', (e) => e.action.id === created.id);
            service.bulkWorker.start();
            assert.equal((await completed).action.done, 4);
            assert.deepEqual((await states([...before, ...later])).map((j) => j.state), ['queued', 'queued', 'queued', 'queued', 'failed', 'failed']);
            await service.db
                .sql `update job_runner.job_runner_jobs set created_at = '2020-01-01T00:00:00Z' where id = ${later[0]}`;
            const old = await runBulk({
                action: 'retry',
                filter: { queue: PARKED, createdBefore: '2021-01-01T00:00:00+01:00' },
            });
            assert.deepEqual(old.filter, { queue: PARKED, createdBefore: '2020-12-31T23:00:00.000Z' }, 'normalized');
            assert.deepEqual([old.matched, old.done], [1, 1]);
            const recent = await runBulk({
                action: 'retry',
                filter: { queue: PARKED, state: 'failed', createdAfter: '2021-01-01T00:00:00Z' },
            });
            assert.deepEqual([recent.matched, recent.done], [1, 1]);
        });
        it('acts on every job only when asked with "all": true', async () => {
            await expectProblem(await post({ action: 'retry', filter: {} }), 422, 'invalid-request').then((problem) => assert.deepEqual(problem.errors?.map((e) => e.pointer), ['/all']));
            const ids = await failedJobs(2);
            const action = await runBulk({ action: 'retry', filter: {}, all: true }, { sub: 'alice', scopes: USER });
            assert.ok(action.done >= 2);
            assert.deepEqual((await states(ids)).map((j) => j.state), ['queued', 'queued']);
        });
        it('422 naming the field for every bad request; 404, 401 and 403 as elsewhere', async () => {
            const refused = async (body, pointer, pattern) => {
                const problem = await expectProblem(await post(body), 422);
                assert.ok(problem.errors?.some((e) => e.pointer === pointer), `${JSON.stringify(body)}: ${JSON.stringify(problem)}`);
                if (pattern)
                    assert.match(problem.detail ?? '', pattern);
            };
            await refused({ action: 'delete', filter: { state: 'failed' } }, '/action');
            await refused({ filter: { state: 'failed' } }, '/action');
            await refused({ action: 'retry', filter: { state: 'failed', owner: 'bob' } }, '/filter/owner');
            await refused({ action: 'retry', filter: { state: 'failed' }, force: true }, '/force');
            await refused({ action: 'retry', filter: { state: 'succeeded' } }, '/filter/state', /failed or cancelled/);
            await refused({ action: 'cancel', filter: { state: 'failed' } }, '/filter/state', /queued or running/);
            await refused({ action: 'retry', filter: { state: 'done' } }, '/filter/state');
            await refused({ action: 'retry', filter: { type: 'Not A Type' } }, '/filter/type');
            await refused({ action: 'retry', filter: { createdBefore: 'yesterday' } }, '/filter/createdBefore');
            await refused({ action: 'retry', filter: { createdAfter: '0001-01-01T00:00:00Z' } }, '/filter/createdAfter');
            await refused({ action: 'retry', filter: { state: 'failed' }, ids: ['1'] }, '/');
            await refused({ action: 'retry' }, '/');
            await refused({ action: 'retry', ids: [] }, '/ids');
            await refused({ action: 'retry', ids: ['abc'] }, '/ids/0');
            await refused({ action: 'retry', ids: ['1'], all: true }, '/all');
            await refused({ action: 'retry', ids: Array.from({ length: 1001 }, (_, i) => String(i + 1)) }, '/ids');
            await expectProblem(await service.request('/v1/bulk-actions/999999', {}), 404, 'not-found');
            await expectProblem(await service.request('/v1/bulk-actions/abc', {}), 404, 'not-found');
            const body = JSON.stringify({ action: 'retry', filter: { state: 'failed' } });
            await expectProblem(await service.request('/v1/bulk-actions', { method: 'POST', body, token: null }), 401, 'unauthorized');
            await expectProblem(await service.request('/v1/bulk-actions', { method: 'POST', body, scopes: ['jobs:read'] }), 403, 'insufficient-scope');
            await expectProblem(await service.request('/v1/bulk-actions/1', { scopes: ['jobs:write'] }), 403);
        });
    });
}
//# sourceMappingURL=bulkActions.test.js.map