/**
 * Per job type retry policies through a real runner, on each database: `PermanentError` fails at
 * once, `RetryAfterError` waits exactly its delay, `retryDelay` decides (null gives up),
 * `defaults.retry` shapes the backoff, and every failed attempt lands in the error history.
 */
import { describe, it, beforeEach, afterEach } from 'node:test'
import assert from 'node:assert/strict'
import { databaseTargets } from '../support/databases.js'
import { settled, type Engine } from '../support/engine.js'
import { defineJob, PermanentError, RetryAfterError } from '../../jobs/defineJob.js'
import type { Json, OwnedJob } from '../../src/queue/job.js'
import type { EnqueueRequest } from '../../src/queue/jobService.js'
import { retryDelayMs } from '../../src/runner/backoff.js'
import { suiteEngine } from '../support/suiteEngine.js'

const permanent = defineJob<Json, never, null>({
  name: 'permanent',
  payloadSchema: { type: 'object' },
  async run() {
    throw new PermanentError('the input can never work')
  },
})

const rateLimited = defineJob<Json, never, string>({
  name: 'rate-limited',
  payloadSchema: { type: 'object' },
  async run({ attempt }) {
    if (attempt === 1) throw new RetryAfterError(4321, 'rate limited: Retry-After 4.321 s')
    return 'through'
  },
})

/** Its policy: 7 s plus the attempt after the first failure, give up after the second. */
const decides = defineJob<Json, never, null>({
  name: 'decides',
  payloadSchema: { type: 'object' },
  retryDelay: (attempt, error) => (attempt >= 2 ? null : 7000 + attempt + (error.message === 'no luck' ? 10 : 0)),
  async run() {
    throw new Error('no luck')
  },
})

const shaped = defineJob<Json, never, null>({
  name: 'shaped',
  payloadSchema: { type: 'object' },
  defaults: { maxAttempts: 3, retry: { baseMs: 4000, factor: 3, jitter: 0 } },
  async run({ attempt }) {
    throw new TypeError(`shaped failure ${attempt}`)
  },
})

/** A policy that throws: the job is not lost, it retries on the default backoff. */
const brokenPolicy = defineJob<Json, never, null>({
  name: 'broken-policy',
  payloadSchema: { type: 'object' },
  retryDelay: () => {
    throw new Error('policy bug')
  },
  async run() {
    throw new Error('job failure')
  },
})

/** Fails with a 20 000-character message of two-byte characters and a long stack. */
const loud = defineJob<Json, never, null>({
  name: 'loud',
  payloadSchema: { type: 'object' },
  defaults: { maxAttempts: 1 },
  async run() {
    const error = new PermanentError('é'.repeat(20_000))
    error.stack = `PermanentError: long\n${'    at somewhere (file.js:1:1)\n'.repeat(1000)}`
    throw error
  },
})

describe('the default backoff (RETRY_BASE_MS)', () => {
  const at = (attempt: number, random: number) => retryDelayMs(attempt, { baseMs: 1000, random: () => random })

  it('doubles from the base, half of each delay random (equal jitter)', () => {
    assert.deepEqual(
      [1, 2, 3].map((attempt) => [at(attempt, 0), at(attempt, 1)]),
      [
        [500, 1000],
        [1000, 2000],
        [2000, 4000],
      ],
    )
  })

  it('is capped at an hour, however many attempts failed', () => {
    assert.equal(at(13, 1), 3_600_000)
    assert.equal(at(1000, 1), 3_600_000)
    assert.equal(at(1000, 0), 1_800_000)
  })
})

for (const target of databaseTargets()) {
  describe(`retry policies on ${target.name}`, { timeout: 60_000 }, () => {
    let engine: Engine

    suiteEngine(target, (opened) => (engine = opened), {
      extraJobs: [permanent, rateLimited, decides, shaped, brokenPolicy, loud],
    })
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

    /** The delay the last failure set: run_at minus the time of the write. */
    async function storedDelayMs(id: string): Promise<number> {
      const [row] = await engine.db.sql<{ delay_ms: number }[]>`
        select extract(epoch from run_at - updated_at) * 1000 as delay_ms from job_runner.job_runner_jobs where id = ${id}`
      return Number(row!.delay_ms)
    }

    /** Makes a queued retry runnable now and wakes the runner. */
    async function fastForward(id: string): Promise<void> {
      await engine.db.sql`update job_runner.job_runner_jobs set run_at = now() where id = ${id} and state = 'queued'`
      await engine.notifier.publish('jobsAvailable', 'default')
    }

    it('PermanentError fails the job at once, attempts left or not, with its stack in the history', async () => {
      const runner = engine.newRunner()
      const job = await enqueue({ type: 'permanent', maxAttempts: 5 })
      const done = settled(runner, job.id)
      await runner.start()
      assert.equal((await done).outcome, 'failed')
      const failed = await read(job.id)
      assert.deepEqual([failed.state, failed.attempts, failed.error], ['failed', 1, 'the input can never work'])
      assert.equal(failed.errors.length, 1)
      const [entry] = failed.errors
      assert.deepEqual([entry!.attempt, entry!.name, entry!.message], [1, 'PermanentError', 'the input can never work'])
      assert.match(entry!.stack!, /PermanentError: the input can never work\n\s+at /)
    })

    it('RetryAfterError retries after exactly its delay', async () => {
      const runner = engine.newRunner()
      const job = await enqueue({ type: 'rate-limited' })
      const first = settled(runner, job.id)
      await runner.start()
      assert.equal((await first).outcome, 'retry')
      assert.ok(Math.abs((await storedDelayMs(job.id)) - 4321) < 1, 'run_at is exactly Retry-After ahead')
      const second = settled(runner, job.id)
      await fastForward(job.id)
      assert.equal((await second).outcome, 'succeeded')
      const done = await read(job.id)
      assert.equal(done.result, 'through')
      assert.deepEqual(
        done.errors.map((e) => [e.attempt, e.name, e.message]),
        [[1, 'RetryAfterError', 'rate limited: Retry-After 4.321 s']],
      )
    })

    it('retryDelay sets each delay from the attempt and the error, and null gives up with attempts left', async () => {
      const runner = engine.newRunner()
      const job = await enqueue({ type: 'decides', maxAttempts: 10 })
      const first = settled(runner, job.id)
      await runner.start()
      assert.equal((await first).outcome, 'retry')
      assert.ok(Math.abs((await storedDelayMs(job.id)) - 7011) < 1)
      const second = settled(runner, job.id)
      await fastForward(job.id)
      assert.equal((await second).outcome, 'failed')
      const failed = await read(job.id)
      assert.deepEqual([failed.state, failed.attempts, failed.errors.length], ['failed', 2, 2])
    })

    it('defaults.retry shapes the backoff: base, factor, no jitter', async () => {
      const runner = engine.newRunner()
      const job = await enqueue({ type: 'shaped' })
      const first = settled(runner, job.id)
      await runner.start()
      assert.equal((await first).outcome, 'retry')
      assert.ok(Math.abs((await storedDelayMs(job.id)) - 4000) < 1)
      const second = settled(runner, job.id)
      await fastForward(job.id)
      assert.equal((await second).outcome, 'retry')
      assert.ok(Math.abs((await storedDelayMs(job.id)) - 12_000) < 1)
      const third = settled(runner, job.id)
      await fastForward(job.id)
      assert.equal((await third).outcome, 'failed')
      const failed = await read(job.id)
      assert.deepEqual(
        failed.errors.map((e) => [e.attempt, e.name, e.message]),
        [
          [1, 'TypeError', 'shaped failure 1'],
          [2, 'TypeError', 'shaped failure 2'],
          [3, 'TypeError', 'shaped failure 3'],
        ],
      )
      assert.equal(failed.error, 'shaped failure 3')
    })

    it('bounds each history entry: message to 4 KiB, stack to 8 KiB of UTF-8, cut on a character', async () => {
      const runner = engine.newRunner()
      const job = await enqueue({ type: 'loud' })
      const done = settled(runner, job.id)
      await runner.start()
      assert.equal((await done).outcome, 'failed')
      const failed = await read(job.id)
      const [entry] = failed.errors
      assert.equal(Buffer.byteLength(entry!.message), 4096)
      assert.equal(entry!.message, 'é'.repeat(2048))
      assert.ok(Buffer.byteLength(entry!.stack!) <= 8192 && entry!.stack!.startsWith('PermanentError: long\n'))
      assert.equal(failed.error!.length, 10_000, '`error` keeps its own, longer bound')
    })

    it('a retryDelay that throws falls back to the default backoff and is logged', async () => {
      const runner = engine.newRunner({ retryBaseMs: 60_000 })
      const job = await enqueue({ type: 'broken-policy' })
      const first = settled(runner, job.id)
      await runner.start()
      assert.equal((await first).outcome, 'retry')
      const delay = await storedDelayMs(job.id)
      assert.ok(delay >= 30_000 && delay <= 60_000, `the default backoff's first delay (got ${delay} ms)`)
      assert.ok(
        engine.logs.lines.some((line) => /retry policy threw/.test(line)),
        'logged',
      )
    })
  })
}
