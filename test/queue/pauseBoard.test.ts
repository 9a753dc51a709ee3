/**
 * The pause board (src/queue/pauses.ts) behind a lost LISTEN connection, on PostgreSQL (PGlite has no
 * other instance to hear): a pause stored while the board's connection was down, whose NOTIFY it
 * therefore never heard, is read when the connection comes back, not at the next periodic read
 * (set here to ten minutes, so only the resync can make the board read). And that periodic read,
 * which finds a pause whose notice was lost with the instance that stored it.
 */
import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import postgres from 'postgres'
import { suiteDatabase } from '../support/suiteDatabase.js'
import { databaseTargets, type TestDatabase } from '../support/databases.js'
import { listeningBackends } from '../support/listening.js'
import type { Database } from '../../src/db/database.js'
import { Notifier } from '../../src/queue/notifier.js'
import { PauseBoard, type PauseChange } from '../../src/queue/pauses.js'
import { PauseStore } from '../../src/queue/pauseStore.js'

for (const target of databaseTargets().filter((t) => t.name === 'postgres')) {
  describe(`pause board on ${target.name}`, { timeout: 30_000 }, () => {
    let database: TestDatabase
    let db: Database

    suiteDatabase(target, (opened, connected) => {
      database = opened
      db = connected
    })

    /** A started notifier and a started board on it, reading the table every `refreshMs`. */
    async function openBoard(refreshMs: number) {
      const notifier = new Notifier(db)
      await notifier.start()
      const store = new PauseStore(db.sql, db.schema)
      const board = new PauseBoard({ store, notifier, onError: () => {} }, { refreshMs })
      const close = async () => {
        await board.stop()
        await notifier.stop()
      }
      try {
        await board.start()
      } catch (error) {
        await close()
        throw error
      }
      return { store, board, close }
    }

    const nextChange = (board: PauseBoard) => new Promise<PauseChange>((resolve) => board.onChange(resolve))

    it('reads the pauses again when its LISTEN connection comes back', async () => {
      const admin = postgres(database.databaseUrl!, { max: 1, onnotice: () => {} })
      const before = await listeningBackends(admin)
      const { store, board, close } = await openBoard(600_000)
      try {
        assert.equal(board.isEmpty, true)
        const listeners = (await listeningBackends(admin)).filter((pid) => !before.includes(pid))
        assert.ok(listeners.length > 0, 'the notifier listens')
        const changed = nextChange(board)
        // Stored without a NOTIFY, as when the publishing instance's NOTIFY was lost with the connection.
        await store.pause({ kind: 'queue', name: 'reports', mode: 'finish' })
        await admin`select pg_terminate_backend(pid) from unnest(${listeners}::int[]) as pid`
        const change = await changed
        assert.deepEqual(
          change.added.map((p) => [p.kind, p.name, p.mode]),
          [['queue', 'reports', 'finish']],
        )
        assert.deepEqual([...board.pausedQueues], ['reports'])
      } finally {
        await close()
        await admin.end()
      }
    })

    it('reads the pauses again every refresh, in case a notice was lost with the publisher', async () => {
      const { store, board, close } = await openBoard(100)
      try {
        const changed = nextChange(board)
        // Stored without a NOTIFY, and the board's connection stays up: only the periodic read finds it.
        await store.pause({ kind: 'type', name: 'sync', mode: 'checkpoint' })
        const change = await changed
        assert.deepEqual(
          change.added.map((p) => [p.kind, p.name, p.mode]),
          [['type', 'sync', 'checkpoint']],
        )
        await store.resume({ kind: 'type', name: 'sync' })
        const resumed = await nextChange(board)
        assert.equal(resumed.resumed, true)
        assert.deepEqual(board.pausedTypes, [])
      } finally {
        await close()
      }
    })
  })
}
