/**
 * The main pool's connections have a lifetime (src/db/connect.ts, `CONNECTION_LIFETIME_SECONDS`):
 * postgres.js hands its open connections out in turn, so an instance idling on a poll a second kept
 * every connection a burst had opened, for good. Shown with a lifetime of one second: after a burst
 * of six at once, an instance that only polls ends with the burst's connections closed and one
 * connection serving its polls; and a transaction that outlives the lifetime is not cut.
 */
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import postgres from 'postgres';
import { connectDatabase } from '../../src/db/connect.js';
import { postgresOnly, skipWithoutPostgres } from '../support/databases.js';
import { describeOrSkip } from '../support/describeOrSkip.js';
const target = postgresOnly();
/** Generous beside the one-second lifetime (the burst’s close about a second after they opened): a bound, not a timing claim. */
const PATIENCE_MS = 20_000;
describeOrSkip('Connection lifetime (postgres)', { skip: skipWithoutPostgres() }, () => {
    let database;
    let db;
    let observer;
    before(async () => {
        database = await target.create();
        db = await connectDatabase({
            databaseUrl: database.databaseUrl,
            dataDir: database.dataDir,
            maxConnections: 6,
            connectionLifetimeSeconds: 1,
        });
        observer = postgres(database.databaseUrl, { max: 1, onnotice: () => { } });
    });
    after(async () => {
        await observer?.end();
        await db?.close();
        await database?.cleanup();
    });
    const alive = async (pids) => (await observer `select pid from pg_stat_activity where pid in ${observer(pids)}`).map((r) => r.pid);
    it('closes the connections a burst opened while the instance only polls, and serves the polls on one', async () => {
        const burst = await Promise.all([1, 2, 3, 4, 5, 6].map(() => db.sql `select pg_backend_pid() as pid, pg_sleep(0.1)`));
        const burstPids = [...new Set(burst.map(([row]) => row.pid))];
        assert.ok(burstPids.length >= 4, `the burst opened ${burstPids.length} connections`);
        // Polls one at a time, as an idle instance's claim poll and sweeps do, until none of the burst's
        // connections is left. Without a lifetime they all stay open and this runs out of patience.
        const deadline = Date.now() + PATIENCE_MS;
        let recentPids = [];
        for (;;) {
            const [row] = await db.sql `select pg_backend_pid() as pid`;
            recentPids = [...recentPids.slice(-9), row.pid];
            if ((await alive(burstPids)).length === 0)
                break;
            assert.ok(Date.now() < deadline, `still open after ${PATIENCE_MS} ms: ${(await alive(burstPids)).join(', ')}`);
            await new Promise((resolve) => setTimeout(resolve, 50));
        }
        // The polls after that are served by one connection (a second at most, while one closes).
        for (let i = 0; i < 10; i++) {
            const [row] = await db.sql `select pg_backend_pid() as pid`;
            recentPids = [...recentPids.slice(-9), row.pid];
        }
        assert.ok(new Set(recentPids).size <= 2, `the last ten polls used ${new Set(recentPids).size} connections`);
    });
    it('does not end a connection inside a transaction that outlives its lifetime', async () => {
        const rows = await db.sql.begin(async (tx) => {
            const [first] = await tx `select pg_backend_pid() as pid`;
            await tx `select pg_sleep(1.6)`;
            const [second] = await tx `select pg_backend_pid() as pid, 1 as n`;
            return [first.pid, second.pid, second.n];
        });
        assert.equal(rows[0], rows[1], 'the transaction stayed on its connection');
        assert.equal(rows[2], 1);
    });
});
//# sourceMappingURL=connectionLifetime.test.js.map