/**
 * Flow control through the API, on each database, with a job type of the test's own whose runs the
 * test releases by hand (`gate`, limited to `perKey: 1, total: 2`): `concurrencyKey` is stored and
 * shown, a key over 256 bytes is refused with 422 naming the field, and the runner of one instance
 * starts no more than the limits allow however many slots it has, starting the next job of a key as
 * soon as one ends. Pauses: unknown names are 404, a paused queue's jobs wait with `waitReason:
 * paused` until resumed, and a `checkpoint` pause of a type stops its running job with the token
 * reason `paused` and puts it back with its attempt refunded and no interruption counted. A job
 * not started by its `expiresAt` (or `ttlSeconds`) ends `expired`. A rate-limited type (`paced`,
 * five a second) starts one job every 200 ms, the others waiting with `waitReason: rate-limit`; a
 * rate limit per key holds back a key's second job only, and a queue of `QUEUE_LIMITS` runs one job
 * at a time whatever its type allows.
 */
import assert from 'node:assert/strict'
import { after, before, beforeEach, describe, it } from 'node:test'
import { defineJob } from '../../jobs/defineJob.js'
import echo from '../../jobs/echo.js'
import { JobRegistry } from '../../jobs/registry.js'
import type { OwnedJob } from '../../src/queue/job.js'
import { databaseTargets, onceSkip, ROUTES_THROUGH_THE_STORE, type TestDatabase } from '../support/databases.js'
import { expectJson, expectProblem, pollUntil, type ApiJob } from '../support/http.js'
import { startTestService, type TestService } from '../support/service.js'

type KeyedJob = ApiJob & { concurrencyKey: string | null }

/** Runs of `gate` wait here until the test opens them, by job id. */
const gates = new Map<string, () => void>()
const gate = defineJob<{ name: string }>({
  name: 'gate',
  payloadSchema: { type: 'object', properties: { name: { type: 'string' } } },
  concurrency: { perKey: 1, total: 2 },
  async run({ jobId, signal }) {
    await new Promise<void>((resolve, reject) => {
      gates.set(jobId, resolve)
      signal.addEventListener('abort', () => reject(signal.reason as Error), { once: true })
    })
    return { opened: jobId }
  },
})

/** One start a minute per key: a second job of a key waits, another key's does not. */
const pacedByKey = defineJob({
  name: 'paced-by-key',
  payloadSchema: { type: 'object' },
  rateLimit: { limit: 1, periodMs: 60_000, key: true },
  async run() {
    return null
  },
})

/** Five starts a second across the cluster, one every 200 ms. */
const paced = defineJob({
  name: 'paced',
  payloadSchema: { type: 'object' },
  rateLimit: { limit: 5, periodMs: 1000 },
  async run() {
    return null
  },
})

for (const target of databaseTargets()) {
  describe(
    `flow control (${target.name})`,
    { timeout: 60_000, skip: onceSkip(target, ROUTES_THROUGH_THE_STORE) },
    () => {
      let database: TestDatabase
      let service: TestService

      before(async () => {
        database = await target.create()
        service = await startTestService(
          database,
          {
            CONCURRENCY: '10',
            POLL_INTERVAL_MS: '5000',
            QUEUES: 'default,capped',
            QUEUE_LIMITS: JSON.stringify({ capped: { concurrency: { total: 1 } } }),
          },
          { registry: new JobRegistry([echo, gate, paced, pacedByKey]) },
        )
      })
      beforeEach(() => gates.clear())
      after(async () => {
        await service?.close()
        await database?.cleanup()
      })

      const post = (path: string, body: unknown) =>
        service.request(path, { method: 'POST', body: JSON.stringify(body) })
      /** The next `count` runs of `gate` to start (register before causing them). */
      const started = (count: number) => {
        const seen: OwnedJob[] = []
        return new Promise<OwnedJob[]>((resolve) => {
          const off = service.runner.events.on('job:start', ({ job }) => {
            if (job.type !== 'gate') return
            seen.push(job)
            if (seen.length === count) {
              off()
              resolve(seen)
            }
          })
        })
      }

      it('stores and shows concurrencyKey, on one job and in a batch', async () => {
        const one = await expectJson<KeyedJob>(
          await post('/v1/jobs', { type: 'echo', concurrencyKey: 'tenant-1' }),
          202,
        )
        assert.equal(one.concurrencyKey, 'tenant-1')
        const read = await expectJson<KeyedJob>(await service.request(`/v1/jobs/${one.id}`), 200)
        assert.equal(read.concurrencyKey, 'tenant-1')
        const plain = await expectJson<KeyedJob>(await post('/v1/jobs', { type: 'echo' }), 202)
        assert.equal(plain.concurrencyKey, null)
        const batch = await expectJson<{ jobs: KeyedJob[] }>(
          await post('/v1/jobs/batch', { jobs: [{ type: 'echo', concurrencyKey: 'k' }, { type: 'echo' }] }),
          202,
        )
        assert.deepEqual(
          batch.jobs.map((j) => j.concurrencyKey),
          ['k', null],
        )
      })

      it("shows each type's limits in GET /v1/job-types", async () => {
        const { jobTypes } = await expectJson<{
          jobTypes: { name: string; concurrency?: unknown; rateLimit?: unknown }[]
        }>(await service.request('/v1/job-types'), 200)
        const byName = new Map(jobTypes.map((t) => [t.name, t]))
        assert.deepEqual(byName.get('gate')?.concurrency, { perKey: 1, total: 2 })
        assert.deepEqual(byName.get('paced')?.rateLimit, { limit: 5, periodMs: 1000 })
        assert.equal(byName.get('echo')?.concurrency, undefined)
      })

      it("gives a schedule's concurrencyKey to the jobs of its slots", async () => {
        const put = await service.request('/v1/schedules/keyed', {
          method: 'PUT',
          body: JSON.stringify({ every: 'PT1H', paused: true, job: { type: 'echo', concurrencyKey: 'tenant-s' } }),
        })
        assert.equal(put.status, 201, await put.clone().text())
        const job = await expectJson<KeyedJob>(await post('/v1/schedules/keyed/trigger', {}), 202)
        assert.equal(job.concurrencyKey, 'tenant-s')
      })

      it('refuses a key over 256 bytes (counted in UTF-8) with 422 naming concurrencyKey', async () => {
        // 129 two-byte characters: within 256 characters, over 256 bytes.
        const cases: [string, unknown, string][] = [
          ['/v1/jobs', { type: 'echo', concurrencyKey: 'é'.repeat(129) }, '/concurrencyKey'],
          ['/v1/jobs', { type: 'echo', concurrencyKey: 'x'.repeat(257) }, '/concurrencyKey'],
          ['/v1/jobs', { type: 'echo', concurrencyKey: '' }, '/concurrencyKey'],
          [
            '/v1/jobs/batch',
            { jobs: [{ type: 'echo' }, { type: 'echo', concurrencyKey: 'é'.repeat(129) }] },
            '/jobs/1/concurrencyKey',
          ],
        ]
        for (const [path, body, pointer] of cases) {
          const problem = await expectProblem(await post(path, body), 422)
          assert.ok(
            problem.errors?.some((e) => e.pointer === pointer),
            `${JSON.stringify(body).slice(0, 60)}: expected ${pointer}, got ${JSON.stringify(problem.errors)}`,
          )
        }
        const fits = await expectJson<KeyedJob>(
          await post('/v1/jobs', { type: 'echo', concurrencyKey: 'é'.repeat(128) }),
          202,
        )
        assert.equal(fits.concurrencyKey, 'é'.repeat(128))
      })

      it('starts no more than the limits allow, and the next of a key as soon as one ends', async () => {
        const firstTwo = started(2)
        const jobs = await expectJson<{ jobs: KeyedJob[] }>(
          await post('/v1/jobs/batch', {
            jobs: [
              { type: 'gate', concurrencyKey: 'a' },
              { type: 'gate', concurrencyKey: 'a' },
              { type: 'gate', concurrencyKey: 'b' },
              { type: 'gate', concurrencyKey: 'c' },
            ],
          }),
          202,
        )
        const [a1, a2, b, c] = jobs.jobs.map((j) => j.id)
        const first = await firstTwo
        assert.deepEqual(first.map((j) => j.id).sort(), [a1, b].sort(), 'one of a and one of b: the total is 2')
        const states = async () =>
          Object.fromEntries(
            await Promise.all(
              [a1, a2, b, c].map(async (id) => [
                id,
                (await expectJson<KeyedJob>(await service.request(`/v1/jobs/${id}`), 200)).state,
              ]),
            ),
          )
        assert.deepEqual(await states(), { [a1!]: 'running', [a2!]: 'queued', [b!]: 'running', [c!]: 'queued' })
        // They say why they wait (the count behind it is cached for half a second: polled until it shows).
        for (const id of [a2!, c!]) {
          const waiting = await pollUntil(service, id, (j) => (j as KeyedJob).waitReason === 'concurrency', {
            deadlineMs: 10_000,
          })
          assert.equal(waiting.state, 'queued')
        }

        // a1 ends: the next in line is a2, now that key a has a place (its end rings the claim).
        const next = started(1)
        gates.get(a1!)!()
        assert.equal((await next)[0]!.id, a2)
        // b ends: c takes the second place of the total.
        const last = started(1)
        gates.get(b!)!()
        assert.equal((await last)[0]!.id, c)
        gates.get(a2!)!()
        gates.get(c!)!()
      })

      it('refuses to pause what it does not know (404), a bad mode (422), and a caller without admin (403)', async () => {
        await expectProblem(await post('/v1/admin/queues/no-such-queue/pause', { mode: 'finish' }), 404)
        await expectProblem(await post('/v1/admin/job-types/no-such-type/pause', {}), 404)
        await expectProblem(await post('/v1/admin/job-types/no-such-type/resume', {}), 404)
        await expectProblem(await post('/v1/admin/queues/default/pause', { mode: 'later' }), 422)
        const forbidden = await service.request('/v1/admin/queues/default/pause', {
          method: 'POST',
          body: '{}',
          scopes: ['jobs:read', 'jobs:write'],
        })
        await expectProblem(forbidden, 403)
        assert.deepEqual(await expectJson(await service.request('/v1/admin/pauses'), 200), { pauses: [] })
      })

      it('pauses a queue (finish): its jobs wait, paused, on every read; a resume runs them', async () => {
        const paused = await expectJson<{ paused: boolean; mode: string }>(
          await post('/v1/admin/queues/default/pause', { mode: 'finish' }),
          200,
        )
        assert.deepEqual([paused.paused, paused.mode], [true, 'finish'])
        const job = await expectJson<KeyedJob>(await post('/v1/jobs', { type: 'echo', payload: { n: 1 } }), 202)
        assert.equal(job.waitReason, 'paused', 'accepted, and says why it waits')
        const pauses = await expectJson<{ pauses: { kind: string; name: string }[] }>(
          await service.request('/v1/admin/pauses'),
          200,
        )
        assert.deepEqual(
          pauses.pauses.map((p) => [p.kind, p.name]),
          [['queue', 'default']],
        )
        const overview = await expectJson<{ queues: { queue: string; paused: boolean }[] }>(
          await service.request('/v1/admin/queues'),
          200,
        )
        assert.equal(overview.queues.find((q) => q.queue === 'default')?.paused, true)
        // The runner claimed nothing meanwhile: its claims leave the queue out.
        assert.equal((await expectJson<KeyedJob>(await service.request(`/v1/jobs/${job.id}`), 200)).state, 'queued')

        const settled = service.runner.events.waitFor('job:settled', (e) => e.job.id === job.id)
        const resumed = await expectJson<{ paused: boolean }>(await post('/v1/admin/queues/default/resume', {}), 200)
        assert.equal(resumed.paused, false)
        assert.equal((await settled).outcome, 'succeeded')
        assert.deepEqual(await expectJson(await service.request('/v1/admin/pauses'), 200), { pauses: [] })
      })

      it('pauses a job type (checkpoint): its running job stops with reason paused and goes back, attempt refunded', async () => {
        const firstStart = started(1)
        const job = await expectJson<KeyedJob>(await post('/v1/jobs', { type: 'gate', concurrencyKey: 'p' }), 202)
        await firstStart
        const requeued = service.runner.events.waitFor('job:settled', (e) => e.job.id === job.id)
        await expectJson(await post('/v1/admin/job-types/gate/pause', { mode: 'checkpoint' }), 200)
        const settlement = await requeued
        assert.equal(settlement.outcome, 'paused')
        // A claim that ran while the pause arrived may hold the job a moment: it hands it back unrun
        // (RunnerGeneration.notPaused), so the job is read once it is queued again.
        const back = (await pollUntil(service, job.id, (j) => j.state === 'queued', {
          deadlineMs: 10_000,
        })) as KeyedJob & {
          attempts: number
          interruptions: number
        }
        assert.deepEqual(
          [back.state, back.attempts, back.interruptions, back.waitReason, back.concurrencyKey],
          ['queued', 0, 0, 'paused', 'p'],
        )
        // Resumed, it runs again and finishes.
        const again = started(1)
        await expectJson(await post('/v1/admin/job-types/gate/resume', {}), 200)
        assert.equal((await again)[0]!.id, job.id)
        const done = service.runner.events.waitFor('job:settled', (e) => e.job.id === job.id)
        gates.get(job.id)!()
        assert.equal((await done).outcome, 'succeeded')
      })

      it('refuses a start-by deadline that cannot work, naming the field', async () => {
        const soon = new Date(Date.now() + 60_000).toISOString()
        const cases: [unknown, string][] = [
          [{ type: 'echo', expiresAt: soon, ttlSeconds: 5 }, '/ttlSeconds'],
          [{ type: 'echo', expiresAt: new Date(Date.now() - 1000).toISOString() }, '/expiresAt'],
          [{ type: 'echo', expiresAt: soon, runAt: new Date(Date.now() + 120_000).toISOString() }, '/expiresAt'],
          [{ type: 'echo', ttlSeconds: 0 }, '/ttlSeconds'],
          [{ type: 'echo', expiresAt: 'tomorrow' }, '/expiresAt'],
        ]
        for (const [body, pointer] of cases) {
          const problem = await expectProblem(await post('/v1/jobs', body), 422)
          assert.ok(
            problem.errors?.some((e) => e.pointer === pointer),
            `${JSON.stringify(body)}: expected ${pointer}, got ${JSON.stringify(problem.errors)}`,
          )
        }
      })

      it('expires a job not started by its deadline: a final state, with its reason', async () => {
        const expired = service.runner.events.waitFor('jobs:expired', (e) => e.jobs.length > 0)
        // A queue no instance serves: nothing will start it in time.
        const job = await expectJson<KeyedJob & { expiresAt: string }>(
          await post('/v1/jobs', { type: 'echo', queue: 'nobody-serves-this', ttlSeconds: 0.2 }),
          202,
        )
        assert.ok(Date.parse(job.expiresAt) > Date.now() - 1000)
        const { jobs: marked } = await expired
        assert.deepEqual(
          marked.map((j) => j.id),
          [job.id],
        )
        const read = await expectJson<KeyedJob & { finishedAt: string | null; error: string | null }>(
          await service.request(`/v1/jobs/${job.id}`),
          200,
        )
        assert.equal(read.state, 'expired')
        assert.notEqual(read.finishedAt, null)
        assert.match(read.error ?? '', /^expired: not started by /)
        await expectProblem(await post(`/v1/jobs/${job.id}/cancel`, {}), 409)
        const listed = await expectJson<{ jobs: KeyedJob[] }>(await service.request('/v1/jobs?state=expired'), 200)
        assert.deepEqual(
          listed.jobs.map((j) => j.id),
          [job.id],
        )
        const overview = await expectJson<{ queues: { queue: string; counts: Record<string, number> }[] }>(
          await service.request('/v1/admin/queues'),
          200,
        )
        const counts = overview.queues.find((q) => q.queue === 'nobody-serves-this')?.counts
        assert.equal(counts?.expired, 1, 'the queue counts show it')
        assert.equal(counts?.queued, 0)
      })

      it('spreads the starts of a rate-limited type one interval apart', async () => {
        // Settlements counted from before the enqueue: the first job may start and settle before the
        // batch's answer reaches this test.
        const settledIds = new Set<string>()
        let enqueuedIds: string[] = []
        const allSettled = () => enqueuedIds.length > 0 && enqueuedIds.every((id) => settledIds.has(id))
        const stopCounting = service.runner.events.on('job:settled', (e) => settledIds.add(e.job.id))
        const { jobs: enqueued } = await expectJson<{ jobs: KeyedJob[] }>(
          await post('/v1/jobs/batch', { jobs: Array.from({ length: 10 }, () => ({ type: 'paced' })) }),
          202,
        )
        enqueuedIds = enqueued.map((job) => job.id)
        if (!allSettled()) await service.runner.events.waitFor('job:settled', allSettled)
        stopCounting()
        // Claim times (startedAt as stored) come from the database's clock, to the millisecond.
        const stored = await Promise.all(
          enqueued.map(async (job) =>
            expectJson<ApiJob & { startedAt: string }>(await service.request(`/v1/jobs/${job.id}`), 200),
          ),
        )
        const times = stored.map((j) => Date.parse(j.startedAt)).sort((a, b) => a - b)
        assert.equal(times.length, 10)
        // The limiter keeps its schedule: start i comes no sooner than i intervals after the first (a
        // start late by less than half an interval may be followed by a sooner one, never bunched).
        for (let i = 1; i < times.length; i++) {
          assert.ok(times[i]! - times[0]! >= i * 200 - 1, `start ${i} came ${times[i]! - times[0]!} ms after the first`)
          assert.ok(
            times[i]! - times[i - 1]! >= 99,
            `start ${i} came ${times[i]! - times[i - 1]!} ms after the one before`,
          )
        }
      })

      it('keeps a job over the rate limit queued, saying rate-limit, until its turn', async () => {
        // The limiter's next start three seconds ahead, as after a run of starts.
        await service.db.sql`
        insert into job_runner.job_runner_rate_limits (scope, name, key, tat) values ('type', 'paced', '', now() + interval '3 seconds')
        on conflict (scope, name, key) do update set tat = excluded.tat`
        // Outcomes counted from before the enqueue, whenever the job runs.
        const outcomes = new Map<string, string>()
        const stopCounting = service.runner.events.on('job:settled', (e) => outcomes.set(e.job.id, e.outcome))
        const job = await expectJson<KeyedJob>(await post('/v1/jobs', { type: 'paced' }), 202)
        const settled = (
          outcomes.has(job.id)
            ? Promise.resolve({ outcome: outcomes.get(job.id) })
            : service.runner.events.waitFor('job:settled', (e) => e.job.id === job.id)
        ).finally(stopCounting)
        const waiting = await pollUntil(service, job.id, (j) => (j as KeyedJob).waitReason === 'rate-limit', {
          deadlineMs: 10_000,
        })
        assert.equal(waiting.state, 'queued')
        assert.equal((await settled).outcome, 'succeeded', 'never dropped: it runs in its turn')
      })

      it('rate limit per key: a second job of a key waits, saying rate-limit, while another key starts', async () => {
        const { jobs } = await expectJson<{ jobs: KeyedJob[] }>(
          await post('/v1/jobs/batch', {
            jobs: ['a', 'a', 'b'].map((concurrencyKey) => ({ type: 'paced-by-key', concurrencyKey })),
          }),
          202,
        )
        const [a1, a2, b] = jobs.map((j) => j.id)
        // Read from the rows: the first of each key may start and settle before the batch's answer is read.
        await Promise.all(
          [a1, b].map((id) =>
            pollUntil(service, id!, (j) => (j as KeyedJob).state === 'succeeded', { deadlineMs: 10_000 }),
          ),
        )
        const waiting = await pollUntil(service, a2!, (j) => (j as KeyedJob).waitReason === 'rate-limit', {
          deadlineMs: 10_000,
        })
        assert.equal(waiting.state, 'queued', 'a minute from its start, never dropped')
        await expectJson(await post(`/v1/jobs/${a2}/cancel`, {}), 200)
      })

      it("holds every job of a queue to its QUEUE_LIMITS: one at a time in 'capped', whatever the type's own limits", async () => {
        const first = started(1)
        const { jobs } = await expectJson<{ jobs: KeyedJob[] }>(
          await post('/v1/jobs/batch', {
            jobs: [
              { type: 'gate', queue: 'capped' },
              { type: 'gate', queue: 'capped' },
            ],
          }),
          202,
        )
        const [one, two] = jobs.map((j) => j.id)
        assert.equal((await first)[0]!.id, one)
        const read = await expectJson<KeyedJob>(await service.request(`/v1/jobs/${two}`), 200)
        assert.equal(read.state, 'queued', "the type's total of 2 leaves room, the queue's 1 does not")
        // It says why it waits: the queue's limit, counted by the service as the claim counts it.
        const waiting = await pollUntil(service, two!, (j) => (j as KeyedJob).waitReason === 'concurrency', {
          deadlineMs: 10_000,
        })
        assert.equal(waiting.state, 'queued')
        const next = started(1)
        gates.get(one!)!()
        assert.equal((await next)[0]!.id, two, 'its end lets the next start')
        gates.get(two!)!()
      })
    },
  )
}
