/**
 * The runner against each database: every state transition of a job, retries with backoff,
 * timeouts, cancellation of queued and running jobs, checkpoints that survive an interruption, the
 * recovery of a dead instance's job, and a stop that keeps its deadline when a job ignores its token.
 */
import { describe, it, beforeEach, afterEach } from 'node:test'
import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import { databaseTargets } from '../support/databases.js'
import { settled, type Engine } from '../support/engine.js'
import { defineJob } from '../../jobs/defineJob.js'
import type { Json, OwnedJob } from '../../src/queue/job.js'
import type { EnqueueRequest } from '../../src/queue/jobService.js'
import type { Runner } from '../../src/runner/runner.js'
import type { JobOutcome } from '../../src/runner/events.js'
import { replaceMethod } from '../support/replaceMethod.js'
import { suiteEngine } from '../support/suiteEngine.js'

/** The reason each `probe` job's token fired with, by job id. */
const probeReasons = new Map<string, unknown>()

/** Waits for its token, records why it fired, and rejects with that reason. */
const probe = defineJob<Json, never, null>({
  name: 'probe',
  payloadSchema: { type: 'object' },
  async run({ jobId, signal }) {
    if (!signal.aborted) await new Promise((resolve) => signal.addEventListener('abort', resolve, { once: true }))
    probeReasons.set(jobId, signal.reason)
    throw new Error(`probe stopped: ${String(signal.reason)}`)
  },
})

/** Uses every member of its context destructured (the functions called unbound) and returns what it saw. */
const contextProbe = defineJob<Json, { step: number }, Json>({
  name: 'context-probe',
  payloadSchema: { type: 'object' },
  async run({ jobId, payload, attempt, signal, checkpoint, saveCheckpoint, flush, progress, log }) {
    saveCheckpoint({ step: 1 })
    progress(0.5, 'half')
    await flush()
    log.debug('probed')
    return { jobId, payload, attempt, aborted: signal.aborted, checkpointAtStart: checkpoint ?? null }
  },
})

for (const target of databaseTargets()) {
  describe(`runner on ${target.name}`, { timeout: 60_000 }, () => {
    let engine: Engine

    suiteEngine(target, (opened) => (engine = opened), { extraJobs: [probe, contextProbe] })

    beforeEach(async () => {
      await engine.db
        .sql`truncate job_runner.job_runner_jobs, job_runner.job_runner_owner_jobs, job_runner.job_runner_instances restart identity`
    })

    afterEach(async () => {
      await engine.stopRunners()
    })

    async function enqueue(request: EnqueueRequest): Promise<OwnedJob> {
      const [enqueued] = await engine.jobs.enqueue({ owner: 'alice', jobs: [request] })
      return enqueued!.job
    }

    async function read(id: string): Promise<OwnedJob> {
      const job = await engine.store.getJob({ id, owner: undefined })
      assert.ok(job, `job ${id} exists`)
      return job
    }

    /** Every outcome of job `id` on `runner`, in order, until one is final. */
    function outcomes(runner: Runner, id: string): Promise<JobOutcome[]> {
      const seen: JobOutcome[] = []
      return new Promise((resolve) => {
        const off = runner.events.on('job:settled', ({ job, outcome }) => {
          if (job.id !== id) return
          seen.push(outcome)
          if (outcome !== 'retry') {
            off()
            resolve(seen)
          }
        })
      })
    }

    /** Resolves once the stored checkpoint of running job `id` satisfies `accept`. */
    async function storedCheckpoint<T>(
      runner: Runner,
      id: string,
      accept: (checkpoint: T | null) => boolean,
    ): Promise<T> {
      for (;;) {
        const next = runner.events.waitFor('job:checkpoint', (event) => event.ids.includes(id))
        const job = await read(id)
        if (accept(job.checkpoint as T | null)) return job.checkpoint as T
        await next
      }
    }

    /** Moves a queued retry's run_at to now and wakes the runner: the backoff has passed. */
    async function fastForward(id: string): Promise<void> {
      await engine.db.sql`update job_runner.job_runner_jobs set run_at = now() where id = ${id} and state = 'queued'`
      await engine.notifier.publish('jobsAvailable', 'default')
    }

    it('takes a job from queued through running to succeeded', async () => {
      const runner = engine.newRunner()
      const job = await enqueue({ type: 'echo', payload: { hello: 'world' } })
      assert.equal(job.state, 'queued')
      const started = runner.events.waitFor('job:start', (event) => event.job.id === job.id)
      const done = settled(runner, job.id)
      await runner.start()
      const { job: claimed } = await started
      assert.equal(claimed.state, 'running')
      assert.equal(claimed.attempts, 1)
      assert.equal((await done).outcome, 'succeeded')
      const finished = await read(job.id)
      assert.equal(finished.state, 'succeeded')
      assert.deepEqual(finished.result, { hello: 'world' })
      assert.equal(finished.attempts, 1)
      assert.equal(finished.error, null)
      assert.ok(finished.startedAt && finished.finishedAt)
      assert.equal(runner.runningJobs, 0)
    })

    it("tells how long a job's code ran, its outcome's write not counted", async () => {
      const runner = engine.newRunner()
      // The success write is held back half a second, as a slow database would hold it.
      const restore = replaceMethod(engine.store, 'completeJobs', (complete) => async (params) => {
        await new Promise((resolve) => setTimeout(resolve, 500))
        return complete(params)
      })
      try {
        const job = await enqueue({ type: 'echo', payload: 'quick' })
        const done = settled(runner, job.id)
        const started = performance.now()
        await runner.start()
        const { outcome, ranMs } = await done
        const settledAfter = performance.now() - started
        assert.equal(outcome, 'succeeded')
        assert.ok(settledAfter >= 500, `settled after ${settledAfter} ms, behind its write`)
        assert.ok(ranMs !== undefined && ranMs >= 0 && ranMs < 400, `ran ${ranMs} ms`)
      } finally {
        restore()
      }
    })

    it('gives a job a context whose functions work destructured, and whose checkpoint is the one it started from', async () => {
      const runner = engine.newRunner()
      const job = await enqueue({ type: 'context-probe', payload: { n: 7 } })
      const checkpointed = runner.events.waitFor('job:checkpoint', ({ ids }) => ids.includes(job.id))
      const done = settled(runner, job.id)
      await runner.start()
      await checkpointed
      assert.equal((await done).outcome, 'succeeded')
      const finished = await read(job.id)
      assert.deepEqual(finished.result, {
        jobId: job.id,
        payload: { n: 7 },
        attempt: 1,
        aborted: false,
        checkpointAtStart: null,
      })
      assert.deepEqual(finished.checkpoint, { step: 1 })
      assert.deepEqual(finished.progress, { fraction: 0.5, message: 'half' })
    })

    it('shows a running job as running in the store', async () => {
      const runner = engine.newRunner()
      const job = await enqueue({ type: 'probe' })
      const started = runner.events.waitFor('job:start', (event) => event.job.id === job.id)
      await runner.start()
      await started
      const running = await read(job.id)
      assert.equal(running.state, 'running')
      assert.deepEqual(runner.runningJobIds, [job.id])
      const done = settled(runner, job.id)
      await engine.jobs.cancel({ id: job.id, owner: 'alice' })
      await done
    })

    it('retries a flaky job until it succeeds', async () => {
      const runner = engine.newRunner()
      const job = await enqueue({ type: 'flaky', payload: { failTimes: 2 }, maxAttempts: 5 })
      const seen = outcomes(runner, job.id)
      await runner.start()
      assert.deepEqual(await seen, ['retry', 'retry', 'succeeded'])
      const finished = await read(job.id)
      assert.equal(finished.state, 'succeeded')
      assert.deepEqual(finished.result, { attempts: 3 })
      assert.equal(finished.attempts, 3)
    })

    it('waits an exponentially growing, jittered delay before each retry', async () => {
      const baseMs = 10_000
      const runner = engine.newRunner({ retryBaseMs: baseMs })
      const job = await enqueue({ type: 'flaky', payload: { failTimes: 2 }, maxAttempts: 5 })
      for (const [attempt, min, max] of [
        [1, baseMs / 2, baseMs],
        [2, baseMs, 2 * baseMs],
      ] as const) {
        const retried = settled(runner, job.id)
        if (attempt === 1) await runner.start()
        else await fastForward(job.id)
        const event = await retried
        assert.equal(event.outcome, 'retry')
        assert.match(event.error?.message ?? '', /failing on purpose/)
        const [row] = await engine.db.sql<{ state: string; attempts: number; error: string; delay_ms: number }[]>`
          select state, attempts, error, extract(epoch from run_at - updated_at) * 1000 as delay_ms
          from job_runner.job_runner_jobs where id = ${job.id}`
        assert.equal(row!.state, 'queued')
        assert.equal(row!.attempts, attempt)
        assert.match(row!.error, /failing on purpose/)
        assert.ok(
          row!.delay_ms >= min - 1 && row!.delay_ms <= max + 1,
          `retry ${attempt} waits ${min}-${max} ms (got ${row!.delay_ms})`,
        )
      }
      const done = settled(runner, job.id)
      await fastForward(job.id)
      assert.equal((await done).outcome, 'succeeded')
      assert.deepEqual((await read(job.id)).result, { attempts: 3 })
    })

    it('fails a job once its attempts are used up', async () => {
      const runner = engine.newRunner()
      const job = await enqueue({ type: 'flaky', payload: { failTimes: 5 }, maxAttempts: 2 })
      const seen = outcomes(runner, job.id)
      await runner.start()
      assert.deepEqual(await seen, ['retry', 'failed'])
      const failed = await read(job.id)
      assert.equal(failed.state, 'failed')
      assert.equal(failed.attempts, 2)
      assert.match(failed.error ?? '', /failing on purpose: attempt 2/)
      assert.ok(failed.finishedAt)
      assert.equal(failed.result, null)
    })

    it('aborts a job that runs past its timeout with reason timeout, as a failed attempt', async () => {
      const runner = engine.newRunner()
      const job = await enqueue({ type: 'probe', timeoutSeconds: 0.2, maxAttempts: 2 })
      const firstAttempt = settled(runner, job.id)
      const seen = outcomes(runner, job.id)
      await runner.start()
      const first = await firstAttempt
      assert.equal(first.outcome, 'retry')
      assert.equal(probeReasons.get(job.id), 'timeout')
      assert.deepEqual(await seen, ['retry', 'failed'])
      const failed = await read(job.id)
      assert.equal(failed.state, 'failed')
      assert.equal(failed.attempts, 2)
      assert.match(failed.error ?? '', /timed out after 0.2 s/)
    })

    it('cancels a queued job so that it never runs', async () => {
      const runner = engine.newRunner({ concurrency: 4 })
      const starts: string[] = []
      runner.events.on('job:start', ({ job }) => starts.push(job.id))
      const job = await enqueue({ type: 'echo', runAt: new Date(Date.now() + 3_600_000).toISOString() })
      const outcome = await engine.jobs.cancel({ id: job.id, owner: 'alice' })
      assert.equal(outcome.kind, 'cancelled')
      const cancelled = await read(job.id)
      assert.equal(cancelled.state, 'cancelled')
      assert.ok(cancelled.finishedAt)
      // Make it due and first in line, then let a claim that would have taken it run.
      await engine.db
        .sql`update job_runner.job_runner_jobs set run_at = now() - interval '1 minute' where id = ${job.id}`
      const other = await enqueue({ type: 'echo' })
      const done = settled(runner, other.id)
      await runner.start()
      await done
      assert.deepEqual(starts, [other.id])
      assert.equal((await read(job.id)).state, 'cancelled')
    })

    it('cancels a running job: its token aborts with reason cancelled', async () => {
      const runner = engine.newRunner()
      const job = await enqueue({ type: 'probe' })
      const started = runner.events.waitFor('job:start', (event) => event.job.id === job.id)
      const done = settled(runner, job.id)
      await runner.start()
      await started
      const outcome = await engine.jobs.cancel({ id: job.id, owner: 'alice' })
      assert.equal(outcome.kind, 'requested')
      assert.equal((await done).outcome, 'cancelled')
      assert.equal(probeReasons.get(job.id), 'cancelled')
      const cancelled = await read(job.id)
      assert.equal(cancelled.state, 'cancelled')
      assert.equal(cancelled.cancelRequested, true)
      assert.equal(cancelled.attempts, 1)
      assert.ok(cancelled.finishedAt)
    })

    it('cancels a running sleep job whose cancel notice was lost, through the lease renewal', async () => {
      const runner = engine.newRunner({ leaseMs: 600 })
      const job = await enqueue({ type: 'sleep', payload: { ms: 60_000 } })
      const started = runner.events.waitFor('job:start', (event) => event.job.id === job.id)
      const done = settled(runner, job.id)
      await runner.start()
      await started
      // The store alone: no notice is published, only the flag is set.
      assert.equal((await engine.store.requestCancel({ id: job.id, owner: undefined })).kind, 'requested')
      assert.equal((await done).outcome, 'cancelled')
      assert.equal((await read(job.id)).state, 'cancelled')
    })

    it('checkpoints a running job, requeues it on stop, and resumes it from the checkpoint', async () => {
      const first = engine.newRunner()
      const job = await enqueue({ type: 'count', payload: { to: 60, stepMs: 20 } })
      const started = first.events.waitFor('job:start', (event) => event.job.id === job.id)
      await first.start()
      await started
      const flushed = await storedCheckpoint<{ cursor: number }>(first, job.id, (c) => (c?.cursor ?? 0) >= 3)
      const running = await read(job.id)
      assert.equal(running.state, 'running')
      assert.ok(running.progress && running.progress.fraction > 0, 'progress is written with the checkpoint')

      const interrupted = settled(first, job.id)
      const report = await first.stop({ graceMs: 5000 })
      assert.equal((await interrupted).outcome, 'interrupted')
      assert.deepEqual(report, { released: [], interrupted: [job.id], abandoned: [], unwritten: [] })
      const requeued = await read(job.id)
      assert.equal(requeued.state, 'queued')
      assert.equal(requeued.interruptions, 1)
      assert.equal(requeued.attempts, 0, 'an interruption uses no attempt')
      const checkpoint = requeued.checkpoint as { cursor: number; runs: number }
      assert.ok(checkpoint.cursor >= flushed.cursor, 'the checkpoint written at stop is the latest')
      assert.ok(checkpoint.cursor > 0 && checkpoint.cursor < 60)
      assert.equal(checkpoint.runs, 1)

      const second = engine.newRunner()
      const done = settled(second, job.id)
      await second.start()
      assert.equal((await done).outcome, 'succeeded')
      const finished = await read(job.id)
      assert.equal(finished.state, 'succeeded')
      assert.deepEqual(finished.result, { counted: 60, resumedFrom: checkpoint.cursor, runs: 2 })
      assert.equal(finished.attempts, 1)
      assert.equal(finished.interruptions, 1)
    })

    it('recovers the job of a dead instance when its lease expires, from its last checkpoint', async () => {
      const job = await enqueue({ type: 'count', payload: { to: 5, stepMs: 1 } })
      // A "dead" instance: claims with a short lease, writes a checkpoint, never renews.
      const dead = randomUUID()
      const [claimed] = await engine.store.claimJobs({ instanceId: dead, queues: ['default'], limit: 1, leaseMs: 300 })
      assert.equal(claimed?.id, job.id)
      await engine.store.writeCheckpoints({
        instanceId: dead,
        jobs: [{ id: job.id, attempt: claimed!.attempts, checkpoint: { cursor: 3, runs: 1 }, progress: null }],
      })

      const runner = engine.newRunner()
      const recovered = runner.events.waitFor('leases:recovered', (event) => event.ids.includes(job.id))
      const done = settled(runner, job.id)
      await runner.start()
      await recovered
      assert.equal((await done).outcome, 'succeeded')
      const finished = await read(job.id)
      assert.equal(finished.state, 'succeeded')
      assert.equal(finished.attempts, 2, 'the lost attempt counted')
      assert.deepEqual(finished.result, { counted: 5, resumedFrom: 3, runs: 2 })
      // The dead instance comes back: its late write changes nothing.
      assert.deepEqual(
        await engine.store.completeJobs({
          instanceId: dead,
          completions: [{ id: job.id, attempt: claimed!.attempts, checkpoint: null, progress: null, result: 'late' }],
        }),
        [],
      )
      assert.deepEqual((await read(job.id)).result, { counted: 5, resumedFrom: 3, runs: 2 })
    })

    it('stops by its deadline when a job ignores its token, requeueing it with its latest checkpoint', async () => {
      const runner = engine.newRunner()
      const job = await enqueue({ type: 'stubborn', payload: { to: 300, stepMs: 10 } })
      // On its last attempt, an abandonment fails the job.
      const last = await enqueue({ type: 'stubborn', payload: { to: 300, stepMs: 10 }, maxAttempts: 1 })
      const started = Promise.all(
        [job, last].map(({ id }) => runner.events.waitFor('job:start', (event) => event.job.id === id)),
      )
      await runner.start()
      await started
      const flushed = await storedCheckpoint<{ cursor: number }>(runner, job.id, (c) => (c?.cursor ?? 0) >= 2)

      const abandoned = settled(runner, job.id)
      const lastAbandoned = settled(runner, last.id)
      const graceMs = 1000
      const stoppedAt = performance.now()
      const report = await runner.stop({ graceMs })
      const elapsedMs = Math.round(performance.now() - stoppedAt)
      assert.ok(elapsedMs <= graceMs + 500, `stop resolved ${elapsedMs} ms after it began, for a ${graceMs} ms grace`)
      assert.equal((await abandoned).outcome, 'abandoned')
      assert.equal((await lastAbandoned).outcome, 'failed')
      assert.equal((await read(last.id)).state, 'failed')
      assert.deepEqual(
        { ...report, abandoned: [...report.abandoned].sort() },
        { released: [], interrupted: [], abandoned: [job.id, last.id].sort(), unwritten: [] },
      )
      const requeued = await read(job.id)
      assert.equal(requeued.state, 'queued')
      assert.equal(requeued.interruptions, 1)
      assert.equal(requeued.attempts, 1, 'abandonment counts the attempt')
      const checkpoint = requeued.checkpoint as { cursor: number }
      assert.ok(
        checkpoint.cursor > flushed.cursor,
        `the checkpoint at the deadline (${checkpoint.cursor}) is newer than the last flush seen (${flushed.cursor})`,
      )
      assert.ok(checkpoint.cursor < 300)
      assert.equal(runner.runningJobs, 2, 'the abandoned runs hold their slots until their code returns')
    })

    it('returns the same promise when stop is called twice', async () => {
      const runner = engine.newRunner()
      await runner.start()
      const first = runner.stop({ graceMs: 1000 })
      assert.equal(runner.stop({ graceMs: 1000 }), first)
      assert.deepEqual(await first, { released: [], interrupted: [], abandoned: [], unwritten: [] })
    })
  })
}
