/**
 * Statements written once per shape (src/db/fixedStatement.ts, the plain claim's): each occurrence
 * of a parameter is its own `$n`, in the order the text names them, as postgres.js numbers a tagged
 * template's values, and the values travel by name. Run against PostgreSQL (through PgBouncer where
 * the pass has one: statements unprepared there); on PGlite the fair-claim suite sends the claim's.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fixedStatement, quotedIdentifier, runFixed } from '../../src/db/fixedStatement.js';
import { databaseTargets, onceSkip } from '../support/databases.js';
import { suiteDatabase } from '../support/suiteDatabase.js';
describe('fixedStatement', () => {
    it('numbers every occurrence of a parameter in the order the text names it', () => {
        const statement = fixedStatement((p) => `select ${p('b')}, ${p('a')}, ${p('b')}`);
        assert.equal(statement.text, 'select $1, $2, $3');
        assert.deepEqual(statement.names, ['b', 'a', 'b']);
    });
    it('quotes a schema name as an identifier', () => {
        assert.equal(quotedIdentifier('job_runner'), '"job_runner"');
        assert.equal(quotedIdentifier('a"b'), '"a""b"');
    });
});
for (const target of databaseTargets()) {
    const skip = onceSkip(target, 'the claim suites send fixed statements on both databases');
    describe(`fixedStatement on ${target.name}`, { timeout: 60_000, skip }, () => {
        let db;
        suiteDatabase(target, (_, connected) => {
            db = connected;
        });
        it('sends each value where its name stands, typed by its place in the text, again and again', async () => {
            // One name in two places of different types: each occurrence is inferred on its own.
            const statement = fixedStatement((p) => `select ${p('n')} * interval '1 millisecond' as span, ${p('n')} + 1 as next, ${p('word')} || '!' as loud,
                 to_regnamespace(${p('schema')}) is not null as found`);
            for (const n of [5, 7]) {
                const [row] = await runFixed(db.sql, statement, { n, word: `w${n}`, schema: db.schema });
                assert.deepEqual({ span: row.span, next: Number(row.next), loud: row.loud, found: row.found }, { span: `00:00:00.00${n}`, next: n + 1, loud: `w${n}!`, found: true });
            }
        });
    });
}
//# sourceMappingURL=fixedStatement.test.js.map