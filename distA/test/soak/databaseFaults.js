/**
 * The database goes away under a running service, and comes back. The service sits behind a TCP
 * proxy (tcpProxy.ts) so only its own connections are cut; the PostgreSQL server, shared with other
 * suites, is never touched (the `terminate` fault kills only backends of the test's own database).
 *
 * While the database is gone every job request and /readyz answer 503 problem+json with
 * Retry-After within a bound (no hang), /livez answers 200, and the process keeps running. Once it
 * is back, everything resumes unaided: every job enqueued before succeeds, none is lost, and none
 * starts again after it succeeded (watched through the runner's own events, in-process).
 */
import assert from 'node:assert/strict';
import postgres from 'postgres';
import { expectProblem } from '../support/http.js';
import { startTestService } from '../support/service.js';
import { startTcpProxy } from './tcpProxy.js';
export async function runDatabaseFault({ database, fault, jobs, rounds, requestBoundMs = 6000, }) {
    assert.ok(database.databaseUrl, 'database faults need PostgreSQL');
    const upstream = new URL(database.databaseUrl);
    const proxy = await startTcpProxy({ host: upstream.hostname, port: Number(upstream.port || 5432) });
    let service;
    try {
        service = await startTestService(database, {
            DATABASE_URL: proxy.urlFor(database.databaseUrl),
            LEASE_SECONDS: '2',
            CHECKPOINT_INTERVAL_SECONDS: '0.2',
            RETRY_BASE_MS: '20',
            CONCURRENCY: '8',
            LOG_LEVEL: 'info',
        });
        const watcher = watchRuns(service);
        const token = await service.token({ sub: 'faults' });
        const adminToken = await service.token({ sub: 'faults', scopes: ['jobs:read', 'jobs:write', 'admin'] });
        const ids = await enqueueMix(service, jobs);
        // The target of the reads and the cancel made during the fault: due in a century, never run.
        const target = await service.request('/v1/jobs', {
            token,
            method: 'POST',
            body: JSON.stringify({ type: 'echo', runAt: '2100-01-01T00:00:00Z' }),
        });
        assert.equal(target.status, 202);
        const targetId = (await target.json()).id;
        // Some jobs are running when the database goes.
        await service.runner.events.waitFor('job:start', () => true);
        if (fault === 'terminate') {
            await terminateBackends(database.databaseUrl);
        }
        else {
            if (fault === 'refuse')
                proxy.refuse();
            else
                proxy.blackhole();
            proxy.cut();
        }
        const seen = [];
        for (let round = 0; round < rounds; round++) {
            const requests = [
                ['/v1/jobs', { method: 'POST', body: JSON.stringify({ type: 'echo', payload: { during: round } }) }],
                ['/v1/jobs?limit=5', {}],
                [`/v1/jobs/${targetId}`, {}],
                [`/v1/jobs/${targetId}?wait=1`, { headers: { 'if-none-match': '"stale"' } }],
                [`/v1/jobs/${targetId}/cancel`, { method: 'POST' }],
                ['/v1/jobs/batch', { method: 'POST', body: JSON.stringify({ jobs: [{ type: 'echo' }] }) }],
            ];
            // All at once, as clients would send them: each must be answered within the bound, and a
            // black-holed round then costs one store timeout rather than one per request.
            const responses = await Promise.all(requests.map(([path, init]) => bounded(service, path, { ...init, token }, requestBoundMs)));
            for (const [index, response] of responses.entries()) {
                const [path] = requests[index];
                seen.push(response.status);
                // `terminate` heals at once (postgres.js reconnects), so a success is allowed there; never a 500.
                // (A job enqueued then must finish too: the final listing holds it.)
                if (fault === 'terminate' && response.status < 500) {
                    await response.body?.cancel();
                    continue;
                }
                const retryAfter = response.headers.get('retry-after');
                await expectProblem(response, 503);
                assert.match(retryAfter ?? '', /^[0-9]+$/, `${path}: 503 without Retry-After`);
            }
            const ready = await bounded(service, '/readyz', { token: null }, requestBoundMs);
            if (fault === 'terminate' && ready.status === 200)
                await ready.body?.cancel();
            else
                await expectProblem(ready, 503);
            const live = await bounded(service, '/livez', { token: null }, requestBoundMs);
            assert.equal(live.status, 200);
            await live.body?.cancel();
            const status = await bounded(service, '/v1/admin/status', { token: adminToken }, requestBoundMs);
            assert.equal(status.status, 200, 'admin status answers without the database');
            await status.body?.cancel();
        }
        assert.ok(seen.every((status) => status !== 500), `a 500 while the database was gone: ${seen.join(',')}`);
        assert.equal(service.lifecycle.state, 'running', 'the service must not stop because its database went away');
        proxy.restore();
        // Everything resumes unaided: no call to the service but reads.
        const all = await waitForAllFinished(service, adminToken, 60_000);
        for (const id of ids)
            assert.ok(all.has(id), `job ${id} was lost`);
        for (const [id, job] of all) {
            assert.equal(job.state, 'succeeded', `job ${id} (${job.type}) ended ${job.state}: ${job.error ?? ''}`);
            const rerun = watcher.startedAfterSuccess.get(id);
            assert.equal(rerun, undefined, `job ${id} started again after it succeeded`);
        }
        const ready = await bounded(service, '/readyz', { token: null }, requestBoundMs);
        assert.equal(ready.status, 200, 'ready again once the database is back');
        await ready.body?.cancel();
        // The failures were logged, without a token in any line.
        for (const line of service.logs.lines)
            assert.ok(!line.includes(token.split('.')[2]), `a log line holds the token: ${line.slice(0, 200)}`);
        watcher.stop();
    }
    finally {
        await service?.close();
        await proxy.close();
    }
}
/** Records, per job, a `job:start` seen after a `job:settled` succeeded for it. */
function watchRuns(service) {
    const succeeded = new Set();
    const startedAfterSuccess = new Map();
    const offs = [
        service.runner.events.on('job:settled', ({ job, outcome }) => {
            if (outcome === 'succeeded')
                succeeded.add(job.id);
        }),
        service.runner.events.on('job:start', ({ job }) => {
            if (succeeded.has(job.id))
                startedAfterSuccess.set(job.id, Date.now());
        }),
    ];
    return { startedAfterSuccess, stop: () => offs.forEach((off) => off()) };
}
async function enqueueMix(service, count) {
    const jobs = Array.from({ length: count }, (_, i) => {
        switch (i % 4) {
            case 0:
                return { type: 'count', payload: { to: 40, stepMs: 25 } };
            case 1:
                return { type: 'sleep', payload: { ms: 300 } };
            case 2:
                return { type: 'flaky', payload: { failTimes: 1 }, maxAttempts: 10 };
            default:
                return { type: 'echo', payload: { i } };
        }
    });
    const response = await service.request('/v1/jobs/batch', {
        sub: 'faults',
        method: 'POST',
        body: JSON.stringify({ jobs }),
    });
    assert.equal(response.status, 202, await response.clone().text());
    const body = (await response.json());
    return body.jobs.map((job) => job.id);
}
/** A request that must be answered within `boundMs`: a hang fails with a clear message. */
async function bounded(service, path, init, boundMs) {
    const started = Date.now();
    try {
        return await service.request(path, { ...init, signal: AbortSignal.timeout(boundMs) });
    }
    catch (error) {
        throw new Error(`${init.method ?? 'GET'} ${path} was not answered within ${boundMs} ms (waited ${Date.now() - started} ms): ${String(error)}`);
    }
}
/** Pages through every job (admin) until none is queued or running; long-polls nothing, re-lists on change. */
async function waitForAllFinished(service, adminToken, timeoutMs) {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
        const all = new Map();
        let cursor = null;
        let failed = false;
        do {
            const response = await service.request(`/v1/jobs?limit=100${cursor ? `&cursor=${cursor}` : ''}`, {
                token: adminToken,
            });
            if (response.status !== 200) {
                failed = true;
                await response.body?.cancel();
                break;
            }
            const page = (await response.json());
            for (const job of page.jobs)
                all.set(job.id, job);
            cursor = page.nextCursor;
        } while (cursor);
        // Jobs due in the far future (the fault's read targets) are not expected to finish.
        for (const [id, job] of all)
            if (job.runAt !== null && Date.parse(job.runAt) > Date.now() + 3600_000)
                all.delete(id);
        const pending = [...all.values()].filter((job) => job.state === 'queued' || job.state === 'running');
        if (!failed && pending.length === 0)
            return all;
        if (Date.now() > deadline)
            assert.fail(`jobs still unfinished after the database came back: ${JSON.stringify(pending.slice(0, 5))}`);
        // Wakes on the next settlement (a safety-net timer re-lists anyway: a job may settle on another path).
        await Promise.race([
            service.runner.events.waitFor('job:settled', () => true),
            new Promise((resolve) => setTimeout(resolve, 500).unref()),
        ]);
    }
}
/** Terminates the backends of the test's own database only (never another database's). */
async function terminateBackends(databaseUrl) {
    const name = new URL(databaseUrl).pathname.slice(1);
    assert.match(name, /^job_runner_test_[0-9a-f]+$/, 'only a test database may have its backends terminated');
    const admin = postgres(databaseUrl, { max: 1, onnotice: () => { } });
    try {
        const rows = await admin `select pg_terminate_backend(pid) as done from pg_stat_activity where datname = ${name} and pid <> pg_backend_pid()`;
        return rows.length;
    }
    finally {
        await admin.end();
    }
}
//# sourceMappingURL=databaseFaults.js.map