/**
 * A transaction sent in one write (src/db/pipelinedTransaction.ts, the limited claim's): its
 * statements see one another and commit together; a failing one rolls back the ones before it, the
 * first failure is thrown, and the connection goes back to the pool outside any transaction. On both
 * databases, over the connection a service opens: PGlite's single connection, which the transaction
 * reserves and must give back, and PostgreSQL through PgBouncer's transaction pooling where the pass
 * has one (the limited claim's way there).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { pipelinedTransaction } from '../../src/db/pipelinedTransaction.js';
import { databaseTargets } from '../support/databases.js';
import { suiteDatabase } from '../support/suiteDatabase.js';
for (const target of databaseTargets()) {
    describe(`pipelinedTransaction on ${target.name}`, { timeout: 60_000 }, () => {
        let db;
        suiteDatabase(target, (_, connected) => {
            db = connected;
        }, { asService: true });
        it('runs its statements in one transaction, in order, and commits them', async () => {
            await db.sql `create table pipelined_commit (n int)`;
            const [inserted, seen, inTransaction] = await pipelinedTransaction(db.sql, (tx) => [
                tx `insert into pipelined_commit values (1), (2)`,
                tx `select count(*)::int as n from pipelined_commit`,
                tx `select pg_current_xact_id()::text as id`,
            ]);
            assert.ok(inserted);
            assert.equal(seen[0].n, 2, 'the second statement sees the first');
            assert.ok(inTransaction[0].id);
            const [after] = await db.sql `select count(*)::int as n from pipelined_commit`;
            assert.equal(after.n, 2, 'committed');
        });
        it('rolls back on a failing statement, throws its error, and gives the connection back outside the transaction', async () => {
            await db.sql `create table pipelined_rollback (n int)`;
            await assert.rejects(pipelinedTransaction(db.sql, (tx) => [
                tx `insert into pipelined_rollback values (1)`,
                tx `select 1 / 0`,
                tx `insert into pipelined_rollback values (2)`,
            ]), /division by zero/);
            const [left] = await db.sql `select count(*)::int as n from pipelined_rollback`;
            assert.equal(left.n, 0, 'nothing committed');
            // Every connection of the pool (PGlite's only one) answers outside a transaction: two
            // statements apart get two transaction ids.
            for (let i = 0; i < 3; i += 1) {
                const [a] = await db.sql `select pg_current_xact_id()::text as id`;
                const [b] = await db.sql `select pg_current_xact_id()::text as id`;
                assert.notEqual(a.id, b.id);
            }
        });
    });
}
//# sourceMappingURL=pipelinedTransaction.test.js.map