/**
 * What no graceful shutdown can help: a SIGKILL, and a database that vanishes before the SIGTERM.
 * Recovery goes through leases: another instance (PostgreSQL) or the restarted one (PGlite, which
 * must take over the stale lock file) recovers the job once its lease expires and resumes it from
 * the last flushed checkpoint.
 */
import { afterEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { databaseTargets } from '../support/databases.js';
import { enqueueJob, processFixture, readJobRows, waitForJob, withDatabase, EXIT_MARGIN_MS, } from '../support/process.js';
const RECOVERED = 'recovered jobs whose runner was lost (lease expired)';
const FAST_LEASES = { LEASE_SECONDS: '2', CHECKPOINT_INTERVAL_SECONDS: '0.2', SHUTDOWN_GRACE_SECONDS: '3' };
for (const target of databaseTargets()) {
    describe(`process: SIGKILL and a lost database (${target.name})`, () => {
        const { spawn, createDatabase } = processFixture(target);
        const cleanups = [];
        // Registered after the fixture's: runs once the test's servers are disposed.
        afterEach(async () => {
            for (const cleanup of cleanups.splice(0))
                await cleanup();
        });
        /** Starts a count job on `server` and waits until a checkpoint past 0 has been flushed. */
        const runCount = async (server) => {
            const count = await enqueueJob(server, { type: 'count', payload: { to: 150, stepMs: 20 } });
            const running = await waitForJob(server, count.id, (job) => job.state === 'running' && (job.checkpoint?.cursor ?? 0) > 0, { description: 'running with a flushed checkpoint' });
            return { id: count.id, flushedCursor: running.checkpoint.cursor };
        };
        if (target.name === 'postgres') {
            it('SIGKILL: a second instance recovers the job after its lease expires and resumes it from the last flushed checkpoint', async () => {
                const database = await createDatabase();
                const first = await spawn(database, FAST_LEASES);
                const { id, flushedCursor } = await runCount(first);
                // Killed at once, while the job has seconds to run (a second instance started first took
                // those seconds on a loaded machine, and the job finished before the kill).
                first.kill('SIGKILL');
                assert.equal((await first.exited).signal, 'SIGKILL');
                const [killed] = await readJobRows(database);
                assert.equal(killed?.state, 'running', 'nothing was written for the killed instance');
                const lastFlushed = Number(killed?.checkpoint?.cursor);
                assert.ok(lastFlushed >= flushedCursor);
                // Started after the kill, while the dead instance's lease still holds the job: the second
                // instance can only get it through recovery.
                const second = await spawn(database, FAST_LEASES);
                const recovery = await second.waitForLog((r) => r.msg === RECOVERED && Array.isArray(r.jobIds) && r.jobIds.includes(id), { description: 'the lease recovery' });
                assert.deepEqual(recovery.failed, []);
                const done = await waitForJob(second, id, (job) => job.state === 'succeeded', { description: 'succeeded' });
                assert.deepEqual(done.result, { counted: 150, resumedFrom: lastFlushed, runs: 2 });
                assert.equal(done.attempts, 2, 'a lost runner uses its attempt');
                second.kill('SIGTERM');
                assert.equal((await second.exited).code, 0);
            });
            it('exits within its grace budget when the database is unreachable during shutdown; another instance recovers the job', async () => {
                const database = await createDatabase();
                const proxy = await startProxy(new URL(database.databaseUrl));
                cleanups.push(() => proxy.close());
                const proxiedUrl = new URL(database.databaseUrl);
                proxiedUrl.port = String(proxy.port);
                const graceSeconds = 3;
                const first = await spawn(database, {
                    ...FAST_LEASES,
                    SHUTDOWN_GRACE_SECONDS: String(graceSeconds),
                    DATABASE_URL: proxiedUrl.toString(),
                });
                const { id, flushedCursor } = await runCount(first);
                // A partition: open connections die, new ones are accepted and never answered.
                proxy.blackhole();
                const sentAt = first.kill('SIGTERM');
                const exit = await first.exited;
                const elapsedMs = exit.at - sentAt;
                assert.ok(elapsedMs < graceSeconds * 1000 + EXIT_MARGIN_MS, `exited ${elapsedMs} ms after SIGTERM with a ${graceSeconds} s grace budget`);
                assert.equal(exit.signal, null, 'it exits by itself');
                assert.equal(first.logsMatching('received SIGTERM: shutting down').length, 1);
                // Its outcome could not be written, and the stop report says so.
                assert.deepEqual(first.logsMatching('runner stopped')[0]?.unwritten, [id]);
                // Nothing could be written: the lease expires and an instance that reaches the database recovers the job.
                const second = await spawn(database, FAST_LEASES);
                await second.waitForLog((r) => r.msg === RECOVERED && Array.isArray(r.jobIds) && r.jobIds.includes(id), {
                    description: 'the lease recovery',
                });
                const done = await waitForJob(second, id, (job) => job.state === 'succeeded', { description: 'succeeded' });
                assert.ok((done.result?.resumedFrom ?? 0) >= flushedCursor, `resumed from ${String(done.result?.resumedFrom)}, flushed ${flushedCursor}`);
                assert.equal(done.result?.runs, 2);
                second.kill('SIGTERM');
                assert.equal((await second.exited).code, 0);
            });
        }
        else {
            it('SIGKILL: a restart on the same DATA_DIR takes over the stale lock, recovers the job after its lease expires and finishes it', async () => {
                const database = await createDatabase();
                const first = await spawn(database, FAST_LEASES);
                const { id, flushedCursor } = await runCount(first);
                first.kill('SIGKILL');
                assert.equal((await first.exited).signal, 'SIGKILL');
                const lockFile = path.join(database.dataDir, 'pglite.lock');
                assert.equal(fs.readFileSync(lockFile, 'utf8').trim(), String(first.pid), 'the killed process left its lock behind');
                const restarted = await spawn(database, FAST_LEASES);
                await restarted.waitForLog((r) => r.msg === RECOVERED && Array.isArray(r.jobIds) && r.jobIds.includes(id), {
                    description: 'the lease recovery',
                });
                const done = await waitForJob(restarted, id, (job) => job.state === 'succeeded', { description: 'succeeded' });
                assert.ok((done.result?.resumedFrom ?? 0) >= flushedCursor, `resumed from ${String(done.result?.resumedFrom)}, flushed ${flushedCursor}`);
                assert.equal(done.result?.runs, 2);
                restarted.kill('SIGTERM');
                assert.equal((await restarted.exited).code, 0);
                assert.equal(fs.existsSync(lockFile), false, 'a clean exit releases the lock');
                const rows = await readJobRows(database);
                assert.deepEqual(rows.map((row) => [row.state, row.lease_owner]), [['succeeded', null]]);
                const restartedId = restarted.logsMatching('job-runner listening')[0]?.instanceId;
                const instances = await withDatabase(database, (db) => db.sql `select id from job_runner.job_runner_instances`);
                assert.deepEqual(instances.map((row) => row.id), [first.logsMatching('job-runner listening')[0]?.instanceId], `only the killed instance stays registered; the restarted one (${String(restartedId)}) deregistered`);
            });
        }
    });
}
/** A TCP proxy to PostgreSQL that a test can cut, to make the database unreachable from a server. */
async function startProxy(target) {
    const sockets = new Set();
    let cut = false;
    const server = net.createServer((client) => {
        sockets.add(client);
        client.on('close', () => sockets.delete(client));
        client.on('error', () => { });
        if (cut)
            return;
        const upstream = net.connect(Number(target.port || 5432), target.hostname);
        sockets.add(upstream);
        upstream.on('close', () => sockets.delete(upstream));
        upstream.on('error', () => client.destroy());
        client.on('error', () => upstream.destroy());
        client.pipe(upstream).pipe(client);
    });
    await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
    return {
        port: server.address().port,
        blackhole() {
            cut = true;
            for (const socket of sockets)
                socket.destroy();
        },
        async close() {
            cut = true;
            for (const socket of sockets)
                socket.destroy();
            await new Promise((resolve) => server.close(() => resolve()));
        },
    };
}
//# sourceMappingURL=sigkill.test.js.map