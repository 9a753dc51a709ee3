/**
 * A bulk retry of `jobs` failed jobs through a SIGKILL: real server processes (spawned like the
 * Procfile's web line) work the action while a client keeps enqueuing; the one working it is
 * SIGKILLed midway, and another (PostgreSQL: a second instance already running; PGlite: the same
 * data folder restarted) carries it on once the lease expires.
 *
 * What it proves: at the kill, the action's progress and the jobs agree exactly (the jobs retried
 * are those the committed batches counted: each batch committed whole or not at all); at the end,
 * every job was retried exactly once (`retries` = 1: none missed, none twice), the action says
 * `completed` with `done` = `jobs`, and every enqueue answered 202 (but for those cut off by the kill)
 * and is stored. Used by test/process/bulkActions.test.ts (a few thousand jobs) and by the soak
 * (100,000, `npm run soak`).
 */
import assert from 'node:assert/strict';
import { setTimeout as delay } from 'node:timers/promises';
import { spawnServer, withDatabase } from '../support/process.js';
const QUEUE = 'parked';
const SERVER_ENV = { LEASE_SECONDS: '2', LOG_LEVEL: 'debug', SHUTDOWN_GRACE_SECONDS: '3', QUEUES: 'default' };
export async function runBulkRetryThroughKill({ database, target, jobs, batchSize, killAfter, timeoutMs = 120_000, }) {
    const env = { ...SERVER_ENV, BULK_BATCH_SIZE: String(batchSize) };
    await withDatabase(database, async (db) => {
        // Failed jobs as a failed run leaves them, in a queue no instance serves: retried, they stay
        // queued for the count below.
        await db.sql `
      insert into job_runner.job_runner_jobs (owner, type, queue, max_attempts, state, attempts, finished_at, error)
      select 'alice', 'echo', ${QUEUE}, 1, 'failed', 1, now(), 'boom' from generate_series(1, ${jobs})`;
    });
    const servers = [];
    const enqueuer = new Enqueuer();
    try {
        const first = await spawnServer(database, env);
        servers.push(first);
        // On PostgreSQL a second instance stands by and takes the action over; PGlite is one process.
        const standby = target === 'postgres' ? await spawnServer(database, env) : undefined;
        if (standby)
            servers.push(standby);
        enqueuer.start(first);
        const startedAt = Date.now();
        const response = await first.request('/v1/bulk-actions', {
            method: 'POST',
            body: JSON.stringify({ action: 'retry', filter: { state: 'failed', queue: QUEUE } }),
        });
        assert.equal(response.status, 202, await response.clone().text());
        const { id, matched } = (await response.json());
        assert.equal(matched, jobs);
        // Whichever instance leased it: on PostgreSQL the standby may have been first to look.
        const worker = await new Promise((resolve, reject) => {
            let waiting = servers.length;
            for (const server of servers) {
                server
                    .waitForLog((r) => r.msg === 'bulk action: working' && r.bulkActionId === id, {
                    timeoutMs,
                    description: 'the bulk action leased',
                })
                    .then(() => resolve(server), (error) => --waiting === 0 && reject(error));
            }
        });
        await worker.waitForLog((r) => r.msg === 'bulk action: batch' && r.bulkActionId === id && Number(r.done) >= killAfter, { timeoutMs, description: `${killAfter} jobs done` });
        worker.kill('SIGKILL');
        await worker.exited;
        // Progress and jobs committed together: the jobs retried are exactly those the action counted
        // (one statement, one snapshot: on PostgreSQL the other instance may take over meanwhile).
        const doneAtKill = await withDatabase(database, async (db) => {
            const [row] = await db.sql `
        select b.state, b.done,
               (select count(*)::int from job_runner.job_runner_jobs where queue = ${QUEUE} and retries = 1 and state = 'queued')
                 as retried,
               (select count(*)::int from job_runner.job_runner_jobs where queue = ${QUEUE}
                  and not (retries = 1 and state = 'queued') and not (retries = 0 and state = 'failed')) as other
        from job_runner.job_runner_bulk_actions b where b.id = ${id}`;
            assert.ok(row.done < jobs, `killed midway, not after the end (${row.done} of ${jobs})`);
            assert.equal(row.retried, row.done, 'the committed batches and their jobs agree');
            assert.equal(row.other, 0);
            return row.done;
        });
        // The other instance, or (PGlite) the same data folder restarted, carries the action on.
        let carrier = servers.find((server) => server !== worker);
        if (!carrier) {
            carrier = await spawnServer(database, env);
            servers.push(carrier);
        }
        enqueuer.start(carrier);
        const resumed = await carrier.waitForLog((r) => r.msg === 'bulk action: working' && r.bulkActionId === id, {
            timeoutMs,
            description: 'the bulk action taken over',
        });
        assert.equal(resumed.resumed, true);
        assert.ok(Number(resumed.done) >= doneAtKill);
        await carrier.waitForLog((r) => r.msg === 'bulk action: completed' && r.bulkActionId === id, {
            timeoutMs,
            description: 'the bulk action completed',
        });
        const totalMs = Date.now() - startedAt;
        const shown = (await (await carrier.request(`/v1/bulk-actions/${id}`)).json());
        assert.deepEqual([shown.state, shown.matched, shown.done, shown.failed], ['completed', jobs, jobs, 0]);
        await enqueuer.stop();
        carrier.kill('SIGTERM');
        assert.equal((await carrier.exited).code, 0);
        for (const server of servers)
            await server.dispose();
        await withDatabase(database, async (db) => {
            const [counts] = await db.sql `
        select count(*) filter (where retries = 1 and state = 'queued')::int as once,
               count(*) filter (where not (retries = 1 and state = 'queued'))::int as other
        from job_runner.job_runner_jobs where queue = ${QUEUE}`;
            assert.deepEqual(counts, { once: jobs, other: 0 }, 'every job retried exactly once');
            const [stored] = await db.sql `
        select count(*)::int as n from job_runner.job_runner_jobs
        where id in (select jsonb_array_elements_text(${db.sql.json(enqueuer.ids)})::bigint)`;
            assert.equal(stored.n, enqueuer.ids.length, 'every accepted enqueue is stored');
        });
        const latencies = [...enqueuer.latencies].sort((a, b) => a - b);
        assert.ok(latencies.length > 0, 'enqueues were served while the action ran');
        const at = (q) => Math.round(latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))]);
        return {
            jobs,
            doneAtKill,
            totalMs,
            enqueued: enqueuer.ids.length,
            enqueueP50Ms: at(0.5),
            enqueueP99Ms: at(0.99),
            enqueueMaxMs: Math.round(latencies.at(-1)),
        };
    }
    finally {
        await enqueuer.stop();
        await Promise.all(servers.map((server) => server.dispose()));
    }
}
/** Enqueues one job after another against the server it is pointed at, until stopped. */
class Enqueuer {
    ids = [];
    latencies = [];
    server;
    loop;
    stopped = false;
    /** Called when the loop waits for the server that replaces a killed one. */
    switched;
    start(server) {
        this.server = server;
        this.switched?.();
        this.loop ??= this.run();
    }
    async stop() {
        this.stopped = true;
        this.switched?.();
        await this.loop;
    }
    async run() {
        while (!this.stopped) {
            const server = this.server;
            const began = performance.now();
            try {
                const response = await server.request('/v1/jobs', {
                    method: 'POST',
                    body: JSON.stringify({ type: 'echo', payload: { n: this.ids.length } }),
                });
                const text = await response.text();
                if (!server.alive)
                    continue;
                assert.equal(response.status, 202, text);
                this.ids.push(JSON.parse(text).id);
                this.latencies.push(performance.now() - began);
            }
            catch (error) {
                // Only a request the SIGKILL cut off may fail (its exit may be seen a moment after the reset);
                // then the next server is waited for.
                const exited = await Promise.race([server.exited.then(() => true), delay(2000).then(() => false)]);
                if (!exited)
                    throw error;
                if (this.server === server && !this.stopped)
                    await new Promise((resolve) => (this.switched = resolve));
            }
        }
    }
}
//# sourceMappingURL=bulkActions.js.map