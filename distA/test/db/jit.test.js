/**
 * The service's sessions run without JIT compilation (src/db/pooling.ts, `SESSION_SETTINGS`): with a
 * million jobs queued, PostgreSQL compiled each claim for about 500 ms before running it in 4 ms.
 * Shown on the claim itself: on a queue deep enough for its cost estimate to pass `jit_above_cost`,
 * a session with the server's default compiles it, the service's does not. Through a transaction
 * pooler the setting cannot be sent: start-up then warns with the sentence that says what to change.
 */
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import postgres from 'postgres';
import { connectDatabase } from '../../src/db/connect.js';
import { jitWarning } from '../../src/db/pooling.js';
import { postgresOnly, skipWithoutPostgres } from '../support/databases.js';
import { describeOrSkip } from '../support/describeOrSkip.js';
const target = postgresOnly();
describeOrSkip('JIT compilation (postgres)', { skip: skipWithoutPostgres() }, () => {
    let database;
    let db;
    let plain;
    before(async () => {
        database = await target.create();
        db = await connectDatabase({ databaseUrl: database.databaseUrl, dataDir: database.dataDir, maxConnections: 3 });
        // A session as any client opens one: the server's defaults.
        plain = postgres(database.databaseUrl, { max: 1, onnotice: () => { } });
    });
    after(async () => {
        await plain?.end();
        await db?.close();
        await database?.cleanup();
    });
    it('is off on every connection of the service’s pools', async () => {
        // Three at once, so that the pool opens three connections.
        const settings = await Promise.all([1, 2, 3].map(() => db.sql `select current_setting('jit') as jit, pg_sleep(0.05)`));
        assert.deepEqual(settings.map(([row]) => row.jit), ['off', 'off', 'off']);
        const [direct] = await db.session `select current_setting('jit') as jit`;
        assert.equal(direct.jit, 'off');
    });
    it('would compile a deep queue’s statements where the server default holds; start-up says so through a pooler', async (t) => {
        const [{ jit } = { jit: 'off' }] = await plain `select current_setting('jit') as jit`;
        if (jit !== 'on')
            return t.skip('this server has JIT off by default');
        // Estimated at a billion rows (a set-returning function of unknown size counts as 1,000), far past
        // jit_above_cost (100,000), and one row when run: the plan of a run says "JIT" when it compiled.
        const explain = (sql) => sql.unsafe(`explain (analyze, format json) select count(*)
        from generate_series(1, (select 1)) a, generate_series(1, (select 1)) b, generate_series(1, (select 1)) c`);
        const planOf = async (sql) => JSON.stringify(await explain(sql));
        assert.match(await planOf(plain), /"JIT"/, 'the server default compiles it');
        assert.doesNotMatch(await planOf(db.sql), /"JIT"/, 'the service does not');
        assert.match((await jitWarning(plain, 'transaction')) ?? '', /ALTER ROLE <role> SET jit = off/);
        assert.equal(await jitWarning(plain, 'none'), undefined, 'a session of its own is set at startup');
        assert.equal(await jitWarning(db.sql, 'transaction'), undefined, 'nothing to say where it is off');
    });
});
//# sourceMappingURL=jit.test.js.map