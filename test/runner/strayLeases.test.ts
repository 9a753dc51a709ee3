/**
 * Strays (src/runner/strayLeases.ts): a job leased to a runner that never heard of it, because the
 * claim or the start-here enqueue that leased it committed while its answer was lost, or because its
 * release failed. After such a failure the runner's lease renewals look for it, and the runner hands
 * it back with the attempt refunded, so that the job runs as its first attempt, instead of waiting
 * for its lease to expire, which counts an attempt (a job with `maxAttempts` 1 would fail without
 * ever running). A claim or an insert whose answer is only slow is no stray.
 *
 * The answers are lost by the test, after the real statement committed on the real database. Each
 * runner here has no lease sweeper to speak of (a minute apart): only the stray hand-back can give the
 * job back while the test runs.
 */
import { afterEach, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { databaseTargets } from '../support/databases.js'
import { holdTheOneSlot, openPauses, settled, untilOffering, type Engine } from '../support/engine.js'
import { suiteEngine } from '../support/suiteEngine.js'
import { countClaims, type ClaimCounts } from '../support/claimCounts.js'
import { gatedJob } from '../support/gatedJob.js'
import { defineJob } from '../../jobs/defineJob.js'
import type { Json } from '../../src/queue/job.js'
import { JobService } from '../../src/queue/jobService.js'
import type { JobStore, StrayLease } from '../../src/queue/store.js'
import type { Runner, RunnerConfig, RunnerDependencies } from '../../src/runner/runner.js'
import { StrayLeases } from '../../src/runner/strayLeases.js'
import { withTimeout } from '../../src/support/withTimeout.js'
import { replaceMethod } from '../support/replaceMethod.js'

/** Holds the one slot of a runner until the test opens its gate. */
const holder = gatedJob('stray-holder')
/** A job the test pauses while it waits in a runner's local queue. */
const waiter = defineJob<Json, never, Json>({
  name: 'stray-waiter',
  payloadSchema: {},
  async run() {
    return null
  },
})

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
  /** A look, which a test expects to be due. */
  const look = (strays: StrayLeases) => {
    const due = strays.look()
    assert.ok(due, 'a look is due')
    return due
  }

  it('looks only after a failure, and until a look finds nothing to wonder about', () => {
    const strays = new StrayLeases()
    assert.equal(strays.look(), undefined, 'nothing failed: no look')
    strays.noteFailure()
    const first = look(strays)
    // A failure while the look is under way: its stray may have committed after the look read.
    strays.noteFailure()
    assert.deepEqual(first.sift([], unknown), [])
    assert.deepEqual(
      look(strays).sift([lease('1')], (id) => id === '1'),
      [],
      'a known job is nothing to wonder about',
    )
    assert.equal(strays.look(), undefined)
  })

  it('hands back a lease seen twice, under the same attempt, with nothing in flight', () => {
    const strays = new StrayLeases()
    strays.noteFailure()
    assert.deepEqual(look(strays).sift([lease('1')], unknown), [], 'seen once: it may be a claim on its way')
    assert.deepEqual(look(strays).sift([lease('1')], unknown), [lease('1')])
    strays.noteFailure()
    assert.deepEqual(look(strays).sift([], unknown), [], 'its release failed: looked for again')
    assert.equal(strays.look(), undefined)
  })

  it('waits for every claim or insert in flight at the first sighting to end', () => {
    const strays = new StrayLeases()
    const first = strays.acquiring()
    strays.noteFailure()
    assert.deepEqual(look(strays).sift([lease('1')], unknown), [])
    const later = strays.acquiring()
    assert.deepEqual(
      look(strays).sift([lease('1')], unknown),
      [],
      'the claim of the first sighting is still on its way',
    )
    first.handedOver()
    assert.deepEqual(
      look(strays).sift([lease('1')], unknown),
      [lease('1')],
      'a claim begun after the first sighting cannot have leased the job',
    )
    later.handedOver()
  })

  it('forgets a lease the runner has come to know, one no longer seen, and one under a new attempt', () => {
    const strays = new StrayLeases()
    strays.noteFailure()
    look(strays).sift([lease('1'), lease('2'), lease('3')], unknown)
    assert.deepEqual(
      look(strays).sift([lease('1'), lease('3', 2)], (id) => id === '1'),
      [],
      '1 is known now, 2 is gone, 3 was claimed again',
    )
    assert.deepEqual(look(strays).sift([lease('2'), lease('3', 2)], unknown), [lease('3', 2)])
  })
})

for (const target of databaseTargets()) {
  describe(`strays handed back by their runner, on ${target.name}`, { timeout: 60_000 }, () => {
    let engine: Engine
    suiteEngine(target, (opened) => (engine = opened), { extraJobs: [holder.job, waiter], gates: [holder] })
    const restores: (() => void)[] = []

    afterEach(async () => {
      holder.open()
      for (const restore of restores.splice(0)) restore()
      await engine.stopRunners()
      await engine.db.sql`truncate job_runner.job_runner_jobs, job_runner.job_runner_owner_jobs`
      holder.reset()
    })

    /** Replaces one of the store's methods for the test's length, or until the function returned is called. */
    function wrap<K extends 'enqueueJobs' | 'claimJobs' | 'renewLeases' | 'releaseJobs'>(
      method: K,
      replacement: (original: JobStore[K]) => JobStore[K],
    ): () => void {
      const restore = replaceMethod(engine.store, method, replacement)
      restores.push(restore)
      return restore
    }

    /** A started runner whose first claim has answered (`until`: or whatever else it is to wait for). */
    async function startRunner(
      config: Partial<RunnerConfig> = {},
      deps: Pick<RunnerDependencies, 'pauses'> = {},
      until = (_runner: Runner, claims: ClaimCounts) => claims.firstPlainAnswered,
    ): Promise<Runner> {
      const runner = engine.newRunner({ ...STRAYS, ...config }, deps)
      const claims = countClaims(engine.store)
      try {
        await runner.start()
        await until(runner, claims)
      } finally {
        claims.restore()
      }
      return runner
    }

    /**
     * A started runner that would start a plain job where it is enqueued, and a job service that lets
     * it. The probe's reservation is cancelled as a failed insert's, which has the renewals look once.
     */
    async function startOffering(): Promise<{ runner: Runner; jobs: JobService }> {
      const runner = await startRunner({}, {}, untilOffering)
      const jobs = new JobService(engine.store, engine.registry, engine.notifier, undefined, undefined, () => runner)
      return { runner, jobs }
    }

    /** The id of the job of the next claim to take one, whose answer is lost after it committed. */
    function loseNextClaimAnswer(): Promise<string> {
      return new Promise((lost) => {
        let done = false
        wrap('claimJobs', (claimJobs) => async (params) => {
          const claimed = await claimJobs(params)
          if (done || claimed.length === 0) return claimed
          done = true
          lost(claimed[0]!.id)
          throw new Error('connection lost')
        })
      })
    }

    /**
     * Holds the answer of the first call of `method` whose committed result names a job (`pick`), until
     * `answer()`: a claim or an insert on its way. `committed` resolves with that job's id.
     */
    function holdAnswer<K extends 'enqueueJobs' | 'claimJobs'>(
      method: K,
      pick: (result: Awaited<ReturnType<JobStore[K]>>, params: Parameters<JobStore[K]>[0]) => string | undefined,
    ): { committed: Promise<string>; answer: () => void } {
      let committedId!: (id: string) => void
      const committed = new Promise<string>((resolve) => (committedId = resolve))
      let answer!: () => void
      const answerHeld = new Promise<void>((resolve) => (answer = resolve))
      type Params = Parameters<JobStore[K]>[0]
      type Result = Awaited<ReturnType<JobStore[K]>>
      let held = false
      wrap(method, (original) => {
        const call = original as unknown as (params: Params) => Promise<Result>
        const holding = async (params: Params): Promise<Result> => {
          const result = await call(params)
          const id = held ? undefined : pick(result, params)
          if (id === undefined) return result
          held = true
          committedId(id)
          await answerHeld
          return result
        }
        return holding as unknown as JobStore[K]
      })
      return { committed, answer }
    }

    const row = async (id: string) => {
      const [job] = await engine.db.sql<{ state: string; attempts: number; error: string | null }[]>`
        select state, attempts, error from job_runner.job_runner_jobs where id = ${id}`
      return job!
    }

    const strayWarnings = () =>
      engine.logs.records().filter((r) => String(r.msg).startsWith('jobs leased here by a claim or an enqueue'))

    it('hands back a job an enqueue started here whose answer was lost; it runs as its first attempt', async () => {
      const { runner, jobs } = await startOffering()
      let lostId: string | undefined
      wrap('enqueueJobs', (enqueueJobs) => async (params) => {
        const enqueued = await enqueueJobs(params)
        if (!params.startHere) return enqueued
        lostId = enqueued[0]!.job.id
        throw new Error('connection lost')
      })
      const lostSettled = runner.events.waitFor('job:settled', ({ job }) => job.id === lostId)
      await assert.rejects(
        jobs.enqueue({ owner: 'alice', jobs: [{ type: 'echo', maxAttempts: 1, payload: { n: 1 } }] }),
        /connection lost/,
      )
      assert.ok(lostId, 'the enqueue started its job here')
      const before = await row(lostId)
      assert.deepEqual([before.state, before.attempts], ['running', 1], 'committed running, leased here')
      const { outcome, job } = await lostSettled
      assert.equal(outcome, 'succeeded')
      assert.equal(job.attempts, 1, 'its attempt was refunded when it was handed back')
      assert.deepEqual(await row(lostId), { state: 'succeeded', attempts: 1, error: null })
      assert.ok(strayWarnings().some((r) => (r.jobIds as string[]).includes(lostId!)))
    })

    it('hands back a job a claim leased whose answer was lost; it runs as its first attempt', async () => {
      const runner = await startRunner()
      const lost = loseNextClaimAnswer()
      // Queued and announced, as another instance's enqueue is.
      const [enqueued] = await engine.jobs.enqueue({ owner: 'alice', jobs: [{ type: 'echo', maxAttempts: 1 }] })
      const lostId = await lost
      // Registered in time: the job goes back only after two renewals have seen it.
      const { outcome, job } = await settled(runner, lostId)
      assert.equal(lostId, enqueued!.job.id)
      assert.equal(outcome, 'succeeded')
      assert.equal(job.attempts, 1)
      assert.deepEqual(await row(lostId), { state: 'succeeded', attempts: 1, error: null })
    })

    /** Counts the renewals that answered, and which of them looked for strays. */
    function watchRenewals() {
      const looks: boolean[] = []
      const waiters: (() => void)[] = []
      wrap('renewLeases', (renewLeases) => async (params) => {
        const answer = await renewLeases(params)
        looks.push(params.findStrays === true)
        for (const wake of waiters.splice(0)) wake()
        return answer
      })
      return {
        looks,
        /** Resolves once `count` more renewals have answered. */
        async next(count: number): Promise<void> {
          const until = looks.length + count
          while (looks.length < until) await new Promise<void>((resolve) => waiters.push(resolve))
        },
      }
    }

    it('looks for strays only after a failure, until a look finds none', async () => {
      const runner = await startRunner()
      const renewals = watchRenewals()
      const [job] = await engine.jobs.enqueue({ owner: 'alice', jobs: [{ type: 'echo' }] })
      await settled(runner, job!.job.id)
      await renewals.next(3)
      assert.deepEqual(renewals.looks, [false, false, false], 'nothing failed: no renewal looked')
      // A claim that fails before it reaches the database: nothing was leased, but the runner cannot know.
      let failed = false
      wrap('claimJobs', (claimJobs) => async (params) => {
        if (failed) return claimJobs(params)
        failed = true
        throw new Error('connection lost')
      })
      await engine.jobs.enqueue({ owner: 'alice', jobs: [{ type: 'echo' }] })
      await renewals.next(5)
      assert.ok(renewals.looks.slice(3).includes(true), 'a renewal after the failure looked')
      assert.deepEqual(
        renewals.looks.slice(-2),
        [false, false],
        'the look found nothing, and the renewals stopped looking',
      )
    })

    it("leaves alone a job whose start here is still on its way, and hands back a lost claim's after it", async () => {
      const { runner, jobs } = await startOffering()
      const renewals = watchRenewals()
      // The insert that starts a job here commits, and its answer is held.
      const insert = holdAnswer('enqueueJobs', (enqueued, params) =>
        params.startHere ? enqueued[0]!.job.id : undefined,
      )
      // Meanwhile a claim's answer is lost: the renewals look, and find both jobs.
      const lost = loseNextClaimAnswer()
      const starts: string[] = []
      runner.events.on('job:start', ({ job }) => void starts.push(job.id))
      const enqueueing = jobs.enqueue({ owner: 'alice', jobs: [{ type: 'echo', maxAttempts: 1 }] })
      const startedHere = await insert.committed
      const startedHereSettled = settled(runner, startedHere)
      await engine.jobs.enqueue({ owner: 'alice', jobs: [{ type: 'echo', maxAttempts: 1 }] })
      const lostId = await lost
      const lostSettled = settled(runner, lostId)
      const looked = renewals.looks.filter(Boolean).length
      await renewals.next(4)
      assert.ok(renewals.looks.filter(Boolean).length >= looked + 3, 'the renewals looked meanwhile')
      // The lost claim's job too: it was first seen while the insert, which might have leased it, was on its way.
      assert.deepEqual(
        [(await row(startedHere)).state, (await row(lostId)).state],
        ['running', 'running'],
        'both still leased here',
      )
      insert.answer()
      assert.equal((await enqueueing)[0]!.job.id, startedHere)
      assert.equal((await startedHereSettled).outcome, 'succeeded')
      assert.equal((await lostSettled).outcome, 'succeeded', "the lost claim's job was handed back and ran")
      for (const id of [startedHere, lostId]) {
        assert.deepEqual(await row(id), { state: 'succeeded', attempts: 1, error: null })
        assert.equal(starts.filter((started) => started === id).length, 1, `job ${id} ran once`)
      }
      assert.ok(!strayWarnings().some((r) => (r.jobIds as string[]).includes(startedHere)))
      assert.ok(strayWarnings().some((r) => (r.jobIds as string[]).includes(lostId)))
    })

    it('leaves alone a job whose claim is still on its way while the renewals look', async () => {
      // Each wait names the step that did not come.
      const step = <T>(wait: Promise<T>, missing: string) => withTimeout(wait, 15_000, () => new Error(missing))
      // One slot, held; a job claimed ahead waits in the local queue; pausing its type releases it.
      const { store: pauseStore, board } = await openPauses(engine)
      const runner = await startRunner({ concurrency: 1, localQueueSize: 100 }, { pauses: board })
      try {
        await step(holdTheOneSlot(engine, runner, 'stray-holder'), 'the holder did not start')
        const waiting = runner.events.waitFor('jobs:claimed', ({ jobs }) => jobs.some((j) => j.type === 'stray-waiter'))
        const [waiterJob] = await engine.jobs.enqueue({ owner: 'alice', jobs: [{ type: 'stray-waiter' }] })
        await step(waiting, 'the waiting job was not claimed ahead')
        const renewals = watchRenewals()
        // The claim that takes the next job commits, and its answer is held.
        const claim = holdAnswer('claimJobs', (claimed) => claimed.find((job) => job.type === 'echo')?.id)
        const starts: string[] = []
        runner.events.on('job:start', ({ job }) => void starts.push(job.id))
        await engine.jobs.enqueue({ owner: 'alice', jobs: [{ type: 'echo', maxAttempts: 1 }] })
        const claimedId = await step(claim.committed, 'no claim took the next job')
        const claimedSettled = settled(runner, claimedId)
        // The waiting job's release fails: a failure the runner sees, and the renewals look.
        let releaseFailed!: () => void
        const released = new Promise<void>((resolve) => (releaseFailed = resolve))
        const restoreRelease = wrap('releaseJobs', (releaseJobs) => async (params) => {
          if (!params.claims.some((c) => c.id === waiterJob!.job.id)) return releaseJobs(params)
          restoreRelease()
          releaseFailed()
          throw new Error('connection lost')
        })
        await pauseStore.pause({ kind: 'type', name: 'stray-waiter', mode: 'finish' })
        await board.refresh()
        await step(released, 'the pause did not release the waiting job')
        const looked = renewals.looks.filter(Boolean).length
        await step(renewals.next(4), 'the renewals stopped')
        assert.ok(renewals.looks.filter(Boolean).length >= looked + 3, 'the renewals looked meanwhile')
        assert.equal((await row(claimedId)).state, 'running', 'still leased to the claim on its way')
        claim.answer()
        holder.open()
        assert.equal((await step(claimedSettled, 'the claimed job did not settle')).outcome, 'succeeded')
        assert.deepEqual(await row(claimedId), { state: 'succeeded', attempts: 1, error: null })
        assert.equal(starts.filter((id) => id === claimedId).length, 1, 'it ran once')
        // The waiting job, a stray since its release failed, goes back once the claim has answered.
        for (;;) {
          const { state, attempts } = await row(waiterJob!.job.id)
          if (state === 'queued') {
            assert.equal(attempts, 0, 'its attempt refunded')
            break
          }
          await renewals.next(1)
        }
      } finally {
        await runner.stop({ graceMs: 2000 })
        await pauseStore.resume({ kind: 'type', name: 'stray-waiter' })
        await board.stop()
      }
    })
  })
}
