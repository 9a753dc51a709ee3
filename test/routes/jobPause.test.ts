/**
 * Pausing one job, cancels you can watch, and time slicing (issue 23), through the API on each
 * database, one service per database for the whole file (`CONCURRENCY: 1`, so that "the slot was
 * freed" and "the short job got a turn" are things a test can see):
 *
 * - a running `count` job paused over HTTP stops on its token (reason `paused`), its checkpoint
 *   written, becomes `paused` with no attempt used, and once resumed finishes from that checkpoint;
 *   pausing a finished job is 409 naming its state;
 * - a job that ignores its cancel is abandoned as `cancelled` at `CANCEL_GRACE_SECONDS` (short here):
 *   `cancelRequestedAt` and `cancelAcknowledgedAt` shown, a warning naming it, its slot given to the
 *   next job while its code still runs;
 * - `replace: true` with an Idempotency-Key cancels the key's running job and enqueues the new one;
 *   without a key it is 422 naming `replace`;
 * - a type with `maxSliceSeconds` yields its slot: a waiting job runs between its slices, and every
 *   step of the count runs exactly once across the slices (no work lost or repeated).
 *
 * On PostgreSQL, two services on one database: a job running on one is paused through the other
 * (the pause reaches it by NOTIFY), and resumed through the other, which runs it from its checkpoint.
 */
import assert from 'node:assert/strict'
import { setTimeout as sleep } from 'node:timers/promises'
import { after, before, describe, it } from 'node:test'
import count from '../../jobs/count.js'
import { defineJob } from '../../jobs/defineJob.js'
import echo from '../../jobs/echo.js'
import { JobRegistry } from '../../jobs/registry.js'
import { databaseTargets, postgresOnly, skipWithoutPostgres, type TestDatabase } from '../support/databases.js'
import { followEvents } from '../support/events.js'
import { enqueue, expectJson, expectProblem, pollUntil, type ApiJob } from '../support/http.js'
import { parseMetrics, valueOf } from '../support/prometheus.js'
import { startTestService, type TestService } from '../support/service.js'

/** The steps each `sliced` job ran, by job id: each must appear once. */
const steps = new Map<string, number[]>()
const sliced = defineJob<{ to: number; stepMs: number }, { cursor: number; runs: number }>({
  name: 'sliced',
  payloadSchema: count.payloadSchema,
  maxSliceSeconds: 0.3,
  async run({ jobId, payload, signal, checkpoint, saveCheckpoint }) {
    const runs = (checkpoint?.runs ?? 0) + 1
    let cursor = checkpoint?.cursor ?? 0
    saveCheckpoint({ cursor, runs })
    while (cursor < payload.to) {
      signal.throwIfAborted()
      await sleep(payload.stepMs, undefined, { signal })
      cursor += 1
      steps.set(jobId, [...(steps.get(jobId) ?? []), cursor])
      saveCheckpoint({ cursor, runs })
    }
    return { counted: cursor, runs }
  },
})

/** Ignores its token; says when its code finally returned. */
const deafEnded = new Map<string, () => void>()
const deaf = defineJob<{ steps: number }>({
  name: 'deaf',
  payloadSchema: { type: 'object', properties: { steps: { type: 'integer' } }, required: ['steps'] },
  async run({ jobId, payload }) {
    for (let i = 0; i < payload.steps; i++) await sleep(25)
    deafEnded.get(jobId)?.()
    return null
  },
})

const registry = () => new JobRegistry([count, echo, sliced, deaf])

const post = (service: TestService, path: string, body?: unknown, headers: Record<string, string> = {}) =>
  service.request(path, { method: 'POST', headers, ...(body === undefined ? {} : { body: JSON.stringify(body) }) })

for (const target of databaseTargets()) {
  describe(`one job paused, watched cancels, time slices (${target.name})`, { timeout: 60_000 }, () => {
    let database: TestDatabase
    let service: TestService

    before(async () => {
      database = await target.create()
      service = await startTestService(
        database,
        { CONCURRENCY: '1', LOCAL_QUEUE_SIZE: '0', CANCEL_GRACE_SECONDS: '0.4' },
        { registry: registry() },
      )
    })
    after(async () => {
      await service?.close()
      await database?.cleanup()
    })

    const checkpointed = (id: string) => (job: ApiJob) =>
      job.id === id && job.state === 'running' && ((job.checkpoint as { cursor?: number } | null)?.cursor ?? 0) > 2

    it('pauses a running job at its checkpoint without using an attempt, and resumes it from there', async () => {
      const job = await enqueue(service, { type: 'count', payload: { to: 30, stepMs: 20 } })
      await pollUntil(service, job.id, checkpointed(job.id))
      const requested = await expectJson(await post(service, `/v1/jobs/${job.id}/pause`), 202)
      assert.equal(requested.pauseRequested, true)
      const paused = await pollUntil(service, job.id, (j) => j.state === 'paused')
      const { cursor } = paused.checkpoint as { cursor: number }
      assert.ok(cursor > 0 && cursor < 30, `paused mid-way, at ${cursor}`)
      assert.deepEqual([paused.attempts, paused.interruptions, paused.pauseRequested], [0, 0, false])
      assert.equal((await expectJson(await post(service, `/v1/jobs/${job.id}/pause`), 200)).state, 'paused')
      const resumed = await expectJson(await post(service, `/v1/jobs/${job.id}/resume`), 200)
      assert.equal(resumed.state, 'queued')
      const done = await pollUntil(service, job.id, (j) => j.state === 'succeeded')
      assert.deepEqual(done.result, { counted: 30, resumedFrom: cursor, runs: 2 })
      assert.equal(done.attempts, 1, 'the paused run gave its attempt back')
      const problem = await expectProblem(await post(service, `/v1/jobs/${job.id}/pause`), 409, 'job-finished')
      assert.match(problem.detail ?? '', /is succeeded/)
    })

    it('pauses a queued job at once; a paused job is cancelled at once, with both times shown', async () => {
      const job = await enqueue(service, { type: 'echo', queue: 'nobody' })
      assert.equal((await expectJson(await post(service, `/v1/jobs/${job.id}/pause`), 200)).state, 'paused')
      const cancelled = await expectJson(await post(service, `/v1/jobs/${job.id}/cancel`), 200)
      assert.equal(cancelled.state, 'cancelled')
      assert.equal(typeof cancelled.cancelRequestedAt, 'string')
      assert.equal(cancelled.cancelAcknowledgedAt, cancelled.cancelRequestedAt)
    })

    it('abandons a run that ignores its cancel at CANCEL_GRACE_SECONDS: cancelled, its slot freed, a warning', async () => {
      const job = await enqueue(service, { type: 'deaf', payload: { steps: 80 } })
      const codeEnded = new Promise<void>((resolve) => deafEnded.set(job.id, resolve))
      let ended = false
      void codeEnded.then(() => (ended = true))
      await pollUntil(service, job.id, (j) => j.state === 'running')
      // The event stream shows the request while the run still goes on, then the acknowledgement.
      const follower = followEvents(`${service.url}/v1/jobs/${job.id}/events`, () => service.token())
      await follower.waitFor((e) => e.type === 'state')
      const requested = await expectJson(await post(service, `/v1/jobs/${job.id}/cancel`), 202)
      assert.equal(typeof requested.cancelRequestedAt, 'string')
      assert.equal(requested.cancelAcknowledgedAt, null, 'its run has not stopped yet')
      const asked = await follower.waitFor((e) => e.type === 'state' && (e.data as ApiJob).cancelRequestedAt !== null)
      assert.equal((asked.data as ApiJob).state, 'running')
      const acknowledged = await follower.waitFor((e) => e.type === 'state' && (e.data as ApiJob).state === 'cancelled')
      assert.equal(typeof (acknowledged.data as ApiJob).cancelAcknowledgedAt, 'string')
      follower.close()
      const cancelled = await pollUntil(service, job.id, (j) => j.state === 'cancelled')
      const waitedMs =
        Date.parse(cancelled.cancelAcknowledgedAt as string) - Date.parse(requested.cancelRequestedAt as string)
      assert.ok(waitedMs >= 300, `acknowledged at the grace, not before (${waitedMs} ms)`)
      assert.ok(
        service.logs
          .records()
          .some((r) => r.level === 40 && r.jobId === job.id && /ignored its cancel/.test(String(r.msg))),
        'a warning names the job',
      )
      // CONCURRENCY is 1: the next job runs while the abandoned code still does.
      const next = await enqueue(service, { type: 'echo', payload: 'next' })
      await pollUntil(service, next.id, (j) => j.state === 'succeeded')
      assert.equal(ended, false, 'the abandoned code was still running')
      await codeEnded
      assert.equal((await expectJson(await service.request(`/v1/jobs/${job.id}`), 200)).state, 'cancelled')
    })

    it("replace: true cancels the key's running job (token reason cancelled) and enqueues the new one", async () => {
      const key = { 'idempotency-key': 'nightly-import' }
      const first = await expectJson(
        await post(service, '/v1/jobs', { type: 'count', payload: { to: 500, stepMs: 20 } }, key),
        202,
      )
      await pollUntil(service, first.id, (j) => j.state === 'running')
      const second = await expectJson(
        await post(service, '/v1/jobs', { type: 'count', payload: { to: 3, stepMs: 1 }, replace: true }, key),
        202,
      )
      assert.notEqual(second.id, first.id)
      const old = await pollUntil(service, first.id, (j) => j.state === 'cancelled')
      assert.equal(typeof old.cancelAcknowledgedAt, 'string')
      assert.ok(Date.parse(old.cancelAcknowledgedAt as string) >= Date.parse(old.cancelRequestedAt as string))
      await pollUntil(service, second.id, (j) => j.state === 'succeeded')
      // The key names the new job now: the same request without `replace` replays it.
      const replay = await post(service, '/v1/jobs', { type: 'count', payload: { to: 3, stepMs: 1 } }, key)
      assert.equal((await expectJson(replay, 200)).id, second.id)
      const refused = await expectProblem(await post(service, '/v1/jobs', { type: 'echo', replace: true }), 422)
      assert.deepEqual(
        refused.errors?.map((e) => e.pointer),
        ['/replace'],
      )
    })

    it('slices a long job: a waiting job runs between its slices, and every step runs exactly once', async () => {
      const { jobTypes } = await expectJson<{ jobTypes: { name: string; maxSliceSeconds?: number }[] }>(
        await service.request('/v1/job-types'),
        200,
      )
      assert.equal(jobTypes.find((t) => t.name === 'sliced')?.maxSliceSeconds, 0.3)
      assert.equal(jobTypes.find((t) => t.name === 'count')?.maxSliceSeconds, undefined)
      steps.clear() // job ids start again in each database
      const long = await enqueue(service, { type: 'sliced', payload: { to: 40, stepMs: 25 } })
      await pollUntil(service, long.id, (j) => j.state === 'running')
      const short = await enqueue(service, { type: 'echo', payload: 'short' })
      const shortDone = await pollUntil(service, short.id, (j) => j.state === 'succeeded')
      const done = await pollUntil(service, long.id, (j) => j.state === 'succeeded')
      assert.ok(
        Date.parse(shortDone.finishedAt as string) < Date.parse(done.finishedAt as string),
        'the short job cut in',
      )
      const { counted, runs } = done.result as { counted: number; runs: number }
      assert.equal(counted, 40)
      assert.ok(runs >= 2, `it ran in slices (${runs})`)
      assert.deepEqual(
        steps.get(long.id),
        Array.from({ length: 40 }, (_, i) => i + 1),
        'no step lost, none repeated',
      )
      assert.deepEqual([done.attempts, done.interruptions], [1, 0], 'yields use no attempt and are no interruption')
      const metrics = parseMetrics(await (await service.request('/metrics', { scopes: ['admin'] })).text())
      const sliced = { type: 'sliced', queue: 'default' }
      assert.equal(
        valueOf(metrics, 'job_runner_jobs_yielded_total', sliced),
        runs - 1,
        'every slice but the last yielded',
      )
      assert.equal(valueOf(metrics, 'job_runner_jobs_succeeded_total', sliced), 1)
    })
  })
}

describe(
  'a job paused and resumed across instances (postgres)',
  { timeout: 60_000, skip: skipWithoutPostgres() },
  () => {
    let database: TestDatabase
    const services: TestService[] = []

    before(async () => {
      database = await postgresOnly()!.create()
    })
    after(async () => {
      await Promise.all(services.map((s) => s.close()))
      await database?.cleanup()
    })

    it('is paused through one instance while another runs it, and resumed from its checkpoint by the first', async () => {
      const env = { CONCURRENCY: '2', LEASE_SECONDS: '30' }
      const runner = await startTestService(database, env, { registry: registry() })
      services.push(runner)
      const started = runner.runner.events.waitFor('job:start', ({ job }) => job.type === 'count')
      const job = await enqueue(runner, { type: 'count', payload: { to: 40, stepMs: 20 } })
      await started
      // The other instance starts after the job did: only the first runs it.
      const other = await startTestService(database, env, { registry: registry() })
      services.push(other)
      await pollUntil(other, job.id, (j) => ((j.checkpoint as { cursor?: number } | null)?.cursor ?? 0) > 2)
      const settled = runner.runner.events.waitFor('job:settled', (e) => e.job.id === job.id)
      await expectJson(await post(other, `/v1/jobs/${job.id}/pause`), 202)
      assert.equal((await settled).outcome, 'paused', 'the instance running it stopped it with reason paused')
      const paused = await pollUntil(other, job.id, (j) => j.state === 'paused')
      const { cursor } = paused.checkpoint as { cursor: number }
      await runner.close()
      const resumedHere = other.runner.events.waitFor('job:start', (e) => e.job.id === job.id)
      await expectJson(await post(other, `/v1/jobs/${job.id}/resume`), 200)
      assert.deepEqual((await resumedHere).job.checkpoint, paused.checkpoint, 'started from the paused checkpoint')
      const done = await pollUntil(other, job.id, (j) => j.state === 'succeeded')
      assert.deepEqual(done.result, { counted: 40, resumedFrom: cursor, runs: 2 })
      assert.equal(done.attempts, 1)
    })
  },
)
