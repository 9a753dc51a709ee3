/**
 * On-time starts. The due timer alone: it wakes for the soonest time it knows, then the next, keeps
 * times in order without repeats, rings at once for a time already passed, holds a time past what
 * one timer can wait, and forgets beyond its bound. Then a service on each database whose poll is a minute away: a job enqueued for later, the
 * retry of a failed attempt after its backoff, and a job enqueued for later before a restart all
 * start without waiting for the poll (how close to their time is measured in bench/, not here).
 */
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { DueTimer } from '../../src/runner/dueTimer.js'
import { databaseTargets, type TestDatabase } from '../support/databases.js'
import { expectJson, type ApiJob } from '../support/http.js'
import { startTestService, type TestService } from '../support/service.js'
import { suiteService } from '../support/suiteService.js'

describe('DueTimer', () => {
  // Its timer does not hold the process open (unref): this one does, while the test waits on it.
  let keepAlive: NodeJS.Timeout
  before(() => {
    keepAlive = setInterval(() => {}, 1000)
  })
  after(() => clearInterval(keepAlive))

  it('rings once per due time, soonest first, and at once for a time already passed', async () => {
    const rings: number[] = []
    let ringNext: (() => void) | undefined
    const timer = new DueTimer(() => {
      rings.push(Date.now())
      ringNext?.()
    })
    const next = () => new Promise<void>((resolve) => (ringNext = resolve))
    const start = Date.now()
    let ring = next()
    timer.note(start + 60)
    timer.note(start + 30)
    timer.note(start + 30)
    assert.equal(timer.known, 2, 'a repeated time is kept once')
    await ring
    assert.ok(rings[0]! >= start + 30)
    ring = next()
    await ring
    assert.ok(rings[1]! >= start + 60)
    assert.equal(timer.known, 0)
    ring = next()
    timer.note(Date.now() - 5)
    await ring
    assert.equal(rings.length, 3, 'a passed time rings at once')
    timer.stop()
  })

  it('holds a time months away without overflowing the timer (which would fire every millisecond)', async () => {
    const warnings: string[] = []
    const onWarning = (warning: Error) => warnings.push(warning.name)
    process.on('warning', onWarning)
    let rang = false
    const timer = new DueTimer(() => (rang = true))
    try {
      timer.note(Date.now() + 90 * 24 * 3600 * 1000)
      await new Promise((resolve) => setTimeout(resolve, 50))
      assert.equal(rang, false)
      assert.equal(timer.known, 1)
      assert.deepEqual(warnings, [], 'no TimeoutOverflowWarning')
    } finally {
      timer.stop()
      process.off('warning', onWarning)
    }
  })

  it('keeps at most maxKnown times, the soonest', () => {
    const timer = new DueTimer(() => {}, { maxKnown: 3 })
    const base = Date.now() + 60_000
    for (const offset of [50, 40, 30, 20, 10]) timer.note(base + offset)
    assert.equal(timer.known, 3)
    timer.stop()
    assert.equal(timer.known, 0)
  })
})

for (const target of databaseTargets()) {
  describe(`on-time starts (${target.name})`, { timeout: 60_000 }, () => {
    let database: TestDatabase
    let service: TestService
    // The poll is a minute away: a start within the test's time came from a due timer.
    const env = { POLL_INTERVAL_MS: '60000', RETRY_BASE_MS: '300', CONCURRENCY: '2' }

    suiteService(
      target,
      (started, db) => {
        service = started
        database = db
      },
      env,
    )

    const post = (body: unknown) => service.request('/v1/jobs', { method: 'POST', body: JSON.stringify(body) })
    const startOf = (s: TestService, id: string) => s.runner.events.waitFor('job:start', (e) => e.job.id === id)

    it('starts a job enqueued for later when it is due', async () => {
      const runAt = new Date(Date.now() + 400).toISOString()
      const marker = { due: runAt }
      // Registered first: on a loaded machine the enqueue may take longer than the wait.
      const starting = service.runner.events.waitFor(
        'job:start',
        (e) => (e.job.payload as { due?: string }).due === runAt,
      )
      await expectJson<ApiJob>(await post({ type: 'echo', runAt, payload: marker }), 202)
      const { job: started } = await starting
      assert.ok(Date.parse(started.startedAt!) >= Date.parse(runAt) - 50, 'not before its runAt')
    })

    it('starts jobs claimed ahead of their runAt at it, never before', async () => {
      const base = Date.now() + 300
      const runAts = Array.from({ length: 12 }, (_, i) => new Date(base + i * 40).toISOString())
      const startedAt = new Map<string, number>()
      const all = new Promise<void>((resolve) => {
        const off = service.runner.events.on('job:start', ({ job }) => {
          const due = (job.payload as { due?: string }).due
          if (due === undefined || !runAts.includes(due)) return
          startedAt.set(due, Date.now())
          if (startedAt.size === runAts.length) resolve(off())
        })
      })
      const ids: string[] = []
      for (const runAt of runAts) {
        ids.push((await expectJson<ApiJob>(await post({ type: 'echo', runAt, payload: { due: runAt } }), 202)).id)
      }
      await all
      for (const runAt of runAts) {
        assert.ok(
          startedAt.get(runAt)! >= Date.parse(runAt),
          `started at ${startedAt.get(runAt)}, due ${Date.parse(runAt)}`,
        )
      }
      for (const id of ids) {
        const job = await expectJson<ApiJob & { startedAt: string; runAt: string }>(
          await service.request(`/v1/jobs/${id}`),
          200,
        )
        assert.ok(Date.parse(job.startedAt) >= Date.parse(job.runAt), `job ${id}: startedAt never before runAt`)
      }
    })

    it('starts the retry of a failed attempt when its backoff ends', async () => {
      const job = await expectJson<ApiJob>(await post({ type: 'flaky', payload: { failTimes: 1 } }), 202)
      const retried = service.runner.events.waitFor('job:start', (e) => e.job.id === job.id && e.job.attempts === 2)
      const { job: second } = await retried
      assert.equal(second.attempts, 2)
      const done = await service.runner.events.waitFor('job:settled', (e) => e.job.id === job.id)
      assert.equal(done.outcome, 'succeeded')
    })

    it('starts, after a restart, a job enqueued for later before it', async () => {
      const runAt = new Date(Date.now() + 1500).toISOString()
      const job = await expectJson<ApiJob>(await post({ type: 'echo', runAt }), 202)
      await service.close()
      // A restart slower than the wait finds the job due at once: either way it starts before the poll.
      service = await startTestService(database, env)
      // Listening before the read: a start between the read and the listener would go unseen.
      const starting = startOf(service, job.id)
      const state = (await expectJson<ApiJob>(await service.request(`/v1/jobs/${job.id}`), 200)).state
      if (state === 'queued') await starting
      else assert.ok(['running', 'succeeded'].includes(state), state)
    })
  })
}
