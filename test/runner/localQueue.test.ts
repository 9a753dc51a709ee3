/**
 * Claiming ahead: the local queue's own rules (order, TTL, how far ahead it claims) and its modes
 * (accepting, paused after a TTL release until a slot asks, released for good), and the
 * runner with it against each database — one statement claims many jobs for a single slot, a stop
 * hands waiting jobs back without counting an attempt, and a cancel reaches a job still waiting.
 */
import { describe, it, beforeEach, afterEach } from 'node:test'
import assert from 'node:assert/strict'
import { databaseTargets } from '../support/databases.js'
import { settled, type Engine } from '../support/engine.js'
import { defineJob } from '../../jobs/defineJob.js'
import type { Json, OwnedJob } from '../../src/queue/job.js'
import type { EnqueueRequest } from '../../src/queue/jobService.js'
import { LocalQueue, compareIds } from '../../src/runner/localQueue.js'
import { channelName } from '../../src/db/channelName.js'
import type { Runner } from '../../src/runner/runner.js'
import { replaceMethod } from '../support/replaceMethod.js'
import { suiteEngine } from '../support/suiteEngine.js'

function fakeJob(id: number, priority = 0): OwnedJob {
  return { id: String(id), priority } as OwnedJob
}

describe('local queue', () => {
  it('hands jobs out in claim order, merging a later claim by priority then id', () => {
    const queue = new LocalQueue({ maxSize: 10 })
    queue.push([fakeJob(1), fakeJob(2), fakeJob(10)])
    assert.equal(queue.take()[0]?.id, '1')
    queue.push([fakeJob(3, -1), fakeJob(9)])
    assert.deepEqual(
      [...queue.entries()].map((e) => e.job.id),
      ['3', '2', '9', '10'],
    )
    assert.equal(queue.remove('9')?.id, '9')
    assert.equal(queue.remove('9'), undefined)
    assert.deepEqual(
      queue.release().map((j) => j.id),
      ['3', '2', '10'],
    )
    assert.equal(queue.size, 0)
    assert.deepEqual(queue.take(), [])
  })

  it('holds a job claimed again (after its lease was recovered) once, as the newer claim gave it', () => {
    const queue = new LocalQueue({ maxSize: 10, ttlMs: 1000 })
    queue.push([fakeJob(1), { ...fakeJob(2), attempts: 1 }], 0)
    queue.push([{ ...fakeJob(2), attempts: 2 }], 500)
    assert.deepEqual(
      [...queue.entries()].map((e) => [e.job.id, e.job.attempts, e.claimedAt]),
      [
        ['1', undefined, 0],
        ['2', 2, 500],
      ],
    )
  })

  it('gives back only the jobs that waited longer than its TTL', () => {
    const queue = new LocalQueue({ maxSize: 10, ttlMs: 1000 })
    queue.push([fakeJob(1), fakeJob(2)], 0)
    queue.push([fakeJob(3)], 900)
    assert.deepEqual(queue.takeExpired(1000), [])
    assert.deepEqual(
      queue.takeExpired(1500).map((j) => j.id),
      ['1', '2'],
    )
    assert.deepEqual(
      [...queue.entries()].map((e) => e.job.id),
      ['3'],
    )
  })

  it('claims ahead by how fast jobs start, never beyond its size, and not at all when set to 0', () => {
    const queue = new LocalQueue({ maxSize: 100, horizonMs: 50 })
    assert.equal(queue.target, 0, 'nothing is known yet: claim only for free slots')
    queue.sampleRate(0)
    for (let i = 0; i < 10; i++) queue.noteStart()
    queue.sampleRate(100) // 0.1 start per ms → 5 jobs in 50 ms
    assert.equal(queue.target, 5)
    assert.equal(queue.room, 5)
    assert.ok(queue.wantsRefill)
    queue.push([fakeJob(1), fakeJob(2), fakeJob(3)])
    assert.equal(queue.room, 2)
    assert.ok(!queue.wantsRefill, 'more than half the target still waits')
    for (let i = 0; i < 10_000; i++) queue.noteStart()
    queue.sampleRate(110)
    assert.equal(queue.target, 100, 'capped at maxSize')
    const off = new LocalQueue({ maxSize: 0 })
    off.sampleRate(0)
    for (let i = 0; i < 1000; i++) off.noteStart()
    off.sampleRate(10)
    assert.equal(off.target, 0)
    assert.ok(!off.wantsRefill)
  })
})

describe('local queue modes', () => {
  /** A queue that has seen 0.1 start per ms: it wants to hold 5 jobs (horizon 50 ms). */
  function warmQueue(config: { ttlMs?: number } = {}): LocalQueue {
    const queue = new LocalQueue({ maxSize: 100, horizonMs: 50, ...config })
    queue.sampleRate(0)
    for (let i = 0; i < 10; i++) queue.noteStart()
    queue.sampleRate(100)
    return queue
  }

  it('accepts from the start', () => {
    const queue = warmQueue()
    assert.equal(queue.mode, 'accepting')
    assert.equal(queue.target, 5)
    assert.ok(queue.wantsRefill)
  })

  it('pauses after a TTL release: no target, no room, no refill until a slot asks', () => {
    const queue = warmQueue({ ttlMs: 1000 })
    queue.push([fakeJob(1), fakeJob(2)], 0)
    assert.deepEqual(
      queue.takeExpired(1001).map((j) => j.id),
      ['1', '2'],
    )
    assert.equal(queue.mode, 'ttlExpired')
    assert.equal(queue.target, 0)
    assert.equal(queue.room, 0)
    assert.ok(!queue.wantsRefill, 'what it just gave back is not claimed again at once')
    // Starts seen meanwhile do not end the pause either.
    for (let i = 0; i < 1000; i++) queue.noteStart()
    queue.sampleRate(200)
    assert.equal(queue.target, 0)
    assert.ok(!queue.wantsRefill)
    // A claim for a free slot may still bring jobs, which wait as usual.
    queue.push([fakeJob(3)], 2000)
    assert.equal(queue.mode, 'ttlExpired')
    assert.equal(queue.size, 1)
  })

  it('accepts again once a slot takes a job, even when none waits', () => {
    const queue = warmQueue({ ttlMs: 1000 })
    queue.push([fakeJob(1)], 0)
    queue.takeExpired(1001)
    assert.deepEqual(queue.take(), [])
    assert.equal(queue.mode, 'accepting')
    assert.equal(queue.target, 5)
    assert.equal(queue.room, 5)
    assert.ok(queue.wantsRefill)
  })

  it('stays accepting when nothing expired', () => {
    const queue = warmQueue({ ttlMs: 1000 })
    queue.push([fakeJob(1)], 0)
    assert.deepEqual(queue.takeExpired(1000), [])
    assert.equal(queue.mode, 'accepting')
    assert.equal(queue.size, 1)
  })

  it('is released for good: it refuses and returns what is pushed, and nothing brings it back', () => {
    const queue = warmQueue({ ttlMs: 1000 })
    queue.push([fakeJob(1), fakeJob(2)], 0)
    assert.deepEqual(
      queue.release().map((j) => j.id),
      ['1', '2'],
    )
    assert.equal(queue.mode, 'released')
    const late = [fakeJob(3), fakeJob(4)]
    assert.deepEqual(queue.push(late, 10), late, 'a claim that lands after the stop is handed back whole')
    assert.equal(queue.size, 0)
    assert.deepEqual(queue.take(5), [])
    assert.deepEqual(queue.takeExpired(10_000), [])
    assert.equal(queue.mode, 'released', 'a slot asking does not reopen it')
    assert.equal(queue.target, 0)
    assert.equal(queue.room, 0)
    assert.ok(!queue.wantsRefill)
    assert.deepEqual(queue.release(), [])
  })

  it('a TTL release after the stop leaves it released', () => {
    const queue = new LocalQueue({ maxSize: 10, ttlMs: 1000 })
    queue.release()
    assert.deepEqual(queue.takeExpired(5000), [])
    assert.equal(queue.mode, 'released')
  })

  it('takes only eligible jobs, up to the count, in claim order, and keeps the rest in order', () => {
    const queue = new LocalQueue({ maxSize: 10 })
    queue.push([1, 2, 3, 4, 5, 6].map((id) => fakeJob(id)))
    assert.deepEqual(
      queue.take().map((j) => j.id),
      ['1'],
      'the plain take moves past the first job',
    )
    const blocked = new Set(['2', '4'])
    const eligible = (job: OwnedJob) => !blocked.has(job.id)
    assert.deepEqual(
      queue.take(2, eligible).map((j) => j.id),
      ['3', '5'],
    )
    assert.deepEqual(
      [...queue.entries()].map((e) => e.job.id),
      ['2', '4', '6'],
    )
    assert.deepEqual(
      queue.take(5, eligible).map((j) => j.id),
      ['6'],
    )
    assert.deepEqual(
      queue.take(5, () => false),
      [],
    )
    assert.deepEqual(
      [...queue.entries()].map((e) => e.job.id),
      ['2', '4'],
    )
    assert.ok(queue.has('2') && !queue.has('3'))
    blocked.clear()
    assert.deepEqual(
      queue.take(5, eligible).map((j) => j.id),
      ['2', '4'],
    )
    assert.equal(queue.size, 0)
  })

  it('keeps the claim time of the jobs an eligible take skips', () => {
    const queue = new LocalQueue({ maxSize: 10, ttlMs: 1000 })
    queue.push([fakeJob(1), fakeJob(2)], 0)
    queue.take(1, (job) => job.id === '2')
    assert.deepEqual(
      [...queue.entries()].map((e) => [e.job.id, e.claimedAt]),
      [['1', 0]],
    )
    assert.deepEqual(
      queue.takeExpired(1001).map((j) => j.id),
      ['1'],
      'a skipped job still expires on time',
    )
  })

  it('an eligible take ends a TTL pause too', () => {
    const queue = warmQueue({ ttlMs: 1000 })
    queue.push([fakeJob(1)], 0)
    queue.takeExpired(1001)
    queue.take(1, () => false)
    assert.equal(queue.mode, 'accepting')
  })
})

/** Blocks its slot until its token fires. */
const blocker = defineJob<Json, never, null>({
  name: 'blocker',
  payloadSchema: { type: 'object' },
  async run({ signal }) {
    if (!signal.aborted) await new Promise((resolve) => signal.addEventListener('abort', resolve, { once: true }))
    throw new Error(`blocker stopped: ${String(signal.reason)}`)
  },
})

for (const target of databaseTargets()) {
  describe(`runner with a local queue on ${target.name}`, { timeout: 60_000 }, () => {
    let engine: Engine

    suiteEngine(target, (opened) => (engine = opened), { extraJobs: [blocker] })

    beforeEach(async () => {
      await engine.db
        .sql`truncate job_runner.job_runner_jobs, job_runner.job_runner_owner_jobs, job_runner.job_runner_instances restart identity`
    })

    afterEach(async () => {
      await engine.stopRunners()
    })

    async function enqueue(requests: EnqueueRequest[]): Promise<OwnedJob[]> {
      return (await engine.jobs.enqueue({ owner: 'alice', jobs: requests })).map((e) => e.job)
    }

    function echoes(count: number, priority: number): EnqueueRequest[] {
      return Array.from({ length: count }, (_, i) => ({ type: 'echo', payload: { i }, priority }))
    }

    /** Resolves once `count` jobs have settled on `runner`. */
    function settledCount(runner: Runner, count: number): Promise<void> {
      let seen = 0
      return new Promise((resolve) => {
        const off = runner.events.on('job:settled', () => {
          if (++seen === count) {
            off()
            resolve()
          }
        })
      })
    }

    /**
     * One slot, a burst of echo jobs (so the runner learns that jobs start fast), then a blocker
     * holding the slot while more jobs wait behind it: resolves once some of those wait locally.
     */
    async function blockWithJobsWaiting(runner: Runner): Promise<{ blockerJob: OwnedJob; waiting: Set<string> }> {
      const burst = await enqueue(echoes(200, 0))
      const [blockerJob] = await enqueue([{ type: 'blocker', payload: {}, priority: 1 }])
      const behind = await enqueue(echoes(100, 2))
      const behindIds = new Set(behind.map((j) => j.id))
      const started = new Set<string>()
      runner.events.on('job:start', ({ job }) => started.add(job.id))
      const claimedAhead = new Set<string>()
      const someWait = new Promise<void>((resolve) => {
        runner.events.on('jobs:claimed', ({ jobs }) => {
          for (const job of jobs) if (behindIds.has(job.id)) claimedAhead.add(job.id)
          if (started.has(blockerJob!.id) && claimedAhead.size > 0) resolve()
        })
      })
      const burstDone = settledCount(runner, burst.length)
      const blockerStarted = runner.events.waitFor('job:start', ({ job }) => job.id === blockerJob!.id)
      await runner.start()
      await burstDone
      await blockerStarted
      if (claimedAhead.size === 0) await someWait
      return { blockerJob: blockerJob!, waiting: new Set([...claimedAhead].filter((id) => !started.has(id))) }
    }

    it('claims many jobs in one statement for a single slot', async () => {
      await enqueue(echoes(500, 0))
      const runner = engine.newRunner({ concurrency: 1, localQueueSize: 100 })
      const claimSizes: number[] = []
      runner.events.on('jobs:claimed', ({ jobs }) => claimSizes.push(jobs.length))
      const done = settledCount(runner, 500)
      await runner.start()
      await done
      assert.ok(Math.max(...claimSizes) > 1, `some claim carried more than one job (claims: ${claimSizes.join(', ')})`)
      assert.ok(Math.max(...claimSizes) <= 101, 'no claim exceeds the free slot plus the local queue')
      assert.ok(claimSizes.length < 500, `${claimSizes.length} claims for 500 jobs`)
      const [row] = await engine.db.sql<{ n: number; attempts: number }[]>`
        select count(*)::int as n, max(attempts)::int as attempts from job_runner.job_runner_jobs where state = 'succeeded' and started_at is not null`
      assert.deepEqual(row, { n: 500, attempts: 1 })
    })

    it('claims once per job when jobs come one at a time: neither a settle nor the NOTIFY echo claims again', async () => {
      const runner = engine.newRunner({ concurrency: 4, localQueueSize: 100, pollIntervalMs: 60_000 })
      let claims = 0
      // Each insert's wake-up: the database's notice or the statement's answer, whichever came first.
      let wakeUps = 0
      const stopCounting = engine.notifier.subscribe('jobsAvailable', (queue) => queue !== 'marker' && wakeUps++)
      const restore = replaceMethod(engine.store, 'claimJobs', (claim) => (params) => {
        claims += 1
        return claim(params)
      })
      try {
        await runner.start()
        const jobs = 20
        for (let i = 0; i < jobs; i++) {
          const [job] = await enqueue(echoes(1, 0))
          await settled(runner, job!.id)
        }
        if (engine.notifier.hearsOtherInstances) {
          // Notices reach a session in commit order: once this marker is heard, every insert's
          // notice (and its echo here) has arrived, and any claim it rang has begun.
          const marker = new Promise<void>((resolve) => {
            const off = engine.notifier.subscribe('jobsAvailable', (queue) => queue === 'marker' && (off(), resolve()))
          })
          await engine.db.sql`select pg_notify(${channelName(engine.db.schema, 'jobsAvailable')}, 'marker')`
          await marker
        }
        await new Promise((resolve) => setImmediate(resolve))
        // One claim at the start found nothing; one claim per job after it.
        assert.ok(claims <= jobs + 2, `${claims} claims for ${jobs} jobs enqueued one at a time`)
        assert.equal(wakeUps, jobs, 'each enqueue woke this instance once')
      } finally {
        stopCounting()
        restore()
      }
    })

    it('claims only for free slots when LOCAL_QUEUE_SIZE is 0', async () => {
      await enqueue(echoes(100, 0))
      const runner = engine.newRunner({ concurrency: 2, localQueueSize: 0 })
      const claimSizes: number[] = []
      runner.events.on('jobs:claimed', ({ jobs }) => claimSizes.push(jobs.length))
      const done = settledCount(runner, 100)
      await runner.start()
      await done
      assert.ok(Math.max(...claimSizes) <= 2, `claims: ${claimSizes.join(', ')}`)
    })

    it('forgets a waiting job whose lease its sweep recovered, and runs it once when claimed again', async () => {
      // Leases renewed every 20 s: the expiry below stands for an outage longer than the lease.
      const runner = engine.newRunner({ concurrency: 1, localQueueSize: 50, leaseMs: 60_000 })
      const { blockerJob, waiting } = await blockWithJobsWaiting(runner)
      const ids = [...waiting].sort(compareIds)
      assert.ok(ids.length > 0)
      const starts = new Map<string, number>()
      runner.events.on('job:start', ({ job }) => starts.set(job.id, (starts.get(job.id) ?? 0) + 1))
      const recovered = runner.events.waitFor('leases:recovered', (event) => ids.every((id) => event.ids.includes(id)))
      await engine.db.sql`
        update job_runner.job_runner_jobs set lease_expires_at = now() - interval '1 second'
        where id in (select jsonb_array_elements_text(${engine.db.sql.json(ids)})::bigint)`
      const { forgotten } = await recovered
      assert.deepEqual([...forgotten].sort(compareIds), ids, 'every waiting entry under a lost lease is forgotten')

      const finished = Promise.all(ids.map((id) => settled(runner, id)))
      assert.equal((await engine.jobs.cancel({ id: blockerJob.id, owner: 'alice' })).kind, 'requested')
      const outcomes = await finished
      assert.deepEqual(
        outcomes.map((o) => o.outcome),
        ids.map(() => 'succeeded'),
      )
      for (const id of ids) {
        assert.equal(starts.get(id), 1, `job ${id} ran once`)
        const job = (await engine.store.getJob({ id, owner: 'alice' }))!
        assert.deepEqual([job.state, job.attempts], ['succeeded', 2], "the lost lease spent the first claim's attempt")
      }
    })

    it('hands waiting jobs back on stop without counting an attempt', async () => {
      const runner = engine.newRunner({ concurrency: 1, localQueueSize: 50 })
      const { blockerJob, waiting } = await blockWithJobsWaiting(runner)
      assert.ok(waiting.size > 0)
      const report = await runner.stop({ graceMs: 5000 })
      assert.deepEqual(report.interrupted, [blockerJob.id])
      assert.ok(
        report.released.length >= waiting.size,
        `released ${report.released.length}, ${waiting.size} seen waiting`,
      )
      const released = await engine.db.sql<
        { state: string; attempts: number; started_at: Date | null; lease_owner: string | null }[]
      >`
        select state, attempts, started_at, lease_owner from job_runner.job_runner_jobs
        where id in (select jsonb_array_elements_text(${engine.db.sql.json(report.released)})::bigint)`
      assert.equal(released.length, report.released.length)
      for (const row of released)
        assert.deepEqual(row, { state: 'queued', attempts: 0, started_at: null, lease_owner: null })
      // Another instance takes them, in their order.
      const next = engine.newRunner({ concurrency: 4 })
      const rest = settledCount(next, 100)
      await next.start()
      await rest
      const [left] = await engine.db.sql<
        { n: number }[]
      >`select count(*)::int as n from job_runner.job_runner_jobs where state <> 'succeeded'`
      assert.equal(left!.n, 1, 'every echo job succeeded; only the blocker still runs')
    })

    it('cancels a job that waits in the local queue without running it', async () => {
      const runner = engine.newRunner({ concurrency: 1, localQueueSize: 50 })
      const { waiting } = await blockWithJobsWaiting(runner)
      const id = [...waiting][0]!
      let ran = false
      runner.events.on('job:start', ({ job }) => (ran ||= job.id === id))
      const outcome = settled(runner, id)
      assert.equal((await engine.jobs.cancel({ id, owner: 'alice' })).kind, 'requested')
      assert.equal((await outcome).outcome, 'cancelled')
      assert.ok(!ran, 'the cancelled job never started')
      const job = (await engine.store.getJob({ id, owner: 'alice' }))!
      assert.equal(job.state, 'cancelled')
      assert.equal(job.attempts, 0)
      assert.equal(job.startedAt, null)
    })
  })
}
