/**
 * One run of one job (src/runner/jobExecution.ts): nothing runs before `start()`, the token's
 * reason, the timeout and the abandonment of a run that ignores it, and — with a runner on each
 * database — what `crashError` does to a run's outcome and to the attempt it counted.
 */
import { describe, it, before, beforeEach, afterEach, after } from 'node:test'
import assert from 'node:assert/strict'
import { setImmediate as nextTurn, setTimeout as sleep } from 'node:timers/promises'
import { databaseTargets } from '../support/databases.js'
import { jobRow } from '../support/jobRow.js'
import { captureLogs } from '../support/logs.js'
import { settled, type Engine } from '../support/engine.js'
import { defineJob, type AbortReason } from '../../jobs/defineJob.js'
import type { Json, OwnedJob } from '../../src/queue/job.js'
import type { JobOutcome } from '../../src/runner/events.js'
import { JobExecution, type ExecutionTimeouts } from '../../src/runner/jobExecution.js'
import { suiteEngine } from '../support/suiteEngine.js'

const log = captureLogs('warn').log
const noFlush = async () => {}

/** A run whose outcome the test decides: `finish()` resolves it; it records when and why its token fired. */
function controlled() {
  let finish!: (result: Json) => void
  const finished = new Promise<Json>((resolve) => (finish = resolve))
  const seen = { runs: 0, abortedAt: undefined as number | undefined, reason: undefined as unknown }
  const definition = defineJob<Json, never, Json>({
    name: 'controlled',
    payloadSchema: { type: 'object' },
    async run({ signal }) {
      seen.runs += 1
      signal.addEventListener(
        'abort',
        () => {
          seen.abortedAt = performance.now()
          seen.reason = signal.reason
        },
        { once: true },
      )
      return finished
    },
  })
  return { definition, finish, seen }
}

/** Timeouts whose `onTimeoutIgnored` calls are recorded; `ignored` resolves on the first. */
function recordingTimeouts(abandonGraceMs: number) {
  const calls: { execution: JobExecution; at: number }[] = []
  let resolveIgnored!: (call: { execution: JobExecution; at: number }) => void
  const ignored = new Promise<{ execution: JobExecution; at: number }>((resolve) => (resolveIgnored = resolve))
  const timeouts: ExecutionTimeouts = {
    abandonGraceMs,
    onTimeoutIgnored: (execution) => {
      const call = { execution, at: performance.now() }
      calls.push(call)
      resolveIgnored(call)
    },
  }
  return { timeouts, calls, ignored }
}

describe('job execution', () => {
  // A run's timers are unref'd (they must not hold a stopping process open): this keeps the test's alive.
  let keepAlive: NodeJS.Timeout
  before(() => void (keepAlive = setInterval(() => {}, 60_000)))
  after(() => clearInterval(keepAlive))

  it('runs nothing before start(), and runs the job once when started', async () => {
    const { definition, finish, seen } = controlled()
    const execution = new JobExecution(jobRow(), definition, log, noFlush)
    await nextTurn()
    assert.equal(seen.runs, 0)
    assert.equal(execution.isSettled, false)
    const pending = Symbol('pending')
    assert.equal(await Promise.race([execution.settled, nextTurn(pending)]), pending, 'settled waits for a start')
    execution.start()
    assert.equal(seen.runs, 1)
    finish({ done: true })
    assert.deepEqual(await execution.settled, { kind: 'resolved', result: { done: true } })
    assert.equal(execution.isSettled, true)
    assert.equal(seen.runs, 1)
  })

  it('settles as rejected, naming the type, when no job file defines it', async () => {
    const execution = new JobExecution(jobRow({ type: 'nowhere' }), undefined, log, noFlush)
    execution.start()
    const settlement = await execution.settled
    assert.equal(settlement.kind, 'rejected')
    assert.match(settlement.kind === 'rejected' ? settlement.error.message : '', /unknown job type "nowhere"/)
  })

  it('tells onSettled once and never during start(): sync, async, throwing and unknown jobs', async () => {
    const returnsAtOnce = defineJob<Json, never, Json>({
      name: 'sync',
      payloadSchema: {},
      run: (({ payload }: { payload: Json }) => payload) as never,
    })
    const throwsAtOnce = defineJob<Json, never, Json>({
      name: 'throws',
      payloadSchema: {},
      run: (() => {
        throw new Error('at once')
      }) as never,
    })
    const resolves = defineJob<Json, never, Json>({ name: 'async', payloadSchema: {}, run: async () => 'done' })
    const cases = [
      { definition: returnsAtOnce, kind: 'resolved' },
      { definition: throwsAtOnce, kind: 'rejected' },
      { definition: resolves, kind: 'resolved' },
      { definition: undefined, kind: 'rejected' },
    ] as const
    for (const { definition, kind } of cases) {
      const heard: { kind: string; duringStart: boolean }[] = []
      let starting = false
      const execution = new JobExecution(jobRow(), definition, log, noFlush, undefined, undefined, (e, settlement) => {
        assert.equal(e, execution)
        heard.push({ kind: settlement.kind, duringStart: starting })
      })
      starting = true
      execution.start()
      starting = false
      const settlement = await execution.settled
      const name = definition?.name ?? 'unknown'
      assert.equal(settlement.kind, kind, name)
      assert.deepEqual(heard, [{ kind, duringStart: false }], name)
      assert.equal(execution.isSettled, true)
    }
  })

  it('fires its token with the reason given; the first reason wins', async () => {
    const { definition, finish, seen } = controlled()
    const execution = new JobExecution(jobRow(), definition, log, noFlush)
    execution.start()
    assert.equal(execution.abortReason, undefined)
    execution.abort('cancelled')
    execution.abort('shutdown')
    assert.equal(execution.abortReason, 'cancelled')
    assert.equal(execution.signal.reason, 'cancelled')
    assert.equal(seen.reason, 'cancelled', 'the job saw the first reason')
    finish(null)
    await execution.settled
  })

  it('keeps an abort made before start(): the job begins with its token fired', async () => {
    let abortedAtStart: AbortReason | undefined
    const definition = defineJob<Json, never, null>({
      name: 'reads-token',
      payloadSchema: { type: 'object' },
      async run({ signal }) {
        abortedAtStart = signal.aborted ? (signal.reason as AbortReason) : undefined
        return null
      },
    })
    const execution = new JobExecution(jobRow(), definition, log, noFlush)
    execution.abort('cancelled')
    execution.start()
    await execution.settled
    assert.equal(abortedAtStart, 'cancelled')
  })

  it('fires timeout, then onTimeoutIgnored after abandonGraceMs when the job ignores it', async () => {
    const { definition, finish, seen } = controlled()
    const { timeouts, calls, ignored } = recordingTimeouts(80)
    const execution = new JobExecution(jobRow({ timeoutSeconds: 0.03 }), definition, log, noFlush, timeouts)
    const startedAt = performance.now()
    execution.start()
    const call = await ignored
    assert.equal(seen.reason, 'timeout')
    assert.equal(execution.abortReason, 'timeout')
    assert.ok(
      seen.abortedAt! - startedAt >= 25,
      `the token fired after the timeout (${seen.abortedAt! - startedAt} ms)`,
    )
    // Timers may fire a millisecond early on some platforms.
    assert.ok(
      call.at - seen.abortedAt! >= 75,
      `abandoned after the grace (${call.at - seen.abortedAt!} ms after the token)`,
    )
    assert.equal(call.execution, execution)
    assert.equal(execution.isSettled, false, 'the run still goes on')
    finish(null)
    await execution.settled
    assert.equal(calls.length, 1)
  })

  it('does not call onTimeoutIgnored for a job that stops on its timeout', async () => {
    const definition = defineJob<Json, never, null>({
      name: 'honours-token',
      payloadSchema: { type: 'object' },
      async run({ signal }) {
        await new Promise((resolve) => signal.addEventListener('abort', resolve, { once: true }))
        throw new Error(`stopped: ${String(signal.reason)}`)
      },
    })
    const { timeouts, calls } = recordingTimeouts(30)
    const execution = new JobExecution(jobRow({ timeoutSeconds: 0.01 }), definition, log, noFlush, timeouts)
    execution.start()
    const settlement = await execution.settled
    assert.equal(settlement.kind, 'rejected')
    assert.equal(execution.abortReason, 'timeout')
    await sleep(90) // three graces: a pending abandonment would have fired
    assert.equal(calls.length, 0)
  })

  it('does not call onTimeoutIgnored for a job that ignores its token but ends within the grace', async () => {
    const { definition, finish, seen } = controlled()
    const { timeouts, calls } = recordingTimeouts(60)
    const execution = new JobExecution(jobRow({ timeoutSeconds: 0.01 }), definition, log, noFlush, timeouts)
    const fired = new Promise((resolve) => execution.signal.addEventListener('abort', resolve, { once: true }))
    execution.start()
    await fired
    assert.equal(seen.reason, 'timeout')
    finish({ late: true })
    assert.deepEqual(await execution.settled, { kind: 'resolved', result: { late: true } })
    await sleep(150)
    assert.equal(calls.length, 0)
  })

  it('never fires the token of a job that settles before its timeout', async () => {
    const { definition, finish } = controlled()
    const { timeouts, calls } = recordingTimeouts(10)
    const execution = new JobExecution(jobRow({ timeoutSeconds: 0.03 }), definition, log, noFlush, timeouts)
    execution.start()
    finish(null)
    await execution.settled
    await sleep(80)
    assert.equal(execution.abortReason, undefined)
    assert.equal(calls.length, 0)
  })

  it('has no crashError until the runner blames one on it, and its settlement does not depend on it', async () => {
    const { definition, finish } = controlled()
    const execution = new JobExecution(jobRow(), definition, log, noFlush)
    assert.equal(execution.crashError, undefined)
    execution.start()
    execution.crashError = new Error('boom')
    finish({ fine: true })
    assert.deepEqual(await execution.settled, { kind: 'resolved', result: { fine: true } })
    assert.equal(execution.crashError.message, 'boom')
  })
})

/** Holds its slot until `releaseHolders()`; it then resolves, as if nothing had happened. */
let releaseHolders = () => {}
let holdersReleased = new Promise<void>((resolve) => (releaseHolders = resolve))
/** Made inside this file, so its stack names this file: the holder's job file. */
let crashFromHolder: () => Error = () => new Error('not set')
const holder = defineJob<Json, never, { held: true }>({
  name: 'holder',
  payloadSchema: { type: 'object' },
  async run() {
    crashFromHolder = () => new Error('boom from a timer of the holder')
    await holdersReleased
    return { held: true }
  },
})

/** Saves a checkpoint, then ignores its token until `releaseHolders()`. */
const stubborn = defineJob<Json, { step: number }, { done: true }>({
  name: 'timeout-ignorer',
  payloadSchema: { type: 'object' },
  async run({ saveCheckpoint }) {
    saveCheckpoint({ step: 1 })
    await holdersReleased
    return { done: true }
  },
})

for (const target of databaseTargets()) {
  describe(`runs in a runner, on ${target.name}`, { timeout: 60_000 }, () => {
    let engine: Engine

    suiteEngine(target, (opened) => (engine = opened), { extraJobs: [holder, stubborn] })

    beforeEach(async () => {
      await engine.db
        .sql`truncate job_runner.job_runner_jobs, job_runner.job_runner_owner_jobs, job_runner.job_runner_instances restart identity`
      holdersReleased = new Promise<void>((resolve) => (releaseHolders = resolve))
    })

    afterEach(async () => {
      releaseHolders()
      await engine.stopRunners()
    })

    type Limits = { timeoutSeconds?: number; maxAttempts?: number }
    async function enqueue(type: string, payload: Json = {}, limits: Limits = {}): Promise<OwnedJob> {
      const jobs = [{ type, payload, maxAttempts: 2, ...limits }]
      const [enqueued] = await engine.jobs.enqueue({ owner: 'alice', jobs })
      return enqueued!.job
    }

    it('abandons a run that ignores its timeout: checkpoint written, attempt counted, slot freed', async () => {
      const runner = engine.newRunner({ concurrency: 1, timeoutAbandonGraceMs: 100, retryBaseMs: 60_000 })
      const job = await enqueue('timeout-ignorer', {}, { timeoutSeconds: 0.1, maxAttempts: 3 })
      const starts: string[] = []
      runner.events.on('job:start', (e) => starts.push(e.job.id))
      const started = runner.events.waitFor('job:start', (e) => e.job.id === job.id).then(() => performance.now())
      const abandoned = settled(runner, job.id)
      await runner.start()
      const outcome = await abandoned
      const tookMs = performance.now() - (await started)
      assert.equal(outcome.outcome, 'abandoned')
      // Its timeout (100 ms) and the grace (100 ms), plus the outcome's write on a busy machine.
      assert.ok(tookMs < 100 + 100 + 1500, `abandoned within its timeout and grace (${tookMs} ms after it started)`)
      assert.equal(runner.runningJobs, 0, 'its slot is free')
      const row = (await engine.store.getJob({ id: job.id, owner: 'alice' }))!
      assert.equal(row.state, 'queued')
      assert.equal(row.attempts, 1, 'the attempt counts')
      assert.deepEqual(row.checkpoint, { step: 1 })
      assert.match(row.error ?? '', /timed out after 0.1 s and ignored its token for 0.1 s: abandoned/)

      // Its retry is due while its code still runs here; other work must still get the free slot.
      await engine.db.sql`update job_runner.job_runner_jobs set run_at = now() where id = ${job.id}`
      // Listening before the enqueue: the runner may finish them before it returns.
      const echoOutcomes: JobOutcome[] = []
      const othersDone = new Promise<JobOutcome[]>((resolve) => {
        const off = runner.events.on('job:settled', ({ job: { type }, outcome }) => {
          if (type !== 'echo' || echoOutcomes.push(outcome) < 2) return
          off()
          resolve(echoOutcomes)
        })
      })
      const echoes = [
        { type: 'echo', payload: { n: 1 } },
        { type: 'echo', payload: { n: 2 } },
      ]
      const others = (await engine.jobs.enqueue({ owner: 'alice', jobs: echoes })).map((e) => e.job)
      // Without a claim for the free slot they waited behind the blocked job, which the local queue
      // handed back at its TTL (2 s) and claimed again, for as long as the abandoned code ran.
      const outcomes = await Promise.race([othersDone, sleep(3000, 'not within 3 s' as const)])
      if (outcomes === 'not within 3 s') assert.fail('the free slot runs other work while the abandoned code runs')
      assert.deepEqual(outcomes, ['succeeded', 'succeeded'])
      assert.deepEqual(
        starts,
        [job.id, ...others.map((o) => o.id)],
        'the abandoned job did not start again while its code runs',
      )

      // Its code returns: it may run again here now.
      const rerun = settled(runner, job.id)
      releaseHolders()
      assert.equal((await rerun).outcome, 'succeeded')
      assert.equal((await engine.store.getJob({ id: job.id, owner: 'alice' }))!.attempts, 2)
    })

    it('fails the attempt of the run whose job file is in the stack; the others are interrupted', async () => {
      // A retry far off, so that the failed attempt is seen queued.
      const runner = engine.newRunner({ concurrency: 2, retryBaseMs: 60_000 })
      const crasher = await enqueue('holder')
      const bystander = await enqueue('sleep', { ms: 60_000 })
      const starts = [crasher, bystander].map((job) => runner.events.waitFor('job:start', (e) => e.job.id === job.id))
      const bothStarted = Promise.all(starts)
      await runner.start()
      await bothStarted
      assert.deepEqual(runner.blameCrash(crashFromHolder()), [crasher.id])
      const crasherOutcome = settled(runner, crasher.id)
      releaseHolders()
      const outcome = await crasherOutcome
      assert.equal(outcome.outcome, 'retry', 'a failed attempt, though the run resolved')
      const afterCrash = (await engine.store.getJob({ id: crasher.id, owner: 'alice' }))!
      assert.equal(afterCrash.state, 'queued')
      assert.equal(afterCrash.attempts, 1, 'the crash counts')
      assert.equal(afterCrash.result, null)
      assert.equal(afterCrash.error, 'crashed the process: boom from a timer of the holder')

      const report = await runner.stop({ graceMs: 5000 })
      assert.deepEqual(report.interrupted, [bystander.id])
      const interrupted = (await engine.store.getJob({ id: bystander.id, owner: 'alice' }))!
      assert.equal(interrupted.state, 'queued')
      assert.equal(interrupted.attempts, 0, 'the bystander is refunded')
      assert.equal(interrupted.interruptions, 1)
    })

    it('blames every run when no job file is in the stack', async () => {
      const runner = engine.newRunner({ concurrency: 2 })
      const jobs = [await enqueue('holder'), await enqueue('holder')]
      const started = Promise.all(jobs.map((job) => runner.events.waitFor('job:start', (e) => e.job.id === job.id)))
      await runner.start()
      await started
      const foreign = new Error('from nowhere')
      foreign.stack = 'Error: from nowhere\n    at somewhere (node:internal/timers:1:1)'
      assert.deepEqual(runner.blameCrash(foreign).sort(), jobs.map((j) => j.id).sort())
      const outcomes = Promise.all(jobs.map((job) => settled(runner, job.id)))
      releaseHolders()
      assert.deepEqual(
        (await outcomes).map((o) => o.outcome),
        ['retry', 'retry'],
      )
    })
  })
}
