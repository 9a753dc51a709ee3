/**
 * One database for the suite this is called in, shared by its tests (a PGlite takes a second or two
 * to open): created and connected before them and handed to `opened`, which keeps what it needs;
 * closed and removed after them. Call it inside `describe`, where `before` and `after` belong.
 *
 * The connection is direct, as a test reads the stored truth; with `asService`, it is the one a
 * service opens (through PgBouncer where the pass has one: test/support/databases.ts). While it is
 * open the driver's fault is skipped, as in a service (test/support/driverFaults.ts): a suite that
 * terminates one of its sessions (pauseBoard) could meet it.
 */
import { after, before } from 'node:test'
import { connectDatabase } from '../../src/db/connect.js'
import type { Database } from '../../src/db/database.js'
import type { DatabaseTarget, TestDatabase } from './databases.js'
import { holdDriverFaultSkip } from './driverFaults.js'

export function suiteDatabase(
  target: DatabaseTarget,
  opened: (database: TestDatabase, db: Database) => void,
  { asService = false }: { asService?: boolean } = {},
): void {
  let database: TestDatabase | undefined
  let db: Database | undefined
  let releaseSkip: (() => void) | undefined
  before(async () => {
    database = await target.create()
    db = await connectDatabase(
      asService ? database.serviceConnection : { databaseUrl: database.databaseUrl, dataDir: database.dataDir },
    )
    releaseSkip = holdDriverFaultSkip()
    opened(database, db)
  })
  after(async () => {
    await db?.close({ timeoutSeconds: 1 })
    releaseSkip?.()
    await database?.cleanup()
  })
}
