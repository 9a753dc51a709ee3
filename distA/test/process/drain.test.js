/**
 * The orchestrator's drain, on the real server: POST /v1/admin/drain, watch /v1/admin/status go
 * draining → drained with runningJobs reaching 0 while job routes and /readyz answer 503, then
 * POST /v1/admin/resume and see the requeued jobs run again from their checkpoints.
 */
import { after, afterEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { databaseTargets, embeddedInSoak } from '../support/databases.js';
import { enqueueJob, spawnServer, waitForJob, withDatabase } from '../support/process.js';
for (const target of databaseTargets()) {
    describe(`process: HTTP drain and resume (${target.name})`, () => {
        const servers = [];
        const databases = [];
        afterEach(async () => {
            await Promise.all(servers.splice(0).map((server) => server.dispose()));
        });
        after(async () => {
            await Promise.all(databases.splice(0).map((database) => database.cleanup()));
        });
        it('drains (503 on job routes and /readyz, admin still answering), requeues running jobs with their checkpoints, and resumes them', async () => {
            const database = await target.create();
            databases.push(database);
            // The stubborn job holds the drain in `draining` until the grace deadline, so that state can be watched.
            const server = await spawnServer(database, { SHUTDOWN_GRACE_SECONDS: '3', CHECKPOINT_INTERVAL_SECONDS: '0.1' });
            servers.push(server);
            const count = await enqueueJob(server, { type: 'count', payload: { to: 150, stepMs: 20 } });
            const stubborn = await enqueueJob(server, { type: 'stubborn', payload: { to: 60, stepMs: 50 } });
            await waitForJob(server, count.id, (job) => job.state === 'running' && (job.checkpoint?.cursor ?? 0) > 0, {
                description: 'running with a flushed checkpoint',
            });
            await waitForJob(server, stubborn.id, (job) => job.state === 'running' && (job.checkpoint?.cursor ?? 0) > 0, {
                description: 'running with a flushed checkpoint',
            });
            const drain = await server.request('/v1/admin/drain', { method: 'POST' });
            assert.equal(drain.status, 202);
            const answer = (await drain.json());
            assert.deepEqual([answer.state, answer.runningJobs], ['draining', 2]);
            assert.deepEqual([...answer.runningJobIds].sort(), [count.id, stubborn.id].sort());
            const status = async () => {
                const response = await server.request('/v1/admin/status');
                assert.equal(response.status, 200, 'admin routes answer during a drain');
                return (await response.json());
            };
            const seen = [];
            const deadline = Date.now() + 15_000;
            for (let current = await status();; current = await status()) {
                seen.push(current);
                if (current.state === 'drained' || Date.now() > deadline)
                    break;
                // While draining, job routes and readiness already refuse.
                const job = await server.request(`/v1/jobs/${count.id}`);
                assert.equal(job.status, 503);
                assert.equal(job.headers.get('retry-after'), '5');
                await job.arrayBuffer();
            }
            assert.equal(seen[0]?.state, 'draining');
            assert.ok(seen[0].runningJobs > 0, 'the stubborn job still runs at the start of the drain');
            assert.deepEqual(seen.at(-1), { ...seen.at(-1), state: 'drained', runningJobs: 0 });
            assert.deepEqual([...new Set(seen.map((s) => s.state))], ['draining', 'drained']);
            assert.ok(server.alive, 'a drain never exits');
            for (const [path, init] of [
                [`/v1/jobs/${count.id}`, {}],
                ['/v1/jobs', { method: 'POST', body: JSON.stringify({ type: 'echo', payload: {} }) }],
                ['/readyz', {}],
            ]) {
                const response = await server.request(path, init);
                assert.equal(response.status, 503, `${path} while drained`);
                assert.equal(response.headers.get('retry-after'), '5');
                assert.equal(response.headers.get('content-type'), 'application/problem+json');
                await response.arrayBuffer();
            }
            assert.equal((await server.request('/livez')).status, 200);
            // The status carries the drain's report: the count job interrupted, the stubborn one abandoned.
            const { lastStop } = (await (await server.request('/v1/admin/status')).json());
            assert.equal(lastStop.kind, 'drain');
            assert.deepEqual([lastStop.interrupted, lastStop.abandoned], [[count.id], [stubborn.id]]);
            assert.ok(lastStop.finishedAt);
            const abandoned = server.logsMatching('job ignored its shutdown token until the grace deadline: abandoning it, writing its checkpoint and requeueing it (the attempt counts)');
            assert.deepEqual(abandoned.map((r) => r.jobId), [stubborn.id]);
            if (target.name === 'postgres') {
                // PGlite's folder belongs to the running server; PostgreSQL can be read beside it.
                const rows = await withDatabase(database, (db) => db.sql `
          select id::text as id, state, interruptions, (checkpoint->>'cursor')::int as cursor, lease_owner from job_runner.job_runner_jobs order by id`);
                for (const row of rows) {
                    assert.equal(row.state, 'queued', `job ${row.id}`);
                    assert.equal(row.interruptions, 1);
                    assert.ok((row.cursor ?? 0) > 0, `job ${row.id} kept its checkpoint`);
                    assert.equal(row.lease_owner, null);
                }
            }
            const resume = await server.request('/v1/admin/resume', { method: 'POST' });
            assert.equal(resume.status, 200);
            assert.deepEqual(await resume.json(), { state: 'running' });
            assert.equal((await status()).state, 'running');
            assert.equal((await server.request('/readyz')).status, 200);
            const counted = await waitForJob(server, count.id, (job) => job.state === 'succeeded', {
                description: 'succeeded',
            });
            assert.equal(counted.interruptions, 1);
            assert.equal(counted.result?.runs, 2);
            assert.ok((counted.result?.resumedFrom ?? 0) > 0, 'resumed from its checkpoint');
            const finished = await waitForJob(server, stubborn.id, (job) => job.state === 'succeeded', {
                description: 'succeeded',
            });
            assert.equal(finished.interruptions, 1);
            assert.ok((finished.result?.resumedFrom ?? 0) > 0, 'resumed from its checkpoint');
            server.kill('SIGTERM');
            const exit = await server.exited;
            assert.deepEqual([exit.code, exit.signal], [0, null]);
        });
        it('exits 0 on a SIGTERM that comes while drained, answering 503 even to admin routes meanwhile', async (t) => {
            const inSoak = embeddedInSoak(target, 'the lifecycle from drained to exited');
            if (inSoak)
                return t.skip(inSoak);
            const database = await target.create();
            databases.push(database);
            const server = await spawnServer(database, { SHUTDOWN_GRACE_SECONDS: '3', CHECKPOINT_INTERVAL_SECONDS: '0.1' });
            servers.push(server);
            const count = await enqueueJob(server, { type: 'count', payload: { to: 200, stepMs: 20 } });
            await waitForJob(server, count.id, (job) => job.state === 'running' && (job.checkpoint?.cursor ?? 0) > 0, {
                description: 'running with a flushed checkpoint',
            });
            assert.equal((await server.request('/v1/admin/drain', { method: 'POST' })).status, 202);
            await server.waitForLog((r) => r.msg === 'lifecycle: draining → drained');
            server.kill('SIGTERM');
            const stopping = await server.waitForLog((r) => r.msg === 'lifecycle: drained → stopping');
            assert.equal(stopping.cause, 'SIGTERM');
            const resume = await server.request('/v1/admin/resume', { method: 'POST' }).catch(() => undefined);
            if (resume)
                assert.equal(resume.status, 503, 'a shutdown cannot be resumed');
            const exit = await server.exited;
            assert.deepEqual([exit.code, exit.signal], [0, null]);
            assert.equal(server.logsMatching(/→ running/).length, 0, 'never back to running');
            assert.equal(server.logsMatching('exiting').length, 1);
            const next = await spawnServer(database, { SHUTDOWN_GRACE_SECONDS: '3' });
            servers.push(next);
            const done = await waitForJob(next, count.id, (job) => job.state === 'succeeded', { description: 'succeeded' });
            assert.equal(done.interruptions, 1, 'the drain interrupted it once; the SIGTERM found nothing left to interrupt');
            assert.ok((done.result?.resumedFrom ?? 0) > 0);
            next.kill('SIGTERM');
            assert.equal((await next.exited).code, 0);
        });
    });
}
//# sourceMappingURL=drain.test.js.map