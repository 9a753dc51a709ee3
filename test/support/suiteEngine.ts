/**
 * One database and one engine for the suite this is called in, shared by its tests, as
 * `suiteDatabase` gives a database: created before them and handed to `opened`, which keeps the
 * engine; closed and removed after them. Call it inside `describe`. The `gates` of gated jobs the
 * suite runs are opened first at the end, so that no run holds the engine's stop.
 */
import { after, before } from 'node:test'
import type { DatabaseTarget, TestDatabase } from './databases.js'
import { openEngine, type Engine, type EngineOptions } from './engine.js'
import type { GatedJob } from './gatedJob.js'

export function suiteEngine(
  target: DatabaseTarget,
  opened: (engine: Engine) => void,
  { gates = [], ...options }: EngineOptions & { gates?: readonly GatedJob[] } = {},
): void {
  let database: TestDatabase | undefined
  let engine: Engine | undefined
  before(async () => {
    database = await target.create()
    engine = await openEngine(database, options)
    opened(engine)
  })
  after(async () => {
    for (const gate of gates) gate.open()
    await engine?.close()
    await database?.cleanup()
  })
}
