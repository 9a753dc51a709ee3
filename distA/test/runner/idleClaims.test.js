/**
 * The claim loop where other instances' wake-ups reach it (PostgreSQL, LISTEN): an idle runner backs
 * its poll off, so it must claim at once when its LISTEN connection comes back, since whatever was
 * announced meanwhile is lost. The runner polls once a minute here; the job is inserted with the
 * database's insert notice switched off for that session (as if it had been sent while the
 * connection was down), so only the resync can start it within the test. PostgreSQL only.
 */
import { after, before, it } from 'node:test';
import postgres from 'postgres';
import { DEFAULT_DATABASE_SCHEMA } from '../../src/config.js';
import { postgresOnly, skipWithoutPostgres } from '../support/databases.js';
import { describeOrSkip } from '../support/describeOrSkip.js';
import { listeningBackends } from '../support/listening.js';
import { openEngine } from '../support/engine.js';
const target = postgresOnly();
describeOrSkip('an idle runner when its LISTEN connection comes back', { skip: skipWithoutPostgres(), timeout: 40_000 }, () => {
    let database;
    let engine;
    let admin;
    before(async () => {
        database = await target.create();
        engine = await openEngine(database);
        admin = postgres(database.databaseUrl, {
            max: 1,
            onnotice: () => { },
            connection: { search_path: DEFAULT_DATABASE_SCHEMA },
        });
    });
    after(async () => {
        await admin?.end();
        await engine?.close();
        await database?.cleanup();
    });
    it('claims at once what was announced while it was away', async () => {
        const runner = engine.newRunner({ pollIntervalMs: 60_000 });
        await runner.start();
        // A job announced as usual, run and settled: the claim loop is past its first claim, waiting.
        const first = await engine.jobs.enqueue({ owner: 'alice', jobs: [{ type: 'echo' }] });
        await runner.events.waitFor('job:settled', (e) => e.job.id === first[0].job.id);
        const [row] = await admin.begin(async (sql) => {
            // Triggers off for this transaction: the insert's notice (migration 007) is never sent.
            await sql `set local session_replication_role = replica`;
            return sql `
        insert into job_runner.job_runner_jobs (owner, type, queue, max_attempts) values ('alice', 'echo', 'default', 1)
        returning id::text`;
        });
        const settled = runner.events.waitFor('job:settled', (e) => e.job.id === row.id);
        const [listener] = await listeningBackends(admin);
        await admin `select pg_terminate_backend(${listener})`;
        await settled;
    });
});
//# sourceMappingURL=idleClaims.test.js.map