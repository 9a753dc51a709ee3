/**
 * Strays (src/runner/strayLeases.ts): a job leased to a runner that never heard of it, because the
 * claim or the start-here enqueue that leased it committed while its answer was lost. The runner
 * hands it back with the attempt refunded, found by its lease renewals, so that the job runs as its
 * first attempt, instead of waiting for its lease to expire, which counts an attempt (a job with
 * `maxAttempts` 1 would fail without ever running). A claim whose answer is only slow is no stray.
 *
 * The answers are lost by the test, after the real statement committed on the real database. Each
 * runner here has no lease sweeper to speak of (a minute apart): only the stray hand-back can give the
 * job back while the test runs.
 */
import { afterEach, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { databaseTargets } from '../support/databases.js'
import type { Engine } from '../support/engine.js'
import { suiteEngine } from '../support/suiteEngine.js'
import { countClaims } from '../support/claimCounts.js'
import type { OwnedJob } from '../../src/queue/job.js'
import { JobService } from '../../src/queue/jobService.js'
import type { JobStore, StrayLease } from '../../src/queue/store.js'
import type { Runner, RunnerConfig } from '../../src/runner/runner.js'
import { StrayLeases } from '../../src/runner/strayLeases.js'

/** Renewals every 200 ms; the poll, the idle poll and the sweeper out of the way. */
const STRAYS: Partial<RunnerConfig> = {
  leaseMs: 600,
  pollIntervalMs: 60_000,
  idlePollMaxMs: 60_000,
  sweepIntervalMs: 60_000,
}

describe('which unnamed leases are strays', () => {
  const lease = (id: string, attempt = 1): StrayLease => ({ id, attempt, queue: 'default' })
  const unknown = () => false

  it('hands back a lease seen twice, under the same attempt, with nothing in flight', () => {
    const strays = new StrayLeases()
    assert.deepEqual(strays.sift([lease('1')], unknown), [], 'seen once: it may be a claim on its way')
    assert.deepEqual(strays.sift([lease('1')], unknown), [lease('1')])
  })

  it('waits for every claim or insert in flight at the first sighting to end', () => {
    const strays = new StrayLeases()
    const ended = strays.acquiring()
    assert.deepEqual(strays.sift([lease('1')], unknown), [])
    const later = strays.acquiring()
    assert.deepEqual(strays.sift([lease('1')], unknown), [], 'the claim of the first sighting is still on its way')
    ended()
    assert.deepEqual(
      strays.sift([lease('1')], unknown),
      [lease('1')],
      'a claim begun after the first sighting cannot have leased the job',
    )
    later()
  })

  it('forgets a lease the runner has come to know, one no longer seen, and one under a new attempt', () => {
    const strays = new StrayLeases()
    strays.sift([lease('1'), lease('2'), lease('3')], unknown)
    assert.deepEqual(
      strays.sift([lease('1'), lease('3', 2)], (id) => id === '1'),
      [],
      '1 is known now, 2 is gone, 3 was claimed again',
    )
    assert.deepEqual(strays.sift([lease('2'), lease('3', 2)], unknown), [lease('3', 2)])
  })
})

for (const target of databaseTargets()) {
  describe(`strays handed back by their runner, on ${target.name}`, { timeout: 60_000 }, () => {
    let engine: Engine
    suiteEngine(target, (opened) => (engine = opened))
    const restores: (() => void)[] = []

    afterEach(async () => {
      for (const restore of restores.splice(0)) restore()
      await engine.stopRunners()
      await engine.db.sql`truncate job_runner.job_runner_jobs, job_runner.job_runner_owner_jobs`
    })

    /** Replaces one of the store's methods for the test's length. */
    function wrap<K extends 'enqueueJobs' | 'claimJobs' | 'renewLeases'>(
      method: K,
      replacement: (original: JobStore[K]) => JobStore[K],
    ): void {
      const original = engine.store[method]
      engine.store[method] = replacement(original.bind(engine.store) as JobStore[K])
      restores.push(() => (engine.store[method] = original))
    }

    async function startRunner(): Promise<Runner> {
      const runner = engine.newRunner(STRAYS)
      const claims = countClaims(engine.store)
      try {
        await runner.start()
        await claims.firstPlainAnswered
      } finally {
        claims.restore()
      }
      return runner
    }

    const row = async (id: string) => {
      const [job] = await engine.db.sql<{ state: string; attempts: number; error: string | null }[]>`
        select state, attempts, error from job_runner.job_runner_jobs where id = ${id}`
      return job!
    }

    const strayWarnings = () =>
      engine.logs.records().filter((r) => String(r.msg).startsWith('jobs leased here by a claim or an enqueue'))

    it('hands back a job an enqueue started here whose answer was lost; it runs as its first attempt', async () => {
      const runner = await startRunner()
      const jobs = new JobService(engine.store, engine.registry, engine.notifier, undefined, undefined, () => runner)
      let lostId: string | undefined
      wrap('enqueueJobs', (enqueueJobs) => async (params) => {
        const enqueued = await enqueueJobs(params)
        if (!params.startHere) return enqueued
        lostId = enqueued[0]!.job.id
        throw new Error('connection lost')
      })
      const settled = runner.events.waitFor('job:settled', ({ job }) => job.id === lostId)
      await assert.rejects(
        jobs.enqueue({ owner: 'alice', jobs: [{ type: 'echo', maxAttempts: 1, payload: { n: 1 } }] }),
        /connection lost/,
      )
      assert.ok(lostId, 'the enqueue started its job here')
      const before = await row(lostId)
      assert.deepEqual([before.state, before.attempts], ['running', 1], 'committed running, leased here')
      const { outcome, job } = await settled
      assert.equal(outcome, 'succeeded')
      assert.equal(job.attempts, 1, 'its attempt was refunded when it was handed back')
      assert.deepEqual(await row(lostId), { state: 'succeeded', attempts: 1, error: null })
      assert.ok(strayWarnings().some((r) => (r.jobIds as string[]).includes(lostId!)))
    })

    it('hands back a job a claim leased whose answer was lost; it runs as its first attempt', async () => {
      const runner = await startRunner()
      let lostId: string | undefined
      wrap('claimJobs', (claimJobs) => async (params) => {
        const claimed = await claimJobs(params)
        if (lostId !== undefined || claimed.length === 0) return claimed
        lostId = claimed[0]!.id
        throw new Error('connection lost')
      })
      const settled = runner.events.waitFor('job:settled', ({ job }) => job.id === lostId)
      // Queued and announced, as another instance's enqueue is.
      const [enqueued] = await engine.jobs.enqueue({ owner: 'alice', jobs: [{ type: 'echo', maxAttempts: 1 }] })
      const { outcome, job } = await settled
      assert.equal(lostId, enqueued!.job.id)
      assert.equal(outcome, 'succeeded')
      assert.equal(job.attempts, 1)
      assert.deepEqual(await row(lostId), { state: 'succeeded', attempts: 1, error: null })
    })

    it('leaves alone a job whose claim is still on its way, over several renewals', async () => {
      const runner = await startRunner()
      let renewals = 0
      const renewed: (() => void)[] = []
      wrap('renewLeases', (renewLeases) => async (params) => {
        const answer = await renewLeases(params)
        renewals += 1
        for (const wake of renewed.splice(0)) wake()
        return answer
      })
      const renewalsFrom = (count: number) =>
        new Promise<void>((resolve) => {
          const until = renewals + count
          const check = () => (renewals >= until ? resolve() : renewed.push(check))
          renewed.push(check)
        })
      let committed!: (job: OwnedJob) => void
      const claimCommitted = new Promise<OwnedJob>((resolve) => (committed = resolve))
      let answer!: () => void
      const answerHeld = new Promise<void>((resolve) => (answer = resolve))
      wrap('claimJobs', (claimJobs) => async (params) => {
        const claimed = await claimJobs(params)
        if (claimed.length === 0) return claimed
        committed(claimed[0]!)
        await answerHeld
        return claimed
      })
      const starts: number[] = []
      runner.events.on('job:start', ({ job }) => void starts.push(job.attempts))
      await engine.jobs.enqueue({ owner: 'alice', jobs: [{ type: 'echo', maxAttempts: 1 }] })
      const claimed = await claimCommitted
      const settled = runner.events.waitFor('job:settled', ({ job }) => job.id === claimed.id)
      await renewalsFrom(4)
      assert.deepEqual((await row(claimed.id)).state, 'running', 'still leased to the claim on its way')
      answer()
      assert.equal((await settled).outcome, 'succeeded')
      assert.deepEqual(await row(claimed.id), { state: 'succeeded', attempts: 1, error: null })
      assert.deepEqual(starts, [1], 'it ran once')
      assert.ok(!strayWarnings().some((r) => (r.jobIds as string[]).includes(claimed.id)))
    })
  })
}
