/**
 * The transition table's `start here` row as the runner offers it (src/runner/localStarts.ts): an
 * enqueue that reaches a runner whose queues are drained and which has room commits those jobs
 * claimed by it and hands them over, with no claim; jobs it has no room for, or that are not its to
 * start (a queue it does not serve, a type it does not run, a paused or limited type, a future
 * `runAt`, an idempotency key), are queued as before. A notice of jobs waiting withdraws the offer
 * until the runner's next claim has looked: a new job never passes an older one. A stop waits for
 * the inserts it made places for, and hands their jobs back with the attempt refunded.
 */
import { describe, it, afterEach } from 'node:test'
import assert from 'node:assert/strict'
import { databaseTargets } from '../support/databases.js'
import { newJob, openPauses, untilOffering, type Engine } from '../support/engine.js'
import { suiteEngine } from '../support/suiteEngine.js'
import { gatedJob } from '../support/gatedJob.js'
import { countClaims } from '../support/claimCounts.js'
import { defineJob } from '../../jobs/defineJob.js'
import type { Json } from '../../src/queue/job.js'
import { JobService } from '../../src/queue/jobService.js'
import type { NewJob } from '../../src/queue/store.js'
import type { Runner, RunnerConfig } from '../../src/runner/runner.js'

const held = gatedJob('held-here')
const keyed = defineJob<Json, never, Json>({
  name: 'keyed-here',
  payloadSchema: {},
  concurrency: { perKey: 1 },
  async run() {
    return null
  },
})

/** A runner that polls rarely, so that every claim a test sees has a cause it made. */
const QUIET: Partial<RunnerConfig> = { pollIntervalMs: 60_000, idlePollMaxMs: 60_000 }

for (const target of databaseTargets()) {
  describe(`jobs started where they are enqueued, on ${target.name}`, { timeout: 60_000 }, () => {
    let engine: Engine
    suiteEngine(target, (opened) => (engine = opened), { extraJobs: [held.job, keyed], gates: [held] })

    afterEach(async () => {
      held.open()
      await engine.stopRunners()
      held.reset()
      await engine.db.sql`truncate job_runner.job_runner_jobs, job_runner.job_runner_owner_jobs`
    })

    /** A started runner and a job service whose enqueues it may start, as src/service.ts wires them. */
    async function startRunner(
      config: Partial<RunnerConfig> = {},
    ): Promise<{ runner: Runner; jobs: JobService; outcomes: ReturnType<typeof recordSettles> }> {
      const runner = engine.newRunner({ ...QUIET, ...config })
      const outcomes = recordSettles(runner)
      const claims = countClaims(engine.store)
      await runner.start()
      await untilOffering(runner, claims)
      claims.restore()
      const jobs = new JobService(engine.store, engine.registry, engine.notifier, undefined, undefined, () => runner)
      return { runner, jobs, outcomes }
    }

    it('commits a job running, leased to the runner, and runs it with no claim', async () => {
      const { runner, jobs, outcomes } = await startRunner()
      const claims = countClaims(engine.store)
      const leases: string[] = []
      const stopWatching = runner.events.on('job:start', ({ job }) => leases.push(job.id))
      try {
        const [enqueued] = await jobs.enqueue({ owner: 'alice', jobs: [{ type: 'echo', payload: { n: 1 } }] })
        const job = enqueued!.job
        assert.equal(job.state, 'running', 'the answer says it runs already')
        assert.equal(job.attempts, 1)
        assert.equal(await outcomes.of(job.id), 'succeeded')
        assert.deepEqual(leases, [job.id], 'this runner ran it')
        assert.equal(claims.plain, 0, 'no claim was made for it')
        const stored = await engine.store.getJob({ id: job.id, owner: 'alice' })
        assert.deepEqual(
          { state: stored!.state, attempts: stored!.attempts, result: stored!.result },
          {
            state: 'succeeded',
            attempts: 1,
            result: { n: 1 },
          },
        )
      } finally {
        stopWatching()
        claims.restore()
      }
    })

    it('starts only as many as it has room for; the rest are queued and claimed after them', async () => {
      const { jobs, outcomes } = await startRunner({ concurrency: 2, localQueueSize: 0 })
      const enqueued = await jobs.enqueue({
        owner: 'alice',
        jobs: Array.from({ length: 5 }, () => ({ type: 'held-here' })),
      })
      assert.deepEqual(
        enqueued.map((e) => e.job.state),
        ['running', 'running', 'queued', 'queued', 'queued'],
      )
      held.open()
      assert.deepEqual(await Promise.all(enqueued.map((e) => outcomes.of(e.job.id))), Array(5).fill('succeeded'))
    })

    it('leaves queued what is not its to start: other queues and types, limited, later, expired, keyed', async () => {
      const { runner, jobs, outcomes } = await startRunner({ concurrency: 8 })
      const candidates: NewJob[] = [
        newJob({ queue: 'elsewhere' }),
        newJob({ type: 'no-such-type' }),
        newJob({ type: 'keyed-here', concurrencyKey: 'k' }),
        newJob({ runAt: new Date(Date.now() + 60_000) }),
        newJob({ expiresAt: new Date(Date.now() - 1) }),
        newJob(),
      ]
      const offer = runner.reserveStarts(candidates)
      assert.ok(offer)
      try {
        assert.deepEqual(offer.starts, [false, false, false, false, false, true])
        assert.equal(offer.instanceId, runner.leaseOwner)
      } finally {
        offer.cancel()
      }
      const [keyedEnqueue] = await jobs.enqueue({
        owner: 'alice',
        jobs: [{ type: 'echo', idempotencyKey: 'once' }],
      })
      assert.equal(keyedEnqueue!.job.state, 'queued', 'an enqueue with an idempotency key is queued')
      assert.equal(await outcomes.of(keyedEnqueue!.job.id), 'succeeded')
    })

    it('leaves a paused type queued', async () => {
      const { store: pauseStore, board } = await openPauses(engine)
      const runner = engine.newRunner(QUIET, { pauses: board })
      try {
        await pauseStore.pause({ kind: 'type', name: 'held-here', mode: 'finish' })
        await board.refresh()
        const claims = countClaims(engine.store)
        try {
          await runner.start()
          await untilOffering(runner, claims)
        } finally {
          claims.restore()
        }
        const offer = runner.reserveStarts([newJob({ type: 'held-here' }), newJob()])
        assert.ok(offer)
        offer.cancel()
        assert.deepEqual(offer.starts, [false, true])
      } finally {
        await runner.stop({ graceMs: 2000 })
        await pauseStore.resume({ kind: 'type', name: 'held-here' })
        await board.stop()
      }
    })

    it('withdraws the offer on a notice of jobs waiting, until its next claim has looked', async () => {
      const { runner, jobs, outcomes } = await startRunner()
      const claims = countClaims(engine.store)
      const open = claims.holdPlain()
      try {
        // Another instance's enqueue: queued, announced by the database.
        const claimCalled = claims.nextPlainCall()
        const claimMade = claims.nextPlainAnswer()
        const [older] = await engine.jobs.enqueue({ owner: 'bob', jobs: [{ type: 'echo' }] })
        await claimCalled
        assert.equal(runner.reserveStarts([newJob()]), undefined, 'no start here while an older job may wait')
        const [newer] = await jobs.enqueue({ owner: 'alice', jobs: [{ type: 'echo' }] })
        assert.equal(newer!.job.state, 'queued', 'the newer job waits its turn')
        open()
        await claimMade
        assert.deepEqual(await Promise.all([outcomes.of(older!.job.id), outcomes.of(newer!.job.id)]), [
          'succeeded',
          'succeeded',
        ])
        await untilOffering(runner, claims)
      } finally {
        open()
        claims.restore()
      }
    })

    it('makes a stop wait for the insert it held places for, and hands its job back unrun, attempt refunded', async () => {
      const { runner } = await startRunner()
      const job = newJob()
      const offer = runner.reserveStarts([job])
      assert.ok(offer)
      const stopping = runner.stop({ graceMs: 10_000 })
      const [enqueued] = await engine.store.enqueueJobs({ owner: 'alice', jobs: [job], startHere: offer })
      assert.equal(enqueued!.job.state, 'running')
      offer.accept([{ ...enqueued!.job, traceparent: null }])
      const report = await stopping
      assert.deepEqual(report.released, [enqueued!.job.id])
      const stored = await engine.store.getJob({ id: enqueued!.job.id, owner: 'alice' })
      assert.deepEqual(
        { state: stored!.state, attempts: stored!.attempts, startedAt: stored!.startedAt },
        { state: 'queued', attempts: 0, startedAt: null },
      )
    })
  })
}

/**
 * Every settle of `runner` from now on, by job id: a job started by its enqueue may settle before the
 * enqueue's answer, so a test listens before it enqueues.
 */
function recordSettles(runner: Runner): { of(id: string): Promise<string> } {
  const seen = new Map<string, string>()
  const waiting = new Map<string, (outcome: string) => void>()
  // Heard for the runner's life: the test stops its runner afterwards.
  runner.events.on('job:settled', ({ job, outcome }) => {
    seen.set(job.id, outcome)
    waiting.get(job.id)?.(outcome)
  })
  return {
    of: (id) => {
      const outcome = seen.get(id)
      return outcome !== undefined ? Promise.resolve(outcome) : new Promise((resolve) => waiting.set(id, resolve))
    },
  }
}
