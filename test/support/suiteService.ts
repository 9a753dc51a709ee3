/**
 * The real service for the suite this is called in, on a database of its own, shared by its tests,
 * as `suiteEngine` gives an engine: started before them and handed to `started` with its database;
 * shut down, and the database removed, after them. Call it inside `describe`; `env` and `options`
 * are `startTestService`'s.
 */
import { after, before } from 'node:test'
import type { DatabaseTarget, TestDatabase } from './databases.js'
import { startTestService, type TestService } from './service.js'

export function suiteService(
  target: DatabaseTarget,
  started: (service: TestService, database: TestDatabase) => void,
  env: Record<string, string> = {},
  options: Parameters<typeof startTestService>[2] = {},
): void {
  let database: TestDatabase | undefined
  let service: TestService | undefined
  before(async () => {
    database = await target.create()
    service = await startTestService(database, env, options)
    started(service, database)
  })
  after(async () => {
    await service?.close()
    await database?.cleanup()
  })
}
