/**
 * The scheduler in a real service on each database, waiting on its `schedule:fired` events (never
 * on sleeps): a per-second schedule makes one job per slot, keyed and timed by the slot; overlap
 * `skip` and `cancel-previous` (the previous job cancelled through the cancel path, its token
 * aborted with `cancelled`); backfill after a down-time (the newest maxSlots missed slots enqueued,
 * the rest counted); pause and resume; a drained instance firing nothing; schedules declared in
 * code upserted at start-up, kept paused across restarts, and removed when gone from code; fires,
 * skips and misses in /metrics.
 */
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { setTimeout as sleep } from 'node:timers/promises'
import { defineJob } from '../../jobs/defineJob.js'
import { JobRegistry, loadJobRegistry, type AnyJobDefinition } from '../../jobs/registry.js'
import type { SchedulerEvents } from '../../src/schedules/scheduler.js'
import { withTimeout } from '../../src/support/withTimeout.js'
import { databaseTargets, type TestDatabase } from '../support/databases.js'
import { expectJson, expectProblem, pollUntil, type ApiJob } from '../support/http.js'
import { startTestService, type TestService } from '../support/service.js'
import { suiteService } from '../support/suiteService.js'

interface ApiSchedule {
  id: string
  source: string
  paused: boolean
  nextRuns: string[]
  lastJob: { id: string; state: string | null; slot: string | null } | null
  fired: number
  skipped: number
  missed: number
}

const put = (body: unknown): RequestInit => ({ method: 'PUT', body: JSON.stringify(body) })

/** The next fire of schedule `id` that satisfies `predicate`; register before causing it. */
function nextFire(
  service: TestService,
  id: string,
  predicate: (fired: SchedulerEvents['schedule:fired']['schedule']) => boolean = () => true,
  timeoutMs = 20_000,
): Promise<SchedulerEvents['schedule:fired']['schedule']> {
  const signal = AbortSignal.timeout(timeoutMs)
  return service.scheduler.events
    .waitFor('schedule:fired', ({ schedule }) => schedule.id === id && predicate(schedule), { signal })
    .then(({ schedule }) => schedule)
}

async function jobsOf(
  service: TestService,
  id: string,
): Promise<{ id: string; key: string; run_at: Date; state: string }[]> {
  return service.db.sql<{ id: string; key: string; run_at: Date; state: string }[]>`
    select id::text, idempotency_key as key, run_at, state from job_runner.job_runner_jobs
    where idempotency_key like ${`schedule:${id}:%`} order by run_at, id`
}

const shipped = await loadJobRegistry()
const shippedDefinitions = shipped.names().map((name) => shipped.get(name)!)

function withJobs(...extra: AnyJobDefinition[]): JobRegistry {
  return new JobRegistry([...shippedDefinitions, ...extra])
}

const tick = (schedules: AnyJobDefinition['schedules']) =>
  defineJob({ name: 'tick', payloadSchema: { type: 'object' }, schedules, run: async ({ payload }) => payload })

for (const target of databaseTargets()) {
  describe(`scheduler (${target.name})`, () => {
    let service: TestService

    suiteService(target, (started) => (service = started))

    it('a per-second schedule makes one job per slot, keyed by the slot, run at the slot', async () => {
      const third = nextFire(service, 'per-second', () => true)
      await expectJson(
        await service.request('/v1/schedules/per-second', put({ every: 'PT1S', job: { type: 'echo' } })),
        201,
      )
      await third
      // Three fires more, waited one by one.
      for (let i = 0; i < 3; i++) await nextFire(service, 'per-second')
      await expectJson(await service.request('/v1/schedules/per-second/pause', { method: 'POST' }), 200)
      const jobs = await jobsOf(service, 'per-second')
      assert.ok(jobs.length >= 4, `${jobs.length} jobs`)
      const slots = jobs.map((j) => j.run_at.getTime())
      assert.equal(new Set(slots).size, slots.length, 'one job per slot')
      for (const [i, job] of jobs.entries()) {
        assert.equal(job.key, `schedule:per-second:${job.run_at.toISOString()}`)
        assert.equal(job.run_at.getTime() % 1000, 0)
        if (i > 0) assert.equal(slots[i]! - slots[i - 1]!, 1000, 'no slot missing between two fires')
      }
      const schedule = await expectJson<ApiSchedule>(await service.request('/v1/schedules/per-second'), 200)
      assert.equal(schedule.fired, jobs.length)
      assert.equal(schedule.lastJob?.id, jobs.at(-1)!.id)
      assert.equal(schedule.lastJob?.slot, jobs.at(-1)!.run_at.toISOString())
    })

    it('overlap skip: no job while the previous one is queued or running; the slots are counted', async () => {
      const skipped = nextFire(service, 'skipper', (f) => f.skipped > 0)
      await expectJson(
        await service.request(
          '/v1/schedules/skipper',
          put({ every: 'PT1S', job: { type: 'sleep', payload: { ms: 60_000 } }, overlap: 'skip' }),
        ),
        201,
      )
      await skipped
      await expectJson(await service.request('/v1/schedules/skipper/pause', { method: 'POST' }), 200)
      const jobs = await jobsOf(service, 'skipper')
      assert.equal(jobs.length, 1)
      const schedule = await expectJson<ApiSchedule>(await service.request('/v1/schedules/skipper'), 200)
      assert.ok(schedule.skipped >= 1)
      assert.equal(schedule.fired, 1)
      await service.request(`/v1/jobs/${jobs[0]!.id}/cancel`, { method: 'POST' }).then((r) => r.arrayBuffer())
    })

    it('overlap cancel-previous: the running job is cancelled (token reason cancelled) and a new one enqueued', async () => {
      const first = nextFire(service, 'canceller', (f) => f.enqueued.length > 0)
      await expectJson(
        await service.request(
          '/v1/schedules/canceller',
          put({ every: 'PT1S', job: { type: 'sleep', payload: { ms: 60_000 } }, overlap: 'cancel-previous' }),
        ),
        201,
      )
      const firstJobId = (await first).enqueued[0]!.job.id
      await pollUntil(service, firstJobId, (job) => job.state === 'running')
      const replacing = await nextFire(service, 'canceller', (f) => f.cancelled?.kind === 'requested')
      await expectJson(await service.request('/v1/schedules/canceller/pause', { method: 'POST' }), 200)
      assert.equal(replacing.cancelled?.kind === 'requested' ? replacing.cancelled.job.id : undefined, firstJobId)
      const cancelled = await pollUntil(service, firstJobId, (job) => job.state === 'cancelled')
      assert.equal(cancelled.cancelRequested, true)
      const jobs = await jobsOf(service, 'canceller')
      const active = jobs.filter((j) => j.state === 'queued' || j.state === 'running')
      assert.ok(active.length <= 1, `at most one active job: ${JSON.stringify(jobs)}`)
      for (const job of active)
        await service.request(`/v1/jobs/${job.id}/cancel`, { method: 'POST' }).then((r) => r.arrayBuffer())
    })

    it('backfill: after a down-time the newest maxSlots missed slots fire with the current one; the rest count as missed', async () => {
      for (const [id, backfill, fired, missed] of [
        ['backfilled', { maxSlots: 2 }, 3, 2],
        ['not-backfilled', null, 1, 4],
      ] as const) {
        await expectJson(
          await service.request(`/v1/schedules/${id}`, put({ every: 'PT1H', job: { type: 'echo' }, backfill })),
          201,
        )
        // As if every instance had been down for four hours: the slot four hours before the current one is next.
        const [{ current }] = (await service.db.sql<{ current: Date }[]>`
          select to_timestamp(floor(extract(epoch from now()) / 3600) * 3600) as current`) as unknown as [
          { current: Date },
        ]
        const fire = nextFire(service, id)
        await service.db.sql`
          update job_runner.job_runner_schedules set next_run_at = ${new Date(current.getTime() - 4 * 3_600_000)} where id = ${id}`
        service.scheduler.wake()
        const report = await fire
        assert.equal(report.slots.length, fired, id)
        assert.equal(report.missed, missed, id)
        const jobs = await jobsOf(service, id)
        assert.deepEqual(
          jobs.map((j) => (current.getTime() - j.run_at.getTime()) / 3_600_000),
          fired === 3 ? [2, 1, 0] : [0],
          'the newest slots, the current one last',
        )
        const schedule = await expectJson<ApiSchedule>(await service.request(`/v1/schedules/${id}`), 200)
        assert.deepEqual([schedule.fired, schedule.missed], [fired, missed])
        assert.equal(Date.parse(schedule.nextRuns[0]!), current.getTime() + 3_600_000)
      }
    })

    it('pause: nothing due; resume: fires again from the next slot', async () => {
      await expectJson(
        await service.request('/v1/schedules/napper', put({ every: 'PT1S', job: { type: 'echo' }, paused: true })),
        201,
      )
      const [row] = await service.db.sql<{ next_run_at: Date | null }[]>`
        select next_run_at from job_runner.job_runner_schedules where id = 'napper'`
      assert.equal(row!.next_run_at, null)
      const fired = nextFire(service, 'napper')
      const resumed = await expectJson<ApiSchedule>(
        await service.request('/v1/schedules/napper/resume', { method: 'POST' }),
        200,
      )
      assert.equal(resumed.paused, false)
      const report = await fired
      assert.ok(report.slots[0]!.getTime() >= Date.parse(resumed.nextRuns[0]!))
      assert.equal(report.missed, 0)
      await expectJson(await service.request('/v1/schedules/napper/pause', { method: 'POST' }), 200)
    })

    it('a drained instance fires no slot that comes due after the drain, and fires it at once when resumed', async () => {
      // Undrained, the per-second schedule fires: what the drain must stop.
      const firing = nextFire(service, 'drained')
      await expectJson(
        await service.request('/v1/schedules/drained', put({ every: 'PT1S', job: { type: 'echo' } })),
        201,
      )
      await firing
      const firedWhileDrained: string[] = []
      let stopWatching = (): void => {}
      try {
        await expectJson(await service.request('/v1/admin/drain?wait=20', { method: 'POST' }), 200)
        // Drained means the scheduler has stopped, a fire under way committed: whatever fires from
        // here on is the drained instance's doing.
        stopWatching = service.scheduler.events.on('schedule:fired', ({ schedule }) => {
          if (schedule.id === 'drained') firedWhileDrained.push(schedule.slots.map((s) => s.toISOString()).join())
        })
        const jobsAtDrain = (await jobsOf(service, 'drained')).map((j) => j.id)
        const [due] = await service.db.sql<{ slot: Date; inMs: number }[]>`
          select next_run_at as slot, ceil(extract(epoch from next_run_at - now()) * 1000)::int as "inMs"
          from job_runner.job_runner_schedules where id = 'drained'`
        // Nothing announces a fire that does not happen: wait for the slot by the database's clock,
        // then half a second in which a running scheduler, woken at the slot, would have fired it.
        await sleep(Math.max(0, due!.inMs) + 500)
        assert.deepEqual(firedWhileDrained, [])
        assert.deepEqual(
          (await jobsOf(service, 'drained')).map((j) => j.id),
          jobsAtDrain,
          'no job enqueued while drained',
        )
        // The slot did come due, and is still the next run: nothing fired it and advanced past it.
        const [unfired] = await service.db.sql<{ slot: Date; due: boolean }[]>`
          select next_run_at as slot, next_run_at <= now() as due
          from job_runner.job_runner_schedules where id = 'drained'`
        assert.deepEqual([unfired!.slot.toISOString(), unfired!.due], [due!.slot.toISOString(), true])

        // Resumed, the instance fires the due slot at once, not after the scheduler's 30 s idle wait.
        const resumedFire = nextFire(service, 'drained')
        await expectJson(await service.request('/v1/admin/resume', { method: 'POST' }), 200)
        await withTimeout(resumedFire, 10_000, () => new Error('the resumed instance did not fire the due slot'))
      } finally {
        stopWatching()
        // A failure must not leave the suite's service drained for the tests after this one.
        if (service.lifecycle.state !== 'running') await service.lifecycle.resume('test cleanup')
        await expectJson(await service.request('/v1/schedules/drained/pause', { method: 'POST' }), 200)
      }
    })

    it('counts fires, skips and misses in /metrics, by schedule (`other` for those made over HTTP)', async () => {
      const text = await (await service.request('/metrics')).text()
      assert.match(text, /job_runner_schedule_fires_total\{schedule="other",type="echo"\} [1-9]/)
      assert.match(text, /job_runner_schedule_skips_total\{schedule="other",type="sleep"\} [1-9]/)
      assert.match(text, /job_runner_schedule_misses_total\{schedule="other",type="echo"\} [1-9]/)
    })
  })

  describe(`schedules declared in code (${target.name})`, () => {
    let database: TestDatabase

    before(async () => {
      database = await target.create()
    })
    after(async () => {
      await database?.cleanup()
    })

    it('are upserted at start-up, kept paused across restarts, removed when gone from code; HTTP ones stay', async () => {
      const first = await startTestService(
        database,
        {},
        {
          registry: withJobs(
            tick([
              { id: 'code-fast', every: 'PT1S', payload: { from: 'code' } },
              { id: 'code-nightly', cron: '0 2 * * *', timezone: 'Europe/Berlin' },
            ]),
          ),
        },
      )
      try {
        const fired = nextFire(first, 'code-fast')
        const nightly = await expectJson<ApiSchedule>(await first.request('/v1/schedules/code-nightly'), 200)
        assert.equal(nightly.source, 'code')
        assert.equal(nightly.nextRuns.length, 5)
        const report = await fired
        assert.equal(report.owner, 'system')
        const job = await expectJson<ApiJob>(await first.request(`/v1/jobs/${report.enqueued[0]!.job.id}`), 200)
        assert.deepEqual(job.payload, { from: 'code' })
        // Changed in code, not over HTTP; pausing works and survives the restart below.
        await expectProblem(
          await first.request('/v1/schedules/code-nightly', put({ every: 'PT1S', job: { type: 'echo' } })),
          409,
        )
        await expectProblem(await first.request('/v1/schedules/code-nightly', { method: 'DELETE' }), 409)
        await expectJson(await first.request('/v1/schedules/code-nightly/pause', { method: 'POST' }), 200)
        await expectJson(
          await first.request('/v1/schedules/by-hand', put({ every: 'PT1H', job: { type: 'echo' } })),
          201,
        )
        const metrics = await (await first.request('/metrics')).text()
        assert.match(metrics, /job_runner_schedule_fires_total\{schedule="code-fast",type="tick"\} [1-9]/)
      } finally {
        await first.close()
      }

      const second = await startTestService(
        database,
        {},
        {
          registry: withJobs(
            tick([
              { id: 'code-nightly', cron: '0 2 * * *', timezone: 'Europe/Berlin' },
              { id: 'code-weekly', cron: '0 6 * * 1' },
            ]),
          ),
        },
      )
      try {
        const { schedules } = await expectJson<{ schedules: ApiSchedule[] }>(await second.request('/v1/schedules'), 200)
        assert.deepEqual(
          schedules.map((s) => [s.id, s.source]),
          [
            ['by-hand', 'api'],
            ['code-nightly', 'code'],
            ['code-weekly', 'code'],
          ],
        )
        assert.equal(schedules.find((s) => s.id === 'code-nightly')!.paused, true, 'the pause survived the restart')
        await expectProblem(await second.request('/v1/schedules/code-fast'), 404)
      } finally {
        await second.close()
      }
    })

    it('refuses a declared schedule that could not work, naming the job and the field', () => {
      assert.throws(() => withJobs(tick([{ id: 'bad', cron: '0 25 * * *' }])), /job tick: schedules\[0\] \/cron .*25/)
      assert.throws(() => withJobs(tick([{ id: 'bad', every: 'PT1S', timezone: 'Nowhere/City' }])), /\/timezone/)
      const strict = defineJob({
        name: 'strict',
        payloadSchema: { type: 'object', properties: { n: { type: 'integer' } }, required: ['n'] },
        schedules: [{ id: 'strict-1', every: 'PT1M', payload: {} }],
        run: async () => null,
      })
      assert.throws(() => withJobs(strict), /job strict: schedules\[0\] \/payload\/n/)
      assert.throws(
        () =>
          withJobs(
            tick([
              { id: 'twice', every: 'PT1M' },
              { id: 'twice', every: 'PT2M' },
            ]),
          ),
        /repeats the schedule id twice/,
      )
    })
  })
}
