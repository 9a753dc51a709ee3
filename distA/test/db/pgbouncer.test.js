/**
 * The service behind a real PgBouncer in transaction pooling mode (test/support/pgbouncer.ts, two
 * server connections per database, so that a client's transactions land on both): each hazard of
 * a pooled session (src/db/pooling.ts) and what handles it.
 *
 * - a startup `search_path` is refused by the pooler: the unpooled settings fail at once, naming the fix;
 * - jobs enqueued over HTTP run, in a schema of their own, with requests racing on the two server
 *   connections, and leave on them no search_path, prepared statement or LISTEN of the service's;
 * - the same pool with postgres.js's prepared statements does leave them (the hazard is real here);
 * - NOTIFY sent in pooled transactions (the insert trigger, the notifier) reaches LISTEN on the
 *   direct connection: runners' wake-ups and long-polls' change notices;
 * - concurrency limits hold with their transaction-scoped advisory locks across pooled connections;
 * - migrations run over the direct connection alone, and every function carries its own search_path.
 *
 * Beside them, without a database: the store's SQL names every table with its schema and uses
 * nothing that outlives a transaction, so a statement added later cannot bring the hazard back
 * unnoticed (the suite's PostgreSQL pass runs through PgBouncer too: test/run.mjs).
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import postgres from 'postgres';
import { connectDatabase, openDatabase } from '../../src/db/connect.js';
import { migrate } from '../../src/db/migrate.js';
import { migrations } from '../../src/db/migrations/index.js';
import { Notifier } from '../../src/queue/notifier.js';
import { JobStore } from '../../src/queue/store.js';
import { StartupError } from '../../src/startupError.js';
import { projectRoot } from '../../src/support/projectRoot.js';
import { postgresTarget } from '../support/databases.js';
import { describeOrSkip } from '../support/describeOrSkip.js';
import { newJob } from '../support/engine.js';
import { expectJson } from '../support/http.js';
import { skipWithoutPgBouncer, startPgBouncer } from '../support/pgbouncer.js';
import { startTestService } from '../support/service.js';
const POOL_SIZE = 2;
describeOrSkip('behind PgBouncer in transaction pooling mode', { skip: skipWithoutPgBouncer(), timeout: 120_000 }, () => {
    // Direct databases: this file makes its own bouncer, whether the run has one or not.
    const target = postgresTarget(process.env.TEST_DATABASE_URL, '');
    let bouncer;
    const cleanups = [];
    before(async () => {
        bouncer = await startPgBouncer({ upstreamUrl: process.env.TEST_DATABASE_URL, poolSize: POOL_SIZE });
    });
    after(async () => {
        for (const cleanup of cleanups.reverse())
            await cleanup().catch(() => { });
        await bouncer?.stop();
    });
    async function freshDatabase() {
        const database = await target.create();
        cleanups.push(() => database.cleanup());
        return database;
    }
    /** The service's settings for `database` through the bouncer. */
    function pooledEnv(database) {
        return {
            DATABASE_URL: bouncer.urlFor(database.databaseUrl),
            DATABASE_DIRECT_URL: database.databaseUrl,
            DATABASE_POOLING: 'transaction',
        };
    }
    async function pooledDatabase(database, databaseSchema) {
        const db = await connectDatabase({
            databaseUrl: bouncer.urlFor(database.databaseUrl),
            databaseDirectUrl: database.databaseUrl,
            databasePooling: 'transaction',
            dataDir: database.dataDir,
            ...(databaseSchema ? { databaseSchema } : {}),
        });
        cleanups.push(() => db.close({ timeoutSeconds: 1 }));
        return db;
    }
    /**
     * What each of the pool's server connections holds, read from inside two transactions held open
     * at once through the bouncer (so each is on its own server connection): its backend, search_path,
     * prepared statements and LISTEN channels.
     */
    async function serverSessions(database) {
        const client = postgres(bouncer.urlFor(database.databaseUrl), {
            max: POOL_SIZE,
            prepare: false,
            onnotice: () => { },
        });
        try {
            let arrived = 0;
            let release;
            const allIn = new Promise((resolve) => (release = resolve));
            return await Promise.all(Array.from({ length: POOL_SIZE }, () => client.begin(async (sql) => {
                const [session] = await sql `
              select pg_backend_pid() as pid, current_setting('search_path') as "searchPath",
                     (select count(*)::int from pg_prepared_statements) as prepared,
                     (select count(*)::int from pg_listening_channels()) as listening`;
                if (++arrived === POOL_SIZE)
                    release();
                await allIn;
                return session;
            })));
        }
        finally {
            await client.end({ timeout: 1 });
        }
    }
    it('refuses the unpooled settings at connect, naming DATABASE_POOLING: the startup search_path is not for a pooler', async () => {
        const database = await freshDatabase();
        await assert.rejects(openDatabase({ databaseUrl: bouncer.urlFor(database.databaseUrl), dataDir: database.dataDir }), (error) => {
            assert.ok(error instanceof StartupError);
            assert.equal(error.variable, 'DATABASE_URL');
            assert.match(error.message, /unsupported startup parameter: search_path/);
            assert.match(error.message, /DATABASE_POOLING=transaction and DATABASE_DIRECT_URL/);
            return true;
        });
    });
    it('names DATABASE_DIRECT_URL when it cannot be reached, or reaches another database than DATABASE_URL', async () => {
        const database = await freshDatabase();
        const other = await freshDatabase();
        const open = (databaseDirectUrl) => openDatabase({
            databaseUrl: bouncer.urlFor(database.databaseUrl),
            databaseDirectUrl,
            databasePooling: 'transaction',
            dataDir: database.dataDir,
            connectTimeoutMs: 3000,
        });
        const closed = new URL(database.databaseUrl);
        closed.port = String(bouncer.port + 1);
        for (const [url, says] of [
            [closed.toString(), /DATABASE_DIRECT_URL: 127\.0\.0\.1:\d+ (refused the connection|no answer)/],
            [other.databaseUrl, /DATABASE_DIRECT_URL reaches another database than DATABASE_URL/],
        ]) {
            await assert.rejects(open(url), (error) => {
                assert.ok(error instanceof StartupError, String(error));
                assert.equal(error.variable, 'DATABASE_DIRECT_URL');
                assert.match(error.message, says);
                return true;
            });
        }
        const db = await open(database.databaseUrl);
        await db.close();
    });
    it('runs jobs enqueued over HTTP in its own schema, and leaves no session state on the server connections', async () => {
        const database = await freshDatabase();
        const service = await startTestService(database, {
            ...pooledEnv(database),
            DATABASE_SCHEMA: 'app_jobs',
            CONCURRENCY: '8',
            LOG_LEVEL: 'warn',
        });
        cleanups.push(() => service.close());
        const batches = 6;
        const perBatch = 50;
        let settled = 0;
        let allSettled;
        const done = new Promise((resolve) => (allSettled = resolve));
        const outcomes = new Map();
        const off = service.runner.events.on('job:settled', ({ outcome }) => {
            outcomes.set(outcome, (outcomes.get(outcome) ?? 0) + 1);
            if (++settled === batches * perBatch)
                allSettled();
        });
        // Enqueues, reads and claims race on the two server connections.
        const enqueued = (await Promise.all(Array.from({ length: batches }, async (_, batch) => {
            const response = await service.request('/v1/jobs/batch', {
                method: 'POST',
                body: JSON.stringify({
                    jobs: Array.from({ length: perBatch }, (_, i) => ({ type: 'echo', payload: { batch, i } })),
                }),
            });
            const { jobs } = await expectJson(response, 202);
            await Promise.all(jobs.slice(0, 5).map(async (job) => expectJson(await service.request(`/v1/jobs/${job.id}`), 200)));
            return jobs;
        }))).flat();
        await done;
        off();
        assert.deepEqual(Object.fromEntries(outcomes), { succeeded: batches * perBatch });
        assert.deepEqual(service.logs
            .records()
            .filter((r) => Number(r.level) >= 40)
            .map((r) => r.msg), [], 'no warning or error (a "prepared statement does not exist" among them)');
        // Through the bouncer, and in app_jobs only: nothing in the search_path would have found them.
        const [pool] = await bouncer
            .admin('SHOW POOLS')
            .then((pools) => pools.filter((p) => p.database === new URL(database.databaseUrl).pathname.slice(1)));
        assert.equal(pool?.pool_mode, 'transaction');
        const direct = postgres(database.databaseUrl, { max: 1, onnotice: () => { } });
        cleanups.push(() => direct.end({ timeout: 1 }));
        const [count] = await direct `select count(*)::int as n from app_jobs.job_runner_jobs where state = 'succeeded'`;
        assert.equal(count.n, enqueued.length);
        await service.close();
        const sessions = await serverSessions(database);
        assert.equal(new Set(sessions.map((s) => s.pid)).size, POOL_SIZE, 'each of the pool’s server connections');
        for (const session of sessions) {
            assert.deepEqual({ searchPath: session.searchPath, prepared: session.prepared, listening: session.listening }, { searchPath: '"$user", public', prepared: 0, listening: 0 }, `server connection ${session.pid}`);
        }
    });
    it('would leave prepared statements on the server connections with postgres.js’s default: the hazard is real here', async () => {
        const database = await freshDatabase();
        // One client, one statement at a time: each runs on an idle server connection and leaves its
        // statement there, named, for whichever client gets that connection next. (Several clients at
        // once through this bouncer hang instead: a statement prepared on one server connection and
        // executed on another.)
        const prepared = postgres(bouncer.urlFor(database.databaseUrl), {
            max: 1,
            fetch_types: false,
            onnotice: () => { },
        });
        try {
            for (let i = 0; i < 3; i++)
                await prepared `select ${i}::int as i`;
        }
        finally {
            await prepared.end({ timeout: 1 });
        }
        const left = (await serverSessions(database)).reduce((sum, s) => sum + s.prepared, 0);
        assert.ok(left > 0, 'the statement stays prepared on a server connection, for whichever client comes next');
    });
    it('carries NOTIFY from pooled transactions to LISTEN on the direct connection', async () => {
        const database = await freshDatabase();
        const sender = await pooledDatabase(database);
        const receiver = await pooledDatabase(database);
        const senderNotifier = new Notifier(sender);
        const receiverNotifier = new Notifier(receiver);
        await Promise.all([senderNotifier.start(), receiverNotifier.start()]);
        cleanups.push(() => senderNotifier.stop(), () => receiverNotifier.stop());
        // The runners' wake-up: sent by the insert trigger, in the inserting (pooled) transaction.
        const queue = `wake-${randomUUID().slice(0, 8)}`;
        const woken = new Promise((resolve) => {
            const off = receiverNotifier.subscribe('jobsAvailable', (name) => {
                if (name === queue) {
                    off();
                    resolve(name);
                }
            });
        });
        const [enqueued] = await new JobStore(sender.sql, sender.schema).enqueueJobs({
            owner: 'alice',
            jobs: [newJob({ queue })],
        });
        assert.equal(await woken, queue);
        // A long-poll's change notice, sent by the notifier's batched pg_notify.
        const changed = new Promise((resolve) => {
            const off = receiverNotifier.watchJob(enqueued.job.id, () => {
                off();
                resolve();
            });
        });
        await senderNotifier.publish('jobChanged', enqueued.job.id);
        await changed;
        // Whoever asks the pooled handle for LISTEN gets the direct one's.
        const heard = new Promise((resolve) => {
            void receiver.sql.listen('pgbouncer_test', (payload) => resolve(payload));
        });
        await waitUntilListening(database, 'pgbouncer_test');
        await sender.sql.notify('pgbouncer_test', 'through the pooler');
        assert.equal(await heard, 'through the pooler');
    });
    it('holds concurrency limits across pooled connections (transaction-scoped advisory locks)', async () => {
        const database = await freshDatabase();
        const db = await pooledDatabase(database);
        const direct = postgres(database.databaseUrl, { max: 1, onnotice: () => { } });
        cleanups.push(() => direct.end({ timeout: 1 }));
        const keys = ['a', 'b', 'c'];
        await new JobStore(db.sql, db.schema).enqueueJobs({
            owner: 'alice',
            jobs: keys.flatMap((key) => Array.from({ length: 40 }, () => newJob({ concurrencyKey: key }))),
        });
        // Six claimers, each its own client connection, over two server connections.
        const stores = Array.from({ length: 6 }, () => new JobStore(db.sql, db.schema));
        const types = [{ type: 'echo', perKey: 2, total: 5 }];
        let maxSeen = 0;
        for (let round = 0; round < 10; round++) {
            const claimed = (await Promise.all(stores.map((s) => s.claimLimitedJobs({ instanceId: randomUUID(), queues: ['default'], limit: 4, leaseMs: 60_000, types })))).flat();
            const [counts] = await direct `
        select coalesce(sum(n), 0)::int as total, coalesce(max(n), 0)::int as "perKeyMax" from (
          select count(*) as n from job_runner.job_runner_jobs where state = 'running' group by concurrency_key) k`;
            assert.ok(counts.total <= 5, `round ${round}: ${counts.total} running, total is 5`);
            assert.ok(counts.perKeyMax <= 2, `round ${round}: ${counts.perKeyMax} of one key running, perKey is 2`);
            maxSeen = Math.max(maxSeen, counts.total);
            await direct `
        update job_runner.job_runner_jobs set state = 'succeeded', finished_at = now(), lease_owner = null, lease_expires_at = null
        where id = any(array(select jsonb_array_elements_text(${direct.json(claimed.map((j) => j.id))})::bigint))`;
        }
        assert.equal(maxSeen, 5, 'the claims reached the total');
    });
    it('migrates over the direct connection alone, and gives every function of the schema its own search_path', async () => {
        const database = await freshDatabase();
        const name = new URL(database.databaseUrl).pathname.slice(1);
        const db = await pooledDatabase(database, 'migrated_direct');
        const { applied } = await migrate(db);
        assert.deepEqual(applied, migrations.map((m) => m.version));
        const pools = await bouncer.admin('SHOW POOLS');
        assert.ok(!pools.some((p) => p.database === name), 'no client of this database went through the bouncer');
        const functions = await db.session `
      select p.proname as name,
             (select c from unnest(p.proconfig) c where c like 'search_path=%') as "searchPath"
      from pg_proc p join pg_namespace n on n.oid = p.pronamespace
      where n.nspname = 'migrated_direct' order by p.proname`;
        assert.ok(functions.length >= 3, 'the trigger functions are there');
        for (const { name, searchPath } of functions) {
            // Without one, it would look for the tables it names in a pooled connection's search_path.
            assert.equal(searchPath, 'search_path=migrated_direct', `function ${name}`);
        }
        // And they run so: an insert through the bouncer fires the listing and announcing triggers.
        const [enqueued] = await new JobStore(db.sql, db.schema).enqueueJobs({ owner: 'alice', jobs: [newJob()] });
        const [listed] = await db.sql `
      select count(*)::int as n from migrated_direct.job_runner_owner_jobs where job_id = ${enqueued.job.id}`;
        assert.equal(listed.n, 1);
    });
    async function waitUntilListening(database, channel) {
        // LISTEN is registered before `listen` resolves only for its promise, which the test does not
        // await (it resolves with the first notification): read the server's own record instead.
        const direct = postgres(database.databaseUrl, { max: 1, onnotice: () => { } });
        try {
            for (;;) {
                const [row] = await direct `
          select count(*)::int as n from pg_stat_activity where query = ${`listen "${channel}"`} and datname = current_database()`;
                if (row.n > 0)
                    return;
                await new Promise((resolve) => setTimeout(resolve, 20));
            }
        }
        finally {
            await direct.end({ timeout: 1 });
        }
    }
});
/**
 * The store's SQL, read as text: table names qualified by the schema, and nothing that outlives a
 * transaction. Comments are left out; `src/db/migrate.ts` and the migrations run in the migration's
 * own transaction on the direct connection, with the schema as its search_path.
 */
describe('the store’s SQL needs no session of its own', () => {
    const root = projectRoot();
    const files = sourceFiles(path.join(root, 'src')).filter((file) => !file.includes(`${path.sep}migrations${path.sep}`) && !file.endsWith(`${path.sep}migrate.ts`));
    const code = files.flatMap((file) => fs
        .readFileSync(file, 'utf8')
        .split('\n')
        .map((text, i) => ({ where: `${path.relative(root, file)}:${i + 1}`, text: withoutComment(text) }))
        .filter(({ text }) => text.trim() !== ''));
    const offending = (pattern) => code.filter(({ text }) => pattern.test(text)).map((l) => `${l.where}: ${l.text.trim()}`);
    it('names every table with its schema (`${schema}.job_runner_jobs`)', () => {
        const table = /(?<![.\w"'])job_runner_(jobs|owner_jobs|bulk_actions|checkpoint_history|instances|job_logs|pauses|rate_limits|schedules|webhook_deliveries|webhooks|migrations)(?![\w"'])/;
        assert.deepEqual(offending(table), []);
    });
    it('takes advisory locks and settings for the transaction only, and never SETs, LISTENs or PREPAREs on the shared pool', () => {
        assert.deepEqual(offending(/pg_(try_)?advisory_lock(_shared)?\s*\(/), [], 'session advisory locks');
        assert.deepEqual(offending(/set_config\([^)]*,\s*false\s*\)/), [], 'session settings');
        assert.deepEqual(offending(/`\s*(set|reset|listen|prepare|discard|declare)\s/i), [], 'session statements');
        assert.deepEqual(offending(/create\s+(temp|temporary)\s/i), [], 'temporary tables');
        // A reserved connection only to send one whole transaction, BEGIN first and COMMIT last, in one write.
        assert.deepEqual(offending(/\.reserve\(\)/).filter((line) => !line.startsWith(path.join('src', 'db', 'pipelinedTransaction.ts:'))), [], 'reserved connections');
        assert.deepEqual(offending(/\bsql\.listen\(/), [], 'LISTEN through `db.session`, the direct connection (connect.ts hands `sql.listen` over to it anyway)');
    });
});
function sourceFiles(dir) {
    return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
        const full = path.join(dir, entry.name);
        if (entry.isDirectory())
            return sourceFiles(full);
        return entry.name.endsWith('.ts') ? [full] : [];
    });
}
/** A line without its comment: a `//`, `/* … *\/` or JSDoc line, or an SQL `--` comment. */
function withoutComment(line) {
    const trimmed = line.trim();
    if (trimmed.startsWith('*') || trimmed.startsWith('/*') || trimmed.startsWith('//'))
        return '';
    const sqlComment = line.indexOf('--');
    return sqlComment === -1 ? line : line.slice(0, sqlComment);
}
//# sourceMappingURL=pgbouncer.test.js.map