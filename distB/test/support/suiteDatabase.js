/**
 * One database for the suite this is called in, shared by its tests (a PGlite takes a second or two
 * to open): created and connected before them and handed to `opened`, which keeps what it needs;
 * closed and removed after them. Call it inside `describe`, where `before` and `after` belong.
 *
 * The connection is direct, as a test reads the stored truth; with `asService`, it is the one a
 * service opens (through PgBouncer where the pass has one: test/support/databases.ts).
 */
import { after, before } from 'node:test';
import { connectDatabase } from '../../src/db/connect.js';
export function suiteDatabase(target, opened, { asService = false } = {}) {
    let database;
    let db;
    before(async () => {
        database = await target.create();
        db = await connectDatabase(asService ? database.serviceConnection : { databaseUrl: database.databaseUrl, dataDir: database.dataDir });
        opened(database, db);
    });
    after(async () => {
        await db?.close({ timeoutSeconds: 1 });
        await database?.cleanup();
    });
}
//# sourceMappingURL=suiteDatabase.js.map