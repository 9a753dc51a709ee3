/**
 * Notifications between instances travel packed: one NOTIFY per channel and batch, payloads joined
 * with commas and split again on arrival. Checked alone, and between two instances on PostgreSQL,
 * where a job's change notices also reach the watchers of that job (long-polls) and no others, and
 * where the database itself announces the queues of inserted jobs (migration 007). A job's notices
 * cross only to an instance that watches it (src/queue/watchRegistry.ts): each test waits until the
 * sender has heard the receiver's watches.
 */
import { describe, it, before, after } from 'node:test'
import assert from 'node:assert/strict'
import postgres from 'postgres'
import { databaseTargets, type TestDatabase } from '../support/databases.js'
import { holdDriverFaultSkip } from '../support/driverFaults.js'
import { listeningBackends } from '../support/listening.js'
import { channelName } from '../../src/db/channelName.js'
import { connectDatabase } from '../../src/db/connect.js'
import type { Database } from '../../src/db/database.js'
import { migrate } from '../../src/db/migrate.js'
import { Notifier } from '../../src/queue/notifier.js'
import { JobStore } from '../../src/queue/store.js'
import { packMessages } from '../../src/queue/notifyBatches.js'
import { OwnEchoes } from '../../src/queue/ownEchoes.js'
import type { RemoteWatch } from '../../src/queue/watchRegistry.js'

/** Resolves once `notifier` has heard another instance watch every job in `ids` (or, with 'all', every job). */
function heardWatches(notifier: Notifier, ids: readonly string[] | 'all'): Promise<void> {
  return new Promise((resolve) => {
    const waiting = new Set(ids === 'all' ? [] : ids)
    const off = notifier.watches.onRemoteWatch((watch: RemoteWatch) => {
      if (watch === 'all') {
        if (ids !== 'all') return
      } else {
        for (const id of watch.ids) waiting.delete(id)
        if (ids === 'all' || waiting.size > 0) return
      }
      off()
      resolve()
    })
  })
}

describe('packing notifications', () => {
  it('sends one message per channel, in the order published, without duplicates', () => {
    const packed = packMessages([
      { channel: 'a', payload: '1' },
      { channel: 'b', payload: 'q' },
      { channel: 'a', payload: '2' },
      { channel: 'a', payload: '1' },
    ])
    assert.deepEqual(packed, [
      { channel: 'a', payload: '1,2' },
      { channel: 'b', payload: 'q' },
    ])
  })

  it('splits payloads that would pass PostgreSQL 8,000-byte limit', () => {
    const ids = Array.from({ length: 3000 }, (_, i) => String(1_000_000_000 + i))
    const packed = packMessages(ids.map((payload) => ({ channel: 'c', payload })))
    assert.ok(packed.length > 1)
    for (const message of packed)
      assert.ok(Buffer.byteLength(message.payload) < 8000, `${message.payload.length} bytes`)
    assert.deepEqual(
      packed.flatMap((m) => m.payload.split(',')),
      ids,
    )
  })
})

describe('own echoes', () => {
  it('drops each sent notification once, as heard, and nothing it did not send', () => {
    const echoes = new OwnEchoes()
    echoes.expect([
      { channel: 'a', payload: 'q' },
      { channel: 'b', payload: 'q' },
    ])
    echoes.expect([{ channel: 'a', payload: 'q' }])
    assert.equal(echoes.take('a', 'q'), true)
    assert.equal(echoes.take('a', 'q'), true, 'sent twice, dropped twice')
    assert.equal(echoes.take('a', 'q'), false, 'a third one is another instance’s')
    assert.equal(echoes.take('a', 'q,r'), false, 'a packed payload is known by all of it')
    assert.equal(echoes.take('b', 'q'), true)
    assert.equal(echoes.size, 0)
  })

  it('forgets a failed send, and everything when the connection came back or it grew too large', () => {
    const echoes = new OwnEchoes(3)
    echoes.expect([{ channel: 'a', payload: '1' }])
    echoes.forget([{ channel: 'a', payload: '1' }])
    assert.equal(echoes.take('a', '1'), false, 'a send that failed is never heard')
    echoes.expect([{ channel: 'a', payload: '2' }])
    echoes.clear()
    assert.equal(echoes.take('a', '2'), false)
    echoes.expect(['3', '4', '5'].map((payload) => ({ channel: 'a', payload })))
    echoes.expect([{ channel: 'a', payload: '6' }])
    assert.equal(echoes.size, 1, 'past its bound it starts again: an echo never heard is not kept for ever')
    assert.equal(echoes.take('a', '3'), false)
    assert.equal(echoes.take('a', '6'), true)
  })

  it('delivers once a notice the database sends for its statement: when heard first, or by the caller once answered', () => {
    const echoes = new OwnEchoes()
    const notice = { channel: 'a', payload: 'q' }
    echoes.await(notice)
    assert.equal(echoes.take('a', 'q'), false, 'heard before the answer: delivered as heard')
    assert.equal(echoes.answered(notice), true, 'so the answer delivers nothing')
    echoes.await(notice)
    assert.equal(echoes.answered(notice), false, 'answered first: the caller delivers')
    assert.equal(echoes.take('a', 'q'), true, 'and its echo is dropped')
    assert.equal(echoes.take('a', 'q'), false, 'a further one is another instance’s')

    // Two statements in flight: one notice heard early, the other statement answered first.
    echoes.await(notice)
    echoes.await(notice)
    assert.equal(echoes.take('a', 'q'), false)
    assert.equal(echoes.answered(notice), true)
    assert.equal(echoes.answered(notice), false)
    assert.equal(echoes.take('a', 'q'), true)

    // Failed, or nothing runnable inserted: forgotten, whether something was heard meanwhile or not.
    echoes.await(notice)
    echoes.forgetAwaited(notice)
    assert.equal(echoes.take('a', 'q'), false)
    echoes.await(notice)
    assert.equal(echoes.take('a', 'q'), false)
    echoes.forgetAwaited(notice)
    assert.equal(echoes.size, 0)
  })
})

for (const target of databaseTargets().filter((t) => t.name === 'postgres')) {
  describe(`notifications between instances on ${target.name}`, { timeout: 30_000 }, () => {
    let database: TestDatabase
    const dbs: Database[] = []
    // A test below terminates a notifier's session: skip the driver's fault, as a service does.
    let releaseSkip: (() => void) | undefined

    before(async () => {
      database = await target.create()
      releaseSkip = holdDriverFaultSkip()
    })

    after(async () => {
      await Promise.allSettled(dbs.map((db) => db.close({ timeoutSeconds: 1 })))
      releaseSkip?.()
      await database?.cleanup()
    })

    /** An instance's notifier, on a connection of its own; in `databaseSchema` when given. */
    async function open(databaseSchema?: string): Promise<Notifier> {
      const db = await connectDatabase({ databaseUrl: database.databaseUrl, dataDir: database.dataDir, databaseSchema })
      if (databaseSchema !== undefined) await migrate(db)
      dbs.push(db)
      const notifier = new Notifier(db)
      await notifier.start()
      return notifier
    }

    it('delivers every message of a packed batch to another instance, announced without waiting', async () => {
      const [sender, receiver] = [await open(), await open()]
      // A stream of many jobs watches every job: all the sender's notices cross.
      const heard = heardWatches(sender, 'all')
      receiver.watches.watchAll()
      await heard
      const ids = Array.from({ length: 2000 }, (_, i) => String(i + 1))
      const received = new Set<string>()
      const all = new Promise<void>((resolve) => {
        receiver.subscribe('jobChanged', (id) => {
          received.add(id)
          if (received.size === ids.length) resolve()
        })
      })
      const heardHere: string[] = []
      sender.subscribe('jobChanged', (id) => heardHere.push(id))
      for (const id of ids) sender.announce('jobChanged', id)
      assert.deepEqual(heardHere, ids, 'announced messages reach this process at once')
      await all
      assert.deepEqual(
        [...received].sort((a, b) => Number(a) - Number(b)),
        ids,
      )
      await Promise.all([sender.stop(), receiver.stop()])
    })

    it('hears its own notification once (at publish, not again from PostgreSQL), and every one of another instance', async () => {
      const [sender, receiver] = [await open(), await open()]
      const heardBySender: string[] = []
      sender.subscribe('jobsAvailable', (queue) => heardBySender.push(queue))
      const heardByReceiver = (queue: string) =>
        new Promise<void>((resolve) => {
          const off = receiver.subscribe('jobsAvailable', (q) => q === queue && (off(), resolve()))
        })
      const senderHears = (queue: string) =>
        new Promise<void>((resolve) => {
          const off = sender.subscribe('jobsAvailable', (q) => q === queue && (off(), resolve()))
        })

      const crossed = heardByReceiver('q1')
      sender.announce('jobsAvailable', 'q1')
      assert.deepEqual(heardBySender, ['q1'], 'delivered here at once')
      await crossed
      // The sender's NOTIFY committed before the receiver's marker was sent, and one session hears
      // notifications in commit order: once the marker is here, so is the sender's own echo.
      let marker = senderHears('marker-1')
      await receiver.publish('jobsAvailable', 'marker-1')
      await marker
      assert.deepEqual(heardBySender, ['q1', 'marker-1'], 'its own echo is not delivered again')

      // The same payload from another instance is a message of its own.
      marker = senderHears('marker-2')
      await receiver.publish('jobsAvailable', 'q1')
      await receiver.publish('jobsAvailable', 'marker-2')
      await marker
      assert.deepEqual(heardBySender, ['q1', 'marker-1', 'q1', 'marker-2'])
      await Promise.all([sender.stop(), receiver.stop()])
    })

    it('hears from the database of every committed insert of queued jobs, whoever inserts them, a hundred queues to a notice', async () => {
      const receiver = await open()
      const [writer] = dbs
      const heard = new Set<string>()
      let waiting: { queue: string; resolve: () => void } | undefined
      receiver.subscribe('jobsAvailable', (queue) => {
        heard.add(queue)
        if (queue === waiting?.queue) waiting.resolve()
      })
      const hear = (queue: string) =>
        new Promise<void>((resolve) => (heard.has(queue) ? resolve() : (waiting = { queue, resolve })))
      const queues = Array.from({ length: 150 }, (_, i) => `q${String(i).padStart(3, '0')}-${'x'.repeat(59)}`)
      // Not through the service: an operator's script, or an instance of an earlier release.
      await writer!.sql`
        insert into job_runner.job_runner_jobs (owner, type, queue, max_attempts)
        select 'alice', 'echo', q, 1 from jsonb_array_elements_text(${writer!.sql.json(queues)}) as q`
      await hear(queues.at(-1)!)
      assert.deepEqual([...heard].sort(), queues)
      await writer!.sql`
        insert into job_runner.job_runner_jobs (owner, type, queue, max_attempts, state, finished_at)
        values ('alice', 'echo', 'born-finished', 1, 'succeeded', now())`
      await writer!.sql
        .begin(async (sql) => {
          await sql`insert into job_runner.job_runner_jobs (owner, type, queue, max_attempts) values ('alice', 'echo', 'rolled-back', 1)`
          await sql`select 1/0`
        })
        .catch(() => {})
      await writer!
        .sql`insert into job_runner.job_runner_jobs (owner, type, queue, max_attempts) values ('alice', 'echo', 'last', 1)`
      // Notices arrive in commit order: by the last one, any other would have arrived.
      await hear('last')
      assert.ok(!heard.has('born-finished'), 'a job inserted finished wakes nobody')
      assert.ok(!heard.has('rolled-back'), 'an insert that rolled back announces nothing')
      await receiver.stop()
    })

    it("wakes a job's watchers on its own change notices only, here and from another instance", async () => {
      const [sender, receiver] = [await open(), await open()]
      const watchesHeard = heardWatches(sender, ['7', '8', '10'])
      const heard: string[] = []
      const stopWatching7 = receiver.watchJob('7', () => heard.push('7'))
      receiver.watchJob('8', () => heard.push('8'))
      const stopWatching9 = receiver.watchJob('9', () => heard.push('9'))
      stopWatching9()
      receiver.publishLocal('jobChanged', '7')
      assert.deepEqual(heard, ['7'], 'a local notice reaches its watcher at once, and no other')
      // The last notice marks the end: by then the ones before it have arrived.
      const last = new Promise<void>((resolve) => receiver.watchJob('10', resolve))
      await watchesHeard
      for (const id of ['9', '8', '11', '7', '10']) await sender.publish('jobChanged', id)
      await last
      assert.deepEqual(heard, ['7', '8', '7'])
      stopWatching7()
      receiver.publishLocal('jobChanged', '7')
      assert.deepEqual(heard, ['7', '8', '7'], 'an unwatched job wakes nobody')
      await Promise.all([sender.stop(), receiver.stop()])
    })

    it("sends a job's change notices to the other instances only while one of them watches it", async () => {
      const [sender, receiver] = [await open(), await open()]
      // What crosses the wire, seen by a listener of the test's own.
      const wire = postgres(database.databaseUrl!, { max: 1, onnotice: () => {} })
      const crossed: string[] = []
      let marker: (() => void) | undefined
      await wire.listen('job_runner_jobLogged', (packed) =>
        crossed.push(...packed.split(',').map((id) => `logged ${id}`)),
      )
      await wire.listen('job_runner_jobChanged', (packed) => {
        crossed.push(...packed.split(','))
        if (crossed.includes('1000')) marker?.()
      })
      try {
        for (let id = 1; id < 1000; id++) sender.announce('jobChanged', String(id))
        sender.announce('jobLogged', '5')
        const watched = heardWatches(sender, ['1000'])
        const arrived = new Promise<void>((resolve) => receiver.watchJob('1000', resolve))
        await watched
        const onWire = new Promise<void>((resolve) => (marker = resolve))
        sender.announce('jobChanged', '1000')
        await Promise.all([arrived, onWire])
        // Notifications arrive in commit order: any earlier one would be here by now.
        assert.deepEqual(crossed, ['1000'], 'only the watched job crossed')
      } finally {
        await wire.end()
        await Promise.all([sender.stop(), receiver.stop()])
      }
    })

    it('sends a notice that stayed here a moment ago when a watch of its job arrives', async () => {
      const [sender, receiver] = [await open(), await open()]
      // The change commits on the sender while the receiver's watch is on the wire.
      sender.announce('jobChanged', '77')
      await new Promise<void>((resolve) => receiver.watchJob('77', resolve))
      await Promise.all([sender.stop(), receiver.stop()])
    })

    it('keeps two services of one database in two schemas apart: each hears its own schema only', async () => {
      const other = 'other_jobs'
      const otherChannel = (name: string) => channelName(other, name)
      const [here, there] = [await open(), await open(other)]
      const wire = postgres(database.databaseUrl!, { max: 1, onnotice: () => {} })
      /** Everything on the wire, in commit order (one connection), as "channel payload". */
      const seen: string[] = []
      const waits: { test: (line: string) => boolean; resolve: () => void }[] = []
      const seeing = (test: (line: string) => boolean) =>
        new Promise<void>((resolve) => (seen.some(test) ? resolve() : waits.push({ test, resolve })))
      const names = ['jobsAvailable', 'jobChanged', 'watch', 'jobProgress']
      const channels = [...names.map((n) => channelName('job_runner', n)), ...names.map(otherChannel)]
      for (const channel of channels) {
        await wire.listen(channel, (payload) => {
          const line = `${channel} ${payload}`
          seen.push(line)
          for (const wait of waits.filter((w) => w.test(line))) wait.resolve()
        })
      }
      try {
        const defaults = names.map((n) => `job_runner_${n}`)
        assert.deepEqual(channels.slice(0, 4), defaults, 'the default schema keeps its names')
        assert.match(otherChannel('jobsAvailable'), /^job_runner_[0-9a-f]{12}_jobsAvailable$/)
        assert.ok(Buffer.byteLength(channelName('s'.repeat(63), 'schedulesChanged')) <= 63, 'an identifier')

        // The insert trigger of each schema's table (migration 026) and that schema's notifier agree.
        const heardThere = new Promise<void>((resolve) =>
          there.subscribe('jobsAvailable', (queue) => queue === 'q-there' && resolve()),
        )
        const [writer] = dbs
        await writer!.sql`
          insert into ${writer!.sql(other)}.job_runner_jobs (owner, type, queue, max_attempts)
          values ('alice', 'echo', 'q-there', 1)`
        await heardThere
        // A job's progress and its watches name it by an id each schema numbers on its own.
        await new JobStore(writer!.sql, other).notifyProgress({ payloads: ['["5",0.5]'] })
        there.watches.watchAll()
        await seeing((line) => line.startsWith(`${otherChannel('watch')} `))
        // The marker commits after all of it: `here` would have heard any of it before the marker.
        const hereHeardMarker = new Promise<void>((resolve) =>
          here.subscribe('jobsAvailable', (queue) => queue === 'marker' && resolve()),
        )
        await writer!.sql`select pg_notify(${channelName('job_runner', 'jobsAvailable')}, 'marker')`
        await Promise.all([hereHeardMarker, seeing((line) => line.endsWith(' marker'))])
        assert.deepEqual(
          seen.filter((line) => !line.startsWith(`${otherChannel('watch')} `)),
          [
            `${otherChannel('jobsAvailable')} q-there`,
            `${otherChannel('jobProgress')} ["5",0.5]`,
            'job_runner_jobsAvailable marker',
          ],
        )
        assert.equal(here.watches.isWatchedElsewhere('5'), false, "the other schema's watch of its job 5 is not ours")
      } finally {
        await wire.end()
        await Promise.all([here.stop(), there.stop()])
      }
    })

    it('looks again, and asks again what is watched, when its LISTEN connection comes back', async () => {
      const admin = postgres(database.databaseUrl!, { max: 1, onnotice: () => {} })
      const listening = () => listeningBackends(admin)
      try {
        const before = await listening()
        const sender = await open()
        const [senderListener] = (await listening()).filter((pid) => !before.includes(pid))
        assert.ok(senderListener, 'the sender listens on a connection of its own')
        const receiver = await open()
        const resynced = new Promise<void>((resolve) => sender.onResync(resolve))
        await admin`select pg_terminate_backend(${senderListener!})`
        await resynced
        // Listening again: a watch made now is heard.
        const heard = heardWatches(sender, ['6'])
        receiver.watchJob('6', () => {})
        await heard
        await Promise.all([sender.stop(), receiver.stop()])
      } finally {
        await admin.end()
      }
    })
  })
}
