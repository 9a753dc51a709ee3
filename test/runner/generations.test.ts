/**
 * The runner across its restarts, against each database: each start is a new runner generation, and
 * what one generation leaves behind (a run it abandoned, a timer, a subscription, a local queue) must
 * not reach the next. Also the two ways a run is abandoned while the runner goes on: a blocked slot
 * whose waiting jobs are handed back (and not claimed again at once), and a job that ignores its
 * own timeout (its slot freed within a stated bound).
 */
import { describe, it, beforeEach, afterEach } from 'node:test'
import assert from 'node:assert/strict'
import { setTimeout as sleep } from 'node:timers/promises'
import { databaseTargets } from '../support/databases.js'
import { settled, type Engine } from '../support/engine.js'
import { defineJob } from '../../jobs/defineJob.js'
import type { OwnedJob } from '../../src/queue/job.js'
import type { EnqueueRequest } from '../../src/queue/jobService.js'
import type { Runner } from '../../src/runner/runner.js'
import { suiteEngine } from '../support/suiteEngine.js'

/** Live runs of `gated` jobs, by job id, and the most ever seen at once. */
const live = new Map<string, number>()
let liveNow = 0
let mostLiveAtOnce = 0
let mostLiveOfOneJob = 0
/** The last step of each `gated` job's run. */
const steps = new Map<string, number>()
/** `gated` jobs the test let go: their runs return at their next step. */
const letGo = new Set<string>()
/** Resolvers for "this job's runs have all returned". */
const ended = new Map<string, (() => void)[]>()

/** Resolves once no run of job `id` is live (at once if none is). */
function runsEnded(id: string): Promise<void> {
  if (!live.get(id)) return Promise.resolve()
  return new Promise((resolve) => ended.set(id, [...(ended.get(id) ?? []), resolve]))
}

/**
 * Ignores its token: it steps every 10 ms, saving its step as its checkpoint, until the test lets it
 * go. Records how many runs are live, per job and in all.
 */
const gated = defineJob<Record<string, never>, { step: number }, { step: number }>({
  name: 'gated',
  payloadSchema: { type: 'object' },
  async run({ jobId, checkpoint, saveCheckpoint }) {
    live.set(jobId, (live.get(jobId) ?? 0) + 1)
    liveNow += 1
    mostLiveAtOnce = Math.max(mostLiveAtOnce, liveNow)
    mostLiveOfOneJob = Math.max(mostLiveOfOneJob, live.get(jobId)!)
    try {
      let step = checkpoint?.step ?? 0
      while (!letGo.has(jobId)) {
        await sleep(10)
        step += 1
        saveCheckpoint({ step })
        steps.set(jobId, step)
      }
      return { step }
    } finally {
      liveNow -= 1
      const left = live.get(jobId)! - 1
      live.set(jobId, left)
      if (left === 0) for (const resolve of ended.get(jobId)?.splice(0) ?? []) resolve()
    }
  },
})

for (const target of databaseTargets()) {
  describe(`runner generations on ${target.name}`, { timeout: 90_000 }, () => {
    let engine: Engine

    suiteEngine(target, (opened) => (engine = opened), { extraJobs: [gated] })

    beforeEach(async () => {
      await engine.db
        .sql`truncate job_runner.job_runner_jobs, job_runner.job_runner_owner_jobs, job_runner.job_runner_instances restart identity`
      // Job ids start from 1 again in every test.
      letGo.clear()
      steps.clear()
      live.clear()
      ended.clear()
      liveNow = 0
      mostLiveAtOnce = 0
      mostLiveOfOneJob = 0
    })

    afterEach(async () => {
      // Let every gated run return, so that none outlives its test.
      for (const id of live.keys()) letGo.add(id)
      await Promise.all([...live.keys()].map(runsEnded))
      await engine.stopRunners()
    })

    async function enqueue(...requests: EnqueueRequest[]): Promise<OwnedJob[]> {
      const enqueued = await engine.jobs.enqueue({ owner: 'alice', jobs: requests })
      return enqueued.map((e) => e.job)
    }

    async function read(id: string): Promise<OwnedJob> {
      const job = await engine.store.getJob({ id, owner: undefined })
      assert.ok(job, `job ${id} exists`)
      return job
    }

    /** Error lines logged from now on. */
    function errorLogs(): () => unknown[] {
      const from = engine.logs.lines.length
      return () =>
        engine.logs
          .records()
          .slice(from)
          .filter((r) => (r.level as number) >= 50)
          .map((r) => r.msg)
    }

    /** The notifier's listeners the runners add (its EventEmitter is private: read through the index signature). */
    function subscriptions(): number {
      const local = engine.notifier['local']
      return local.listenerCount('jobsAvailable') + local.listenerCount('cancelRequested')
    }

    /**
     * Fills the local queue behind a blocked slot: fast `echo` jobs raise the start rate (so the
     * runner claims ahead), then a `gated` job takes the one slot while the `tail` jobs claimed with
     * it wait in the local queue. Resolves once the gated job has started and jobs wait behind it.
     */
    async function blockTheSlot(runner: Runner, { tail = 50 } = {}): Promise<{ blocker: OwnedJob; tail: OwnedJob[] }> {
      const echoes = Array.from({ length: 400 }, () => ({ type: 'echo', priority: 0 }))
      const tailJobs = Array.from({ length: tail }, () => ({ type: 'echo', priority: 2 }))
      const jobs = await enqueue(...echoes, { type: 'gated', priority: 1 }, ...tailJobs)
      const blocker = jobs[echoes.length]!
      const started = runner.events.waitFor('job:start', (event) => event.job.id === blocker.id)
      await runner.start()
      await started
      // The tail may come with the claim after the one that took the blocker.
      if (runner.waitingJobs === 0) {
        await runner.events.waitFor('jobs:claimed', (event) => event.waiting > 0, { signal: AbortSignal.timeout(5000) })
      }
      return { blocker, tail: jobs.slice(echoes.length + 1) }
    }

    /**
     * The first hand-back of one of `jobs` (a release announces each job's change; the row confirms
     * it, since PostgreSQL echoes earlier notices too), or the first runner error.
     */
    function nextRelease(runner: Runner, jobs: readonly OwnedJob[]): Promise<{ at: number } | { error: string }> {
      const ids = new Set(jobs.map((j) => j.id))
      return new Promise((resolve) => {
        // A safety net only: the TTL is 2 s.
        const timer = setTimeout(() => done({ error: 'no release within 10 s' }), 10_000)
        const done = (value: { at: number } | { error: string }) => {
          clearTimeout(timer)
          offRelease()
          offError()
          resolve(value)
        }
        const confirm = async (id: string, at: number) => {
          const job = await engine.store.getJob({ id, owner: undefined })
          if (job?.state === 'queued') done({ at })
        }
        const offRelease = engine.notifier.subscribe('jobChanged', (id) => {
          if (ids.has(id)) void confirm(id, Date.now())
        })
        const offError = runner.events.on('runner:error', ({ error, during }) => {
          done({ error: `${during}: ${error.message}` })
        })
      })
    }

    it('never runs a job twice at once when it restarts after abandoning it at a drain deadline', async () => {
      const runner = engine.newRunner({ concurrency: 1 })
      const starts: number[] = []
      const [job] = await enqueue({ type: 'gated' })
      runner.events.on('job:start', (event) => event.job.id === job!.id && starts.push(Date.now()))
      const started = runner.events.waitFor('job:start', (event) => event.job.id === job!.id)
      await runner.start()
      await started

      const report = await runner.stop({ graceMs: 3000 })
      assert.deepEqual(report.abandoned, [job!.id], JSON.stringify(report))
      assert.equal(live.get(job!.id), 1, 'the abandoned run goes on')

      await runner.start()
      // A bounded window of several claim polls in which a second run could start.
      const second = runner.events
        .waitFor('job:start', (event) => event.job.id === job!.id, { signal: AbortSignal.timeout(1500) })
        .catch(() => undefined)
      assert.equal(await second, undefined, 'not started again while its abandoned run lives')
      assert.equal(runner.runningJobs, 1, 'the abandoned run still holds the one slot')
      assert.equal(starts.length, 1)
      const requeued = await read(job!.id)
      const { state, attempts, interruptions } = requeued
      assert.deepEqual([state, attempts, interruptions], ['queued', 1, 1], 'the abandoned attempt counts')

      const done = settled(runner, job!.id)
      const restarted = runner.events.waitFor('job:start', (event) => event.job.id === job!.id)
      letGo.add(job!.id)
      await runsEnded(job!.id)
      const endedAt = Date.now()
      await restarted
      assert.ok(starts[1]! >= endedAt, 'the second run starts after the first returned')
      assert.equal((await done).outcome, 'succeeded')
      assert.equal(mostLiveOfOneJob, 1, 'never two live runs of one job')
      assert.equal(mostLiveAtOnce, 1, 'never more live runs than CONCURRENCY=1')
      const finished = await read(job!.id)
      assert.deepEqual([finished.state, finished.attempts, finished.interruptions], ['succeeded', 2, 1])
    })

    it('starts and stops five times: no error, no leaked subscription, jobs run once, releases work', async () => {
      const errors = errorLogs()
      const runnerErrors: string[] = []
      const baseline = subscriptions()
      // One slot: the blocked slot at the end leaves no other for the waiting jobs.
      const runner = engine.newRunner({ concurrency: 1 })
      runner.events.on('runner:error', ({ during, error }) => runnerErrors.push(`${during}: ${error.message}`))
      const starts = new Map<string, number>()
      runner.events.on('job:start', ({ job }) => starts.set(job.id, (starts.get(job.id) ?? 0) + 1))
      for (let cycle = 1; cycle <= 5; cycle++) {
        const jobs = await enqueue(...Array.from({ length: 20 }, () => ({ type: 'echo' })))
        const done = Promise.all(jobs.map((job) => settled(runner, job.id)))
        await runner.start()
        assert.equal(subscriptions(), baseline + 2, `cycle ${cycle}: one subscription per channel`)
        assert.deepEqual(new Set((await done).map((e) => e.outcome)), new Set(['succeeded']))
        const report = await runner.stop({ graceMs: 2000 })
        assert.deepEqual(report, { released: [], interrupted: [], abandoned: [], unwritten: [] }, `cycle ${cycle}`)
        assert.equal(subscriptions(), baseline, `cycle ${cycle}: the stop unsubscribed`)
      }
      assert.equal(starts.size, 100)
      assert.deepEqual(new Set(starts.values()), new Set([1]), 'each job started once')

      // After the restarts, a local queue behind a blocked slot is handed back at its TTL, fine.
      const { blocker, tail } = await blockTheSlot(runner)
      const released = nextRelease(runner, tail)
      assert.ok(runner.waitingJobs > 0, 'jobs wait in the local queue behind the blocked slot')
      const release = await released
      assert.ok('at' in release, `the TTL release works after a restart (${'error' in release ? release.error : ''})`)
      const rows = await engine.db.sql<{ n: number }[]>`
        select count(*)::int as n from job_runner.job_runner_jobs where state = 'queued' and lease_owner is null
          and id = any(array(select jsonb_array_elements_text(${engine.db.sql.json(tail.map((j) => j.id))})::bigint))`
      assert.ok(rows[0]!.n > 0, 'released tail jobs are back in the queue')
      // The stop hands back what still waits, and unsubscribes the sixth generation too.
      letGo.add(blocker.id)
      await runner.stop({ graceMs: 2000 })
      assert.equal(subscriptions(), baseline)
      assert.deepEqual(runnerErrors, [])
      assert.deepEqual(errors(), [], 'no error logged')
    })

    it('does not claim again what a blocked slot handed back at the local queue TTL', async () => {
      const runner = engine.newRunner({ concurrency: 1 })
      const claims: { at: number; ids: string[] }[] = []
      runner.events.on('jobs:claimed', ({ jobs }) => claims.push({ at: Date.now(), ids: jobs.map((j) => j.id) }))
      const { blocker, tail } = await blockTheSlot(runner)
      const released = nextRelease(runner, tail)
      const blockedAt = Date.now()
      assert.ok(runner.waitingJobs > 0, 'jobs wait in the local queue behind the blocked slot')
      const release = await released
      assert.ok('at' in release, 'error' in release ? release.error : '')
      // The observation window: the TTL (2 s) passes twice over after the release.
      const windowEnd = blockedAt + 5000
      await sleep(Math.max(0, windowEnd - Date.now()))
      const tailIds = new Set(tail.map((j) => j.id))
      const reclaimed = claims.filter((c) => c.at >= release.at).flatMap((c) => c.ids.filter((id) => tailIds.has(id)))
      assert.deepEqual(reclaimed, [], 'nothing claimed again while the slot stays blocked')
      assert.equal(runner.runningJobs, 1)
      assert.deepEqual(runner.runningJobIds, [blocker.id])
      // A slot that frees asks again: the tail runs.
      const tailDone = Promise.all(tail.map((job) => settled(runner, job.id)))
      letGo.add(blocker.id)
      assert.deepEqual(new Set((await tailDone).map((e) => e.outcome)), new Set(['succeeded']))
    })

    it('abandons a job ignoring its timeout within timeout + grace: checkpoint, attempt, slot freed', async () => {
      const graceMs = 200
      const timeoutSeconds = 0.3
      // No periodic flush: a checkpoint in the row is the one the abandonment wrote.
      const runner = engine.newRunner({ concurrency: 1, timeoutAbandonGraceMs: graceMs, checkpointIntervalMs: 60_000 })
      const [stubborn] = await enqueue({ type: 'gated', timeoutSeconds, maxAttempts: 1 })
      const started = runner.events.waitFor('job:start', (event) => event.job.id === stubborn!.id)
      const abandoned = settled(runner, stubborn!.id)
      await runner.start()
      const startedAt = performance.now()
      await started
      const event = await abandoned
      const elapsedMs = Math.round(performance.now() - startedAt)
      const stepAtAbandonment = steps.get(stubborn!.id) ?? 0
      assert.equal(event.outcome, 'failed', 'abandoned on its last attempt: failed, as every job that ends failed')
      const boundMs = timeoutSeconds * 1000 + graceMs
      const inBound = elapsedMs >= boundMs - 20 && elapsedMs <= boundMs + 400
      assert.ok(inBound, `abandoned ${elapsedMs} ms after its start (bound ${boundMs} ms)`)
      assert.equal(live.get(stubborn!.id), 1, 'its code still runs')

      const failed = await read(stubborn!.id)
      assert.equal(failed.state, 'failed')
      assert.equal(failed.attempts, 1, 'the attempt counts')
      assert.match(failed.error ?? '', /ignored its token/)
      const step = (failed.checkpoint as { step: number } | null)?.step ?? 0
      const held = `the checkpoint it held when abandoned is written (step ${step} of ${stepAtAbandonment})`
      assert.ok(step >= 1 && step <= stepAtAbandonment, held)

      // The one slot is free while the abandoned run still executes.
      const [next] = await enqueue({ type: 'echo' })
      const nextDone = settled(runner, next!.id)
      assert.equal((await nextDone).outcome, 'succeeded')
      assert.equal(live.get(stubborn!.id), 1, 'the next job ran beside the abandoned run')
      assert.equal(runner.runningJobs, 0, 'the abandoned run holds no slot')
      // Its late result changes nothing.
      letGo.add(stubborn!.id)
      await runsEnded(stubborn!.id)
      const late = await read(stubborn!.id)
      assert.deepEqual([late.state, late.attempts, late.result], ['failed', 1, null])
    })
  })
}
