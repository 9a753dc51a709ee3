/**
 * DATABASE_SCHEMA on each database: the service's tables are made in the schema it names, every
 * connection finds them there, and nothing of the service is left in `public` — so it can share an
 * application's database.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { connectDatabase } from '../../src/db/connect.js';
import { migrate } from '../../src/db/migrate.js';
import { JobStore } from '../../src/queue/store.js';
import { databaseTargets } from '../support/databases.js';
import { newJob } from '../support/engine.js';
for (const target of databaseTargets()) {
    describe(`DATABASE_SCHEMA (${target.name})`, () => {
        let database;
        let db;
        before(async () => {
            database = await target.create();
            db = await connectDatabase({ ...database, databaseSchema: 'app_jobs', maxConnections: 3 });
        });
        after(async () => {
            await db?.close();
            await database?.cleanup();
        });
        it('keeps the tables in the schema it names, and stores and reads jobs there', async () => {
            await migrate(db);
            const store = new JobStore(db.sql, db.schema);
            const [enqueued] = await store.enqueueJobs({ owner: 'alice', jobs: [newJob({ payload: { here: true } })] });
            // Every connection of the pool has the schema in its search_path.
            const reads = await Promise.all([1, 2, 3].map(() => store.getJob({ id: enqueued.job.id, owner: 'alice' })));
            for (const job of reads)
                assert.deepEqual(job?.payload, { here: true });
            const [jobs] = await db.sql `
        select n.nspname as schema from pg_class c join pg_namespace n on n.oid = c.relnamespace
        where c.relname = 'job_runner_jobs' and n.nspname = 'app_jobs'`;
            assert.equal(jobs?.schema, 'app_jobs');
            const inPublic = await db.sql `
        select c.relname from pg_class c join pg_namespace n on n.oid = c.relnamespace
        where n.nspname = 'public' and left(c.relname, 11) = 'job_runner_'`;
            assert.equal(inPublic.length, 0);
        });
    });
}
//# sourceMappingURL=schema.test.js.map