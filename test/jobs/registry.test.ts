/**
 * The job registry and the shipped jobs: every job file loads, enqueue refuses an unknown type or a
 * bad payload before anything is stored (on each database), and each example job does what
 * DESIGN.md says, run directly with a context like the runner's, with a result that fits the
 * `resultSchema` it declares.
 */
import { describe, it, before, beforeEach } from 'node:test'
import assert from 'node:assert/strict'
import { databaseTargets } from '../support/databases.js'
import type { Engine } from '../support/engine.js'
import { captureLogs } from '../support/logs.js'
import { defineJob, type JobContext } from '../../jobs/defineJob.js'
import { JobRegistry, loadJobRegistry, type AnyJobDefinition } from '../../jobs/registry.js'
import { InvalidJobError } from '../../src/queue/jobService.js'
import { createAjv } from '../../src/validation/ajv.js'
import { suiteEngine } from '../support/suiteEngine.js'

describe('job registry', () => {
  let registry: JobRegistry

  before(async () => {
    registry = await loadJobRegistry()
  })

  it('loads every shipped job file', () => {
    assert.deepEqual(registry.names(), ['count', 'echo', 'flaky', 'sleep', 'stubborn'])
    for (const name of registry.names()) {
      const definition = registry.get(name)!
      assert.equal(definition.name, name)
      assert.equal(typeof definition.run, 'function')
      assert.ok(definition.defaults.maxAttempts >= 1)
    }
    assert.equal(registry.get('nope'), undefined)
  })

  it('validates payloads against each job schema, naming where the problem is', () => {
    assert.deepEqual(registry.validatePayload('count', { to: 3, stepMs: 10 }), [])
    assert.deepEqual(registry.validatePayload('echo', { anything: ['goes'] }), [])
    assert.deepEqual(registry.validatePayload('echo', 'even a string'), [])
    const missing = registry.validatePayload('count', { to: 3 })
    assert.deepEqual(
      missing.map((p) => p.pointer),
      ['/stepMs'],
    )
    const wrongType = registry.validatePayload('sleep', { ms: 'soon' })
    assert.deepEqual(
      wrongType.map((p) => p.pointer),
      ['/ms'],
    )
    const extra = registry.validatePayload('flaky', { failTimes: 1, extra: true })
    assert.deepEqual(
      extra.map((p) => p.pointer),
      ['/extra'],
    )
    assert.ok(registry.validatePayload('sleep', { ms: -1 }).length > 0)
    assert.ok(registry.validatePayload('count', null).length > 0)
    assert.throws(() => registry.validatePayload('nope', {}), /unknown job type/)
  })

  it('refuses two job files with one name, and bad names or defaults', () => {
    const job = defineJob({ name: 'twice', payloadSchema: {}, run: async () => null })
    assert.throws(() => new JobRegistry([job, job]), /two job files define twice/)
    assert.throws(() => defineJob({ name: 'Bad Name', payloadSchema: {}, run: async () => null }), /must match/)
    const untyped = defineJob as (definition: Record<string, unknown>) => unknown
    assert.throws(
      () => untyped({ name: 'noschema', run: async () => null }),
      /job noschema: payloadSchema must be a JSON Schema object/,
      'a plain .mjs file may leave it out',
    )
    assert.throws(
      () => defineJob({ name: 'zero', payloadSchema: {}, defaults: { maxAttempts: 0 }, run: async () => null }),
      /maxAttempts/,
    )
    assert.throws(
      () =>
        new JobRegistry([defineJob({ name: 'badschema', payloadSchema: { type: 'nonsense' }, run: async () => null })]),
    )
    assert.throws(
      () =>
        new JobRegistry([
          defineJob({
            name: 'badcheckpoint',
            payloadSchema: {},
            checkpointSchema: { type: 'nonsense' },
            run: async () => null,
          }),
        ]),
      /job badcheckpoint has an invalid checkpointSchema/,
    )
    assert.throws(
      () =>
        new JobRegistry([
          defineJob({
            name: 'badresult',
            payloadSchema: {},
            resultSchema: { type: 'nonsense' },
            run: async () => null,
          }),
        ]),
      /job badresult has an invalid resultSchema/,
    )
  })
})

describe('shipped jobs', () => {
  let registry: JobRegistry
  const { log } = captureLogs('silent')

  before(async () => {
    registry = await loadJobRegistry()
  })

  /** The shipped job, whose every result is checked against the `resultSchema` it declares. */
  function job(name: string): AnyJobDefinition {
    const definition = registry.get(name)
    assert.ok(definition, `${name} is shipped`)
    if (definition.resultSchema === undefined) return definition
    const fits = createAjv().compile(definition.resultSchema)
    return {
      ...definition,
      async run(ctx) {
        const result = await definition.run(ctx)
        assert.ok(
          fits(result),
          `${name}: ${JSON.stringify(result)} fits its resultSchema: ${JSON.stringify(fits.errors)}`,
        )
        return result
      },
    }
  }

  /** A context like the runner's, recording what the job saves. */
  function context<P>(
    payload: P,
    {
      attempt = 1,
      checkpoint,
      signal = new AbortController().signal,
    }: { attempt?: number; checkpoint?: unknown; signal?: AbortSignal } = {},
  ) {
    const saved: unknown[] = []
    const progress: { fraction: number; message?: string }[] = []
    const ctx: JobContext<P, unknown> = {
      jobId: '1',
      payload,
      attempt,
      signal,
      checkpoint,
      saveCheckpoint: (state) => void saved.push(state),
      flush: async () => {},
      progress: (fraction, message) => void progress.push(message === undefined ? { fraction } : { fraction, message }),
      log,
    }
    return { ctx, saved, progress }
  }

  it('echo returns its payload', async () => {
    const payload = { a: [1, 'two', { three: null }] }
    assert.deepEqual(await job('echo').run(context(payload).ctx), payload)
  })

  it('sleep sleeps and returns {slept}', async () => {
    assert.deepEqual(await job('sleep').run(context({ ms: 5 }).ctx), { slept: 5 })
  })

  it('sleep wakes at once when its token fires, rejecting', async () => {
    const controller = new AbortController()
    const running = job('sleep').run(context({ ms: 60_000 }, { signal: controller.signal }).ctx)
    controller.abort('cancelled')
    await assert.rejects(running)
    assert.equal(controller.signal.reason, 'cancelled')
  })

  it('count counts to `to`, saving its cursor and progress at every step', async () => {
    const { ctx, saved, progress } = context({ to: 3, stepMs: 1 })
    assert.deepEqual(await job('count').run(ctx), { counted: 3, resumedFrom: 0, runs: 1 })
    assert.deepEqual(saved, [
      { cursor: 0, runs: 1 },
      { cursor: 1, runs: 1 },
      { cursor: 2, runs: 1 },
      { cursor: 3, runs: 1 },
    ])
    assert.deepEqual(
      progress.map((p) => p.fraction),
      [1 / 3, 2 / 3, 1],
    )
  })

  it('count resumes from its checkpoint and counts the runs', async () => {
    const { ctx, saved } = context({ to: 5, stepMs: 0 }, { checkpoint: { cursor: 3, runs: 2 } })
    assert.deepEqual(await job('count').run(ctx), { counted: 5, resumedFrom: 3, runs: 3 })
    assert.deepEqual(saved.at(-1), { cursor: 5, runs: 3 })
  })

  it('count stops between steps when its token fires, its cursor saved', async () => {
    const controller = new AbortController()
    const { ctx, saved } = context({ to: 1000, stepMs: 5 }, { signal: controller.signal })
    const running = job('count').run(ctx)
    while (saved.length < 3) await new Promise((resolve) => setTimeout(resolve, 5))
    controller.abort('shutdown')
    await assert.rejects(running)
    const last = saved.at(-1) as { cursor: number }
    assert.ok(last.cursor >= 2 && last.cursor < 1000)
  })

  it('flaky fails its first failTimes attempts, then succeeds', async () => {
    const flaky = job('flaky')
    await assert.rejects(flaky.run(context({ failTimes: 2 }, { attempt: 1 }).ctx), /failing on purpose: attempt 1/)
    await assert.rejects(flaky.run(context({ failTimes: 2 }, { attempt: 2 }).ctx), /failing on purpose: attempt 2/)
    assert.deepEqual(await flaky.run(context({ failTimes: 2 }, { attempt: 3 }).ctx), { attempts: 3 })
    assert.deepEqual(await flaky.run(context({ failTimes: 0 }, { attempt: 1 }).ctx), { attempts: 1 })
  })
})

for (const target of databaseTargets()) {
  describe(`enqueue validation on ${target.name}`, { timeout: 60_000 }, () => {
    let engine: Engine

    suiteEngine(target, (opened) => (engine = opened))

    beforeEach(async () => {
      await engine.db.sql`truncate job_runner.job_runner_jobs, job_runner.job_runner_owner_jobs restart identity`
    })

    async function storedJobs(): Promise<number> {
      const [row] = await engine.db.sql<{ n: number }[]>`select count(*)::int as n from job_runner.job_runner_jobs`
      return row!.n
    }

    it('refuses an unknown job type before storing anything', async () => {
      await assert.rejects(
        engine.jobs.enqueue({ owner: 'alice', jobs: [{ type: 'nope', payload: {} }] }),
        (error: unknown) => {
          assert.ok(error instanceof InvalidJobError)
          assert.match(error.message, /unknown job type "nope"/)
          assert.match(error.message, /count, echo, flaky, sleep, stubborn/)
          return true
        },
      )
      assert.equal(await storedJobs(), 0)
    })

    it('refuses a payload that fails its schema before storing anything', async () => {
      await assert.rejects(
        engine.jobs.enqueue({ owner: 'alice', jobs: [{ type: 'count', payload: { to: 'ten', stepMs: 1 } }] }),
        (error: unknown) => {
          assert.ok(error instanceof InvalidJobError)
          assert.match(error.message, /payload does not match the schema of count/)
          assert.deepEqual(
            error.problems.map((p) => p.pointer),
            ['/to'],
          )
          return true
        },
      )
      await assert.rejects(
        engine.jobs.enqueue({ owner: 'alice', jobs: [{ type: 'sleep' }] }),
        InvalidJobError,
        'a missing payload is an empty object, which sleep refuses',
      )
      assert.equal(await storedJobs(), 0)
    })

    it('refuses a whole batch when one job is bad, naming its index', async () => {
      await assert.rejects(
        engine.jobs.enqueue({
          owner: 'alice',
          jobs: [
            { type: 'echo', payload: 1 },
            { type: 'flaky', payload: { failTimes: 'x' } },
            { type: 'echo', payload: 2 },
          ],
        }),
        (error: unknown) => {
          assert.ok(error instanceof InvalidJobError)
          assert.match(error.message, /jobs\[1\]/)
          assert.deepEqual(
            error.problems.map((p) => p.index),
            [1],
          )
          return true
        },
      )
      await assert.rejects(
        engine.jobs.enqueue({ owner: 'alice', jobs: [{ type: 'echo' }, { type: 'ghost' }] }),
        /unknown job type "ghost" \(jobs\[1\]\)/,
      )
      await assert.rejects(
        engine.jobs.enqueue({ owner: 'alice', jobs: [{ type: 'echo', runAt: 'not a date' }] }),
        /runAt is not a date-time/,
      )
      assert.equal(await storedJobs(), 0)
    })

    it('stores a valid job with the type defaults filled in', async () => {
      const [enqueued] = await engine.jobs.enqueue({
        owner: 'alice',
        jobs: [{ type: 'count', payload: { to: 1, stepMs: 0 } }],
      })
      assert.equal(await storedJobs(), 1)
      const count = engine.registry.get('count')!
      assert.equal(enqueued!.job.maxAttempts, count.defaults.maxAttempts)
      assert.equal(enqueued!.job.queue, count.defaults.queue)
      assert.equal(enqueued!.job.timeoutSeconds, count.defaults.timeoutSeconds)
      const [echo] = await engine.jobs.enqueue({
        owner: 'alice',
        jobs: [{ type: 'echo', maxAttempts: 9, queue: 'q2', priority: 3, timeoutSeconds: 4 }],
      })
      assert.deepEqual(
        {
          maxAttempts: echo!.job.maxAttempts,
          queue: echo!.job.queue,
          priority: echo!.job.priority,
          timeoutSeconds: echo!.job.timeoutSeconds,
          payload: echo!.job.payload,
        },
        { maxAttempts: 9, queue: 'q2', priority: 3, timeoutSeconds: 4, payload: {} },
      )
    })
  })
}
