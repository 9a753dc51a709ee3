/**
 * The event hub's fallback for streams of many jobs, which have no poll of their own: notices other
 * instances sent while the LISTEN connection was down are lost, so when it comes back the hub reads
 * the jobs written since the oldest version its streams of many jobs sent, and hands them out.
 * PostgreSQL only (PGlite has no LISTEN connection to lose). The job is written through the store,
 * which the hub does not hear: only the catch-up can bring it.
 *
 * And, on both databases, the hub's bound: past `maxPending` job ids waiting to be read, its streams
 * of many jobs are dropped rather than followed with a backlog that grows without end.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import postgres from 'postgres';
import { JobEventHub } from '../../src/events/jobEventHub.js';
import { databaseTargets, postgresOnly, skipWithoutPostgres } from '../support/databases.js';
import { describeOrSkip } from '../support/describeOrSkip.js';
import { listeningBackends } from '../support/listening.js';
import { newJob, openEngine } from '../support/engine.js';
const target = postgresOnly();
describeOrSkip('the event hub after its LISTEN connection comes back', { skip: skipWithoutPostgres(), timeout: 30_000 }, () => {
    let database;
    let engine;
    let admin;
    before(async () => {
        database = await target.create();
        engine = await openEngine(database);
        admin = postgres(database.databaseUrl, { max: 1, onnotice: () => { } });
    });
    after(async () => {
        await admin?.end();
        await engine?.close();
        await database?.cleanup();
    });
    it('catches its streams of many jobs up from the table', async () => {
        const errors = [];
        const hub = new JobEventHub({}, { jobs: engine.jobs, notifier: engine.notifier, onError: (e) => errors.push(e) });
        const { version } = await engine.jobs.eventStreamStart();
        const delivered = [];
        let arrived;
        const follower = {
            wants: () => true,
            deliver: (versioned) => {
                delivered.push(versioned);
                arrived?.();
            },
            logCursor: () => '0',
            deliverLogs: () => false,
            end: () => { },
            catchUpVersion: () => version,
        };
        hub.add(follower);
        try {
            const [enqueued] = await engine.store.enqueueJobs({ owner: 'alice', jobs: [newJob({ type: 'echo' })] });
            const [listener] = await listeningBackends(admin);
            const caughtUp = new Promise((resolve) => {
                arrived = () => delivered.some((v) => v.job.id === enqueued.job.id) && resolve();
            });
            await admin `select pg_terminate_backend(${listener})`;
            await caughtUp;
            assert.deepEqual(errors, []);
        }
        finally {
            hub.remove(follower);
            hub.stop();
        }
    });
});
// More jobs changed than the hub reads: the ids waiting grew without bound while a stream of many
// jobs followed a fast drain (bench/RESULTS.md, P8). Past `maxPending` the streams of many jobs are
// dropped (they reconnect with Last-Event-ID) and the ids only they wanted are forgotten; a stream
// of one job goes on.
for (const target of databaseTargets()) {
    describe(`the event hub behind more changes than it reads, on ${target.name}`, { timeout: 30_000 }, () => {
        let database;
        let engine;
        before(async () => {
            database = await target.create();
            engine = await openEngine(database);
        });
        after(async () => {
            await engine?.close();
            await database?.cleanup();
        });
        it('drops its streams of many jobs past maxPending, and keeps serving a stream of one job', async () => {
            const hub = new JobEventHub({ maxPending: 10, pollMs: 50 }, { jobs: engine.jobs, notifier: engine.notifier, onError: () => { } });
            const follower = (fields) => ({
                deliver: () => { },
                logCursor: () => '0',
                deliverLogs: () => false,
                end: () => { },
                ...fields,
            });
            let drops = 0;
            const many = follower({ wants: () => true, drop: () => void drops++, catchUpVersion: () => '0' });
            const [followed] = await engine.jobs.enqueue({ owner: 'alice', jobs: [{ type: 'echo', payload: 0 }] });
            const delivered = new Promise((resolve) => {
                hub.add(follower({ jobId: followed.job.id, deliver: () => resolve() }));
            });
            hub.add(many);
            try {
                // Eleven jobs at once: more ids waiting than maxPending, before any read.
                await engine.jobs.enqueue({
                    owner: 'alice',
                    jobs: Array.from({ length: 11 }, (_, i) => ({ type: 'echo', payload: i + 1 })),
                });
                assert.equal(drops, 1, 'the stream of many jobs is dropped once');
                assert.equal(hub.size, 1, 'and no longer followed; the stream of one job is');
                await delivered;
            }
            finally {
                hub.stop();
            }
        });
    });
}
//# sourceMappingURL=jobEventHub.test.js.map