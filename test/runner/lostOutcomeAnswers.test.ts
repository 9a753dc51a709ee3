/**
 * An outcome write whose answer is lost after it committed. The runner retries it, and the lease
 * fence refuses the retry, because the first try already ended the claim. A fence also refuses the
 * writes of a claim whose lease expired and was recovered, and that outcome is `lost`. The runner
 * must tell the two apart (`JobStore.ownOutcomeLanded`): a job that succeeded is reported
 * `succeeded`, in its `job:settled` event and so in its metrics, not `lost`.
 *
 * The answers are lost by the test, after the real statement committed on the real database; the
 * recovery is the test's too (the runners' own sweeps are a minute apart).
 */
import { afterEach, beforeEach, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { databaseTargets } from '../support/databases.js'
import type { Engine } from '../support/engine.js'
import { suiteEngine } from '../support/suiteEngine.js'
import { defineJob } from '../../jobs/defineJob.js'
import type { Json } from '../../src/queue/job.js'
import type { JobStore } from '../../src/queue/store.js'
import type { RunnerEvents } from '../../src/runner/events.js'
import { replaceMethod } from '../support/replaceMethod.js'

/** Fails each attempt. */
const failing = defineJob<Json, never, Json>({
  name: 'lost-answer-failing',
  payloadSchema: {},
  async run() {
    throw new Error('it fails')
  },
})

/** No lease expires and no sweep runs within a test: only the test recovers a lease. */
const CONFIG = { leaseMs: 60_000, sweepIntervalMs: 60_000, retryBaseMs: 20 }

const NOT_WRITTEN = 'job outcome not written: its lease had been recovered by another instance'

for (const target of databaseTargets()) {
  describe(`outcome writes whose answer was lost, on ${target.name}`, { timeout: 60_000 }, () => {
    let engine: Engine
    suiteEngine(target, (opened) => (engine = opened), { extraJobs: [failing] })
    const restores: (() => void)[] = []

    afterEach(async () => {
      for (const restore of restores.splice(0)) restore()
      await engine.stopRunners()
      await engine.db.sql`truncate job_runner.job_runner_jobs, job_runner.job_runner_owner_jobs`
    })

    /**
     * Wraps the store's `method` for the test's length: the first call that names a job goes through
     * `first`, given the write and the jobs it names, which may write or not; then the call throws, as
     * a lost connection does. `calls` counts the calls that named a job.
     */
    function loseFirstAnswer<K extends 'completeJobs' | 'failJobs'>(
      method: K,
      first: (write: () => Promise<unknown>, ids: string[]) => Promise<void>,
    ): { calls: () => number } {
      let calls = 0
      const wrapped = (original: JobStore[K]) => async (params: Parameters<JobStore[K]>[0]) => {
        const write = () => (original as (p: typeof params) => Promise<unknown>)(params)
        const named = 'completions' in params ? params.completions : params.failures
        if (named.length === 0) return write()
        calls += 1
        if (calls > 1) return write()
        await first(
          write,
          named.map((job) => job.id),
        )
        throw new Error('connection lost')
      }
      restores.push(replaceMethod(engine.store, method, wrapped as unknown as (original: JobStore[K]) => JobStore[K]))
      return { calls: () => calls }
    }

    /** The first `job:settled` of `runner` that `holds`, and every `job:settled` of it in `seen`, from now on. */
    function settles(
      runner: ReturnType<Engine['newRunner']>,
      holds: (event: RunnerEvents['job:settled']) => boolean,
    ): { first: Promise<RunnerEvents['job:settled']>; seen: RunnerEvents['job:settled'][] } {
      const seen: RunnerEvents['job:settled'][] = []
      restores.push(runner.events.on('job:settled', (event) => void seen.push(event)))
      return { first: runner.events.waitFor('job:settled', holds), seen }
    }

    /** The runner's warnings that an outcome was not written, in this test. */
    let warnedBefore = 0
    const warnings = () => engine.logs.records().filter((r) => r.msg === NOT_WRITTEN).length
    beforeEach(() => void (warnedBefore = warnings()))
    const notWritten = () => warnings() - warnedBefore

    const row = async (id: string) => {
      const [job] = await engine.db.sql<{ state: string; attempts: number; error: string | null }[]>`
        select state, attempts, error from job_runner.job_runner_jobs where id = ${id}`
      return job!
    }

    it('reports a success whose write landed as succeeded, not lost', async () => {
      const completes = loseFirstAnswer('completeJobs', async (write) => void (await write()))
      const runner = engine.newRunner(CONFIG)
      // The test's one job.
      const { first, seen } = settles(runner, () => true)
      await runner.start()
      const [enqueued] = await engine.jobs.enqueue({ owner: 'alice', jobs: [{ type: 'echo', maxAttempts: 1 }] })
      const id = enqueued!.job.id
      const { outcome, job } = await first
      assert.equal(job.id, id)
      assert.equal(completes.calls(), 2, 'the write was retried, and the fence refused the retry')
      assert.equal(outcome, 'succeeded')
      assert.deepEqual(await row(id), { state: 'succeeded', attempts: 1, error: null })
      assert.deepEqual(
        seen.map((event) => event.outcome),
        ['succeeded'],
      )
      assert.equal(notWritten(), 0)
    })

    it('reports a failed attempt whose write landed as a retry, and the next attempt runs', async () => {
      const fails = loseFirstAnswer('failJobs', async (write) => void (await write()))
      const runner = engine.newRunner(CONFIG)
      const { first, seen } = settles(runner, (event) => event.outcome !== 'retry')
      await runner.start()
      const [enqueued] = await engine.jobs.enqueue({
        owner: 'alice',
        jobs: [{ type: 'lost-answer-failing', maxAttempts: 2 }],
      })
      const id = enqueued!.job.id
      assert.equal((await first).job.id, id)
      assert.ok(fails.calls() >= 3, 'the first write was retried, and the second attempt wrote its own')
      assert.deepEqual(
        seen.map((event) => [event.job.attempts, event.outcome]),
        [
          [1, 'retry'],
          [2, 'failed'],
        ],
      )
      assert.deepEqual(await row(id), { state: 'failed', attempts: 2, error: 'it fails' })
      assert.equal(notWritten(), 0)
    })

    it('still reports lost an outcome whose lease was recovered before its retry', async () => {
      const completes = loseFirstAnswer('completeJobs', async (_write, [id]) => {
        // The write never reaches the database; the outage outlasts the lease, and a sweep takes the job.
        await engine.db.sql`
          update job_runner.job_runner_jobs set lease_expires_at = now() - interval '1 second' where id = ${id!}`
        assert.equal((await engine.store.recoverExpiredLeases()).length, 1)
      })
      const runner = engine.newRunner(CONFIG)
      const { first } = settles(runner, () => true)
      await runner.start()
      const [enqueued] = await engine.jobs.enqueue({ owner: 'alice', jobs: [{ type: 'echo', maxAttempts: 1 }] })
      const id = enqueued!.job.id
      const { outcome, job } = await first
      assert.equal(job.id, id)
      assert.equal(completes.calls(), 2)
      assert.equal(outcome, 'lost')
      const after = await row(id)
      assert.deepEqual([after.state, after.attempts], ['failed', 1], 'its one attempt was spent by the recovery')
      assert.match(after.error ?? '', /runner lost/)
      assert.equal(notWritten(), 1)
    })
  })
}
