/**
 * The lifecycle's command queue: drains and resumes run one at a time and in order, and a shutdown
 * wins over all of them. Most cases drive a `ControlledRunner` whose start and stop the test settles
 * by hand (no database is involved, so the exact interleavings can be set up); the last ones run the
 * real service and its real runner, started and stopped through the same calls an orchestrator and
 * a SIGTERM make.
 */
import { afterEach, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { Lifecycle, type ControlledRunner, type LifecycleState } from '../src/lifecycle.js'
import type { StopReport } from '../src/runner/runner.js'
import { captureLogs } from './support/logs.js'
import { databaseTargets, onceSkip } from './support/databases.js'
import { startTestService, type TestService } from './support/service.js'

const EMPTY_REPORT: StopReport = { released: [], interrupted: [], abandoned: [], unwritten: [] }

interface Deferred<T> {
  promise: Promise<T>
  resolve: (value: T) => void
}

function deferred<T>(): Deferred<T> {
  let resolve!: (value: T) => void
  const promise = new Promise<T>((r) => (resolve = r))
  return { promise, resolve }
}

/**
 * A runner whose every start and stop waits for the test: `starts`/`stops` hold one deferred per
 * call, in order. `calls` records the order of the calls themselves.
 */
class ManualRunner implements ControlledRunner {
  readonly starts: Deferred<void>[] = []
  readonly stops: Deferred<StopReport>[] = []
  readonly calls: string[] = []
  /** Settle every call at once instead of waiting for the test. */
  autoSettle = false
  runningJobs = 0

  start(): Promise<void> {
    this.calls.push('start')
    const call = deferred<void>()
    this.starts.push(call)
    if (this.autoSettle) call.resolve()
    return call.promise
  }

  stop(): Promise<StopReport> {
    this.calls.push('stop')
    const call = deferred<StopReport>()
    this.stops.push(call)
    if (this.autoSettle) call.resolve(EMPTY_REPORT)
    return call.promise
  }
}

/** A lifecycle on `runner`, with every state it enters recorded and `mayClaim()` sampled at each. */
function lifecycleOn(runner: ControlledRunner) {
  const exits: number[] = []
  const log = captureLogs('silent').log
  const lifecycle = new Lifecycle({ runner, log, shutdownGraceMs: 5000, exit: (code) => exits.push(code) })
  const states: LifecycleState[] = []
  const claimableIn: LifecycleState[] = []
  lifecycle.events.on('lifecycle:state', ({ state }) => {
    states.push(state)
    if (lifecycle.mayClaim()) claimableIn.push(state)
  })
  return { lifecycle, states, claimableIn, exits }
}

/** Lets every pending promise callback run (a command's next step, a resolved stop). */
const settle = () => new Promise((resolve) => setImmediate(resolve))

/** True when `promise` has settled by the time the pending callbacks have run. */
async function isSettled(promise: Promise<unknown>): Promise<boolean> {
  let settled = false
  void promise.then(
    () => (settled = true),
    () => (settled = true),
  )
  await settle()
  return settled
}

async function drained(runner: ManualRunner, lifecycle: Lifecycle): Promise<void> {
  const drain = lifecycle.drain()
  runner.stops.at(-1)!.resolve(EMPTY_REPORT)
  await drain
  assert.equal(lifecycle.state, 'drained')
}

describe('lifecycle', () => {
  it('starts the runner once for concurrent resumes', async () => {
    const runner = new ManualRunner()
    const { lifecycle } = lifecycleOn(runner)
    await drained(runner, lifecycle)
    const resumes = [lifecycle.resume(), lifecycle.resume(), lifecycle.resume()]
    await settle()
    assert.equal(runner.starts.length, 1, 'one start while it is under way')
    runner.starts[0]!.resolve()
    assert.deepEqual(await Promise.all(resumes), ['running', 'running', 'running'])
    assert.deepEqual(runner.calls, ['stop', 'start'])
  })

  it('lets what a resume starts claim while it starts, and nothing once a shutdown is asked', async () => {
    const runner = new ManualRunner()
    const { lifecycle } = lifecycleOn(runner)
    await drained(runner, lifecycle)
    assert.equal(lifecycle.mayClaim(), false)
    const resume = lifecycle.resume()
    await settle()
    // The runner's claim loop, the scheduler and the workers ask as they start, before `running`.
    assert.equal(lifecycle.mayClaim(), true, 'a resume is starting the runner')
    assert.equal(lifecycle.state, 'drained')
    runner.starts[0]!.resolve()
    assert.equal(await resume, 'running')
    assert.equal(lifecycle.mayClaim(), true)
    await drained(runner, lifecycle)
    const again = lifecycle.resume()
    await settle()
    const shutdown = lifecycle.shutdown('SIGTERM')
    assert.equal(lifecycle.mayClaim(), false, 'no claim once the shutdown is asked, the start still under way')
    runner.starts[1]!.resolve()
    await again
    runner.stops.at(-1)!.resolve(EMPTY_REPORT)
    await shutdown
  })

  it('ends a shutdown during a resume in exited, never running again, claiming nothing from then on', async () => {
    const runner = new ManualRunner()
    const { lifecycle, states, claimableIn, exits } = lifecycleOn(runner)
    await drained(runner, lifecycle)
    const resume = lifecycle.resume()
    await settle()
    assert.equal(runner.starts.length, 1, 'the resume is starting the runner')
    const shutdown = lifecycle.shutdown('SIGTERM')
    assert.equal(lifecycle.mayClaim(), false, 'no claim from the moment the shutdown is asked')
    assert.equal(lifecycle.mayAccept(), false)
    assert.equal(lifecycle.isShuttingDown(), true)
    // The shutdown stops whatever the resume is starting; the start then completes.
    await settle()
    assert.deepEqual(runner.calls, ['stop', 'start', 'stop'])
    runner.starts[0]!.resolve()
    assert.notEqual(await resume, 'running')
    assert.equal(lifecycle.mayClaim(), false)
    runner.stops[1]!.resolve(EMPTY_REPORT)
    await shutdown
    assert.equal(lifecycle.state, 'exited')
    assert.deepEqual(states, ['draining', 'drained', 'stopping', 'exited'])
    assert.deepEqual(claimableIn, [], 'claiming was never allowed in any of these states')
    assert.deepEqual(exits, [0])
    // Nothing brings it back.
    assert.equal(await lifecycle.resume(), 'exited')
    assert.equal(runner.starts.length, 1)
  })

  it('ends a shutdown that arrives in the same tick as a resume in exited, never running again', async () => {
    const runner = new ManualRunner()
    runner.autoSettle = true
    const { lifecycle, states, claimableIn } = lifecycleOn(runner)
    await lifecycle.drain()
    const resume = lifecycle.resume()
    const shutdown = lifecycle.shutdown('SIGTERM')
    assert.equal(lifecycle.mayClaim(), false)
    await Promise.all([resume, shutdown])
    assert.deepEqual(states, ['draining', 'drained', 'stopping', 'exited'])
    assert.deepEqual(claimableIn, [])
    assert.equal(runner.calls.at(-1), 'stop', 'the last word to the runner is a stop')
  })

  it('returns the same promise for a drain asked during a drain, and for one asked once drained', async () => {
    const runner = new ManualRunner()
    const { lifecycle, states } = lifecycleOn(runner)
    const first = lifecycle.drain()
    assert.equal(lifecycle.state, 'draining', 'an idle queue runs the drain at once')
    assert.equal(lifecycle.drain(), first)
    await settle()
    assert.equal(runner.stops.length, 1, 'one stop of the runner')
    const report = { ...EMPTY_REPORT, interrupted: ['7'] }
    runner.stops[0]!.resolve(report)
    assert.equal(await first, report)
    assert.equal(lifecycle.drain(), first, 'drained: the drain in effect answers')
    assert.equal(runner.stops.length, 1)
    assert.deepEqual(states, ['draining', 'drained'])
  })

  it('answers the commands queued behind a drain at once when a shutdown overtakes them, running none', async () => {
    const runner = new ManualRunner()
    const { lifecycle, states } = lifecycleOn(runner)
    const drain = lifecycle.drain()
    const resume = lifecycle.resume()
    await settle()
    assert.equal(await isSettled(resume), false, 'the resume waits for the drain before it')
    const shutdown = lifecycle.shutdown('SIGTERM')
    assert.equal(await isSettled(resume), true, 'the shutdown answered the queued resume while the drain still runs')
    assert.equal(await resume, 'stopping')
    assert.equal(await isSettled(drain), false, 'the drain in progress is not answered before its stop ends')
    // The drain's stop and the shutdown's stop are the same stop of the same runner.
    for (const stop of runner.stops) stop.resolve(EMPTY_REPORT)
    await Promise.all([drain, shutdown])
    assert.equal(runner.starts.length, 0, 'the queued resume never started the runner')
    assert.deepEqual(states, ['draining', 'stopping', 'exited'])
    assert.deepEqual(await lifecycle.drain(), EMPTY_REPORT, 'a drain after the shutdown changes nothing')
  })

  it('runs drain, resume and drain asked together in order, ending drained', async () => {
    const runner = new ManualRunner()
    runner.autoSettle = true
    const { lifecycle, states } = lifecycleOn(runner)
    const commands = [lifecycle.drain(), lifecycle.resume(), lifecycle.drain()]
    await Promise.all(commands)
    assert.equal(lifecycle.state, 'drained', 'the last command asked wins')
    assert.deepEqual(states, ['draining', 'drained', 'running', 'draining', 'drained'])
    assert.deepEqual(runner.calls, ['stop', 'start', 'stop'])
  })
})

for (const target of databaseTargets()) {
  const skip = onceSkip(target, 'the lifecycle machine, not SQL')
  describe(`lifecycle with the real runner (${target.name})`, { timeout: 60_000, skip }, () => {
    // Each test has its own database and service, closed after it whatever its outcome.
    const cleanups: (() => Promise<void>)[] = []
    afterEach(async () => {
      for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
    })

    async function startService(): Promise<TestService> {
      const database = await target.create()
      cleanups.push(() => database.cleanup())
      const service = await startTestService(database)
      cleanups.push(() => service.close())
      return service
    }

    it('starts one runner generation for two concurrent POST /v1/admin/resume', async () => {
      const service = await startService()
      let starts = 0
      const start = service.runner.start.bind(service.runner)
      service.runner.start = () => {
        starts += 1
        return start()
      }
      const drainedNow = service.lifecycle.events.waitFor('lifecycle:state', ({ state }) => state === 'drained')
      assert.equal((await service.request('/v1/admin/drain', { method: 'POST' })).status, 202)
      await drainedNow
      const answers = await Promise.all([1, 2].map(() => service.request('/v1/admin/resume', { method: 'POST' })))
      assert.deepEqual(await Promise.all(answers.map((r) => r.json())), [{ state: 'running' }, { state: 'running' }])
      assert.equal(starts, 1, 'Runner.start reached once')
      const instances = await service.db.sql<
        { n: number }[]
      >`select count(*)::int as n from job_runner.job_runner_instances`
      assert.equal(instances[0]!.n, 1, 'one registered runner generation')
      // And it runs jobs once each.
      const ran: string[] = []
      service.runner.events.on('job:start', ({ job }) => ran.push(job.id))
      const body = JSON.stringify({ type: 'echo', payload: {} })
      // Registered before the enqueue: the job may settle before its 202 is read.
      const settled = service.runner.events.waitFor('job:settled')
      const response = await service.request('/v1/jobs', { method: 'POST', body })
      const { id } = (await response.json()) as { id: string }
      assert.equal((await settled).job.id, id)
      assert.deepEqual(ran, [id])
      await service.close()
    })

    for (const timing of ['in the same tick', 'while the runner starts'] as const) {
      it(`exits after a SIGTERM-like shutdown ${timing} as a resume: no claim after it, no runner left`, async () => {
        const service = await startService()
        const states: LifecycleState[] = []
        service.lifecycle.events.on('lifecycle:state', ({ state }) => states.push(state))
        await service.lifecycle.drain()
        const errors: string[] = []
        service.runner.events.on('runner:error', ({ during }) => errors.push(during))
        let claimsAfterShutdown = 0
        let shutdownAsked = false
        service.runner.events.on('jobs:claimed', () => void (shutdownAsked && (claimsAfterShutdown += 1)))
        // A job waits, so that a runner left claiming would take it.
        const body = JSON.stringify({ type: 'echo', payload: {} })
        const response = await service.request('/v1/jobs', { method: 'POST', body })
        assert.equal(response.status, 503, 'drained: job routes refuse')
        await service.jobs.enqueue({ owner: 'alice', jobs: [{ type: 'echo', payload: {} }] })

        const resume = service.lifecycle.resume()
        if (timing === 'while the runner starts') await new Promise((resolve) => setImmediate(resolve))
        shutdownAsked = true
        const shutdown = service.lifecycle.shutdown('SIGTERM')
        assert.equal(service.lifecycle.mayClaim(), false)
        await Promise.all([resume, shutdown])
        assert.equal(await service.exited, 0)
        assert.deepEqual(states, ['draining', 'drained', 'stopping', 'exited'])
        assert.equal(claimsAfterShutdown, 0)
        // A generation started by the resume and left running would go on polling a closed database.
        assert.equal(service.runner['generation']?.isActive ?? false, false, 'no runner generation left active')
        assert.deepEqual(errors, [], 'no runner error')
        assert.deepEqual(
          service.logs
            .records()
            .filter((r) => (r.level as number) >= 50)
            .map((r) => r.msg),
          [],
          'no error logged',
        )
      })
    }
  })
}
