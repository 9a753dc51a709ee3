/**
 * /v1/schedules over real HTTP on each database: create, replace (idempotent, the next slot kept),
 * read with next runs, list by keyset, delete, pause and resume, trigger (with a replayed key);
 * every bad input the issue lists refused with 422 naming the field before anything is stored;
 * owner isolation (another owner's schedule does not exist, its id cannot be taken; an admin acts
 * across owners); and the `schedule:` idempotency keys reserved for schedules.
 */
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { databaseTargets, onceSkip, ROUTES_THROUGH_THE_STORE } from '../support/databases.js'
import { expectJson, expectProblem, type ApiJob } from '../support/http.js'
import type { TestService } from '../support/service.js'
import { suiteService } from '../support/suiteService.js'

interface ApiSchedule {
  id: string
  source: string
  cron: string | null
  every: string | null
  timezone: string
  job: { type: string; payload?: unknown }
  overlap: string
  backfill: { maxSlots: number } | null
  paused: boolean
  nextRuns: string[]
  lastJob: { id: string; state: string | null; slot: string | null } | null
  fired: number
  skipped: number
  missed: number
}

const put = (body: unknown): RequestInit => ({ method: 'PUT', body: JSON.stringify(body) })

for (const target of databaseTargets()) {
  describe(`/v1/schedules (${target.name})`, { skip: onceSkip(target, ROUTES_THROUGH_THE_STORE) }, () => {
    let service: TestService

    suiteService(target, (started) => (service = started))

    const count = async () =>
      Number((await service.db.sql<{ n: string }[]>`select count(*) as n from job_runner.job_runner_schedules`)[0]!.n)

    it('creates (201), reads with five next runs, replaces (200) keeping the next slot', async () => {
      const body = {
        cron: '0 3 * * *',
        timezone: 'Europe/Berlin',
        job: { type: 'echo', payload: { hello: 'world' } },
        overlap: 'skip',
        backfill: { maxSlots: 2 },
      }
      const created = await service.request('/v1/schedules/nightly', put(body))
      assert.equal(created.headers.get('location'), '/v1/schedules/nightly')
      const schedule = await expectJson<ApiSchedule>(created, 201)
      assert.equal(schedule.source, 'api')
      assert.equal(schedule.overlap, 'skip')
      assert.deepEqual(schedule.backfill, { maxSlots: 2 })
      assert.equal(schedule.nextRuns.length, 5)
      for (const run of schedule.nextRuns) {
        const local = new Intl.DateTimeFormat('en-GB', {
          timeZone: 'Europe/Berlin',
          hour: '2-digit',
          minute: '2-digit',
          hourCycle: 'h23',
        }).format(new Date(run))
        assert.equal(local, '03:00', run)
      }
      const read = await expectJson<ApiSchedule>(await service.request('/v1/schedules/nightly'), 200)
      assert.deepEqual(read.nextRuns, schedule.nextRuns)
      assert.equal(read.lastJob, null)
      const replaced = await expectJson<ApiSchedule>(
        await service.request('/v1/schedules/nightly', put({ ...body, job: { type: 'echo', payload: { v: 2 } } })),
        200,
      )
      assert.deepEqual(replaced.nextRuns, schedule.nextRuns, 'the same timing keeps its slots')
      assert.deepEqual(replaced.job.payload, { v: 2 })
    })

    it('refuses every bad input with 422 naming the field, before anything is stored', async () => {
      const before = await count()
      const cases: [unknown, string][] = [
        [{ cron: 'every day', job: { type: 'echo' } }, '/cron'],
        [{ cron: '61 * * * *', job: { type: 'echo' } }, '/cron'],
        [{ cron: '0 0 30 2 *', job: { type: 'echo' } }, '/cron'],
        [{ cron: '* * * * *', timezone: 'Mars/Olympus_Mons', job: { type: 'echo' } }, '/timezone'],
        [{ every: 'PT0.5S', job: { type: 'echo' } }, '/every'],
        [{ every: 'P1M', job: { type: 'echo' } }, '/every'],
        [{ cron: '* * * * *', every: 'PT1S', job: { type: 'echo' } }, '/every'],
        [{ job: { type: 'echo' } }, '/cron'],
        [{ every: 'PT1S', job: { type: 'no-such-type' } }, '/job/type'],
        [{ every: 'PT1S', job: { type: 'sleep', payload: { ms: -5 } } }, '/job/payload/ms'],
        [{ every: 'PT1S', job: { type: 'sleep', payload: {} } }, '/job/payload/ms'],
        [{ every: 'PT1S', job: { type: 'echo' }, overlap: 'sometimes' }, '/overlap'],
        [{ every: 'PT1S', job: { type: 'echo' }, backfill: { maxSlots: -1 } }, '/backfill'],
        [{ every: 'PT1S', job: { type: 'echo', concurrencyKey: 'é'.repeat(129) } }, '/job/concurrencyKey'],
      ]
      for (const [body, pointer] of cases) {
        const problem = await expectProblem(await service.request('/v1/schedules/bad', put(body)), 422)
        assert.ok(
          problem.errors?.some((e) => e.pointer.startsWith(pointer)),
          `${JSON.stringify(body)}: expected a problem at ${pointer}, got ${JSON.stringify(problem.errors)}`,
        )
      }
      assert.equal(await count(), before, 'nothing was stored')
      await expectProblem(await service.request('/v1/schedules/bad'), 404)
    })

    it('keeps owners apart: another owner’s schedule does not exist and its id cannot be taken', async () => {
      const body = { every: 'PT1H', job: { type: 'echo' } }
      await expectJson(
        await service.request('/v1/schedules/bobs', { ...put(body), sub: 'bob', scopes: ['jobs:write'] }),
        201,
      )
      const alice = { sub: 'alice', scopes: ['jobs:read', 'jobs:write'] as const }
      await expectProblem(await service.request('/v1/schedules/bobs', { scopes: [...alice.scopes] }), 404)
      await expectProblem(
        await service.request('/v1/schedules/bobs/pause', { method: 'POST', scopes: [...alice.scopes] }),
        404,
      )
      await expectProblem(
        await service.request('/v1/schedules/bobs', { method: 'DELETE', scopes: [...alice.scopes] }),
        404,
      )
      await expectProblem(
        await service.request('/v1/schedules/bobs', { ...put(body), scopes: [...alice.scopes] }),
        409,
        'schedule-conflict',
      )
      const listed = await expectJson<{ schedules: ApiSchedule[] }>(
        await service.request('/v1/schedules', { scopes: [...alice.scopes] }),
        200,
      )
      assert.ok(!listed.schedules.some((s) => s.id === 'bobs'))
      // An admin sees and changes it; it stays bob's.
      await expectJson(await service.request('/v1/schedules/bobs/pause', { method: 'POST' }), 200)
      const bobs = await expectJson<ApiSchedule>(
        await service.request('/v1/schedules/bobs', { sub: 'bob', scopes: ['jobs:read'] }),
        200,
      )
      assert.equal(bobs.paused, true)
    })

    it('lists by id with keyset pages', async () => {
      for (const id of ['page-a', 'page-b', 'page-c']) {
        await expectJson(
          await service.request(`/v1/schedules/${id}`, {
            ...put({ every: 'PT1H', job: { type: 'echo' } }),
            sub: 'pager',
          }),
          201,
        )
      }
      const first = await expectJson<{ schedules: ApiSchedule[]; nextCursor: string }>(
        await service.request('/v1/schedules?limit=2', { sub: 'pager', scopes: ['jobs:read'] }),
        200,
      )
      assert.deepEqual(
        first.schedules.map((s) => s.id),
        ['page-a', 'page-b'],
      )
      const second = await expectJson<{ schedules: ApiSchedule[]; nextCursor: string | null }>(
        await service.request(`/v1/schedules?limit=2&cursor=${first.nextCursor}`, {
          sub: 'pager',
          scopes: ['jobs:read'],
        }),
        200,
      )
      assert.deepEqual(
        second.schedules.map((s) => s.id),
        ['page-c'],
      )
      assert.equal(second.nextCursor, null)
      await expectProblem(await service.request('/v1/schedules?cursor=nonsense'), 400)
      await expectProblem(await service.request('/v1/schedules?limit=0'), 400)
    })

    it('pauses (no next runs), resumes, triggers one job now (a repeated key replays it), deletes', async () => {
      await expectJson(
        await service.request('/v1/schedules/hourly', put({ every: 'PT1H', job: { type: 'echo', payload: { n: 1 } } })),
        201,
      )
      const paused = await expectJson<ApiSchedule>(
        await service.request('/v1/schedules/hourly/pause', { method: 'POST' }),
        200,
      )
      assert.equal(paused.paused, true)
      assert.deepEqual(paused.nextRuns, [])
      const resumed = await expectJson<ApiSchedule>(
        await service.request('/v1/schedules/hourly/resume', { method: 'POST' }),
        200,
      )
      assert.equal(resumed.paused, false)
      assert.equal(resumed.nextRuns.length, 5)
      assert.equal(Date.parse(resumed.nextRuns[0]!) % 3_600_000, 0, 'every slot is a multiple of the period')

      const triggered = await service.request('/v1/schedules/hourly/trigger', {
        method: 'POST',
        headers: { 'idempotency-key': 'manual-1' },
      })
      const job = await expectJson<ApiJob>(triggered, 202)
      assert.equal(triggered.headers.get('location'), `/v1/jobs/${job.id}`)
      assert.deepEqual(job.payload, { n: 1 })
      const again = await service.request('/v1/schedules/hourly/trigger', {
        method: 'POST',
        headers: { 'idempotency-key': 'manual-1' },
      })
      assert.equal((await expectJson<ApiJob>(again, 200)).id, job.id)
      assert.equal(again.headers.get('idempotent-replayed'), 'true')
      const after = await expectJson<ApiSchedule>(await service.request('/v1/schedules/hourly'), 200)
      assert.equal(after.lastJob?.id, job.id)
      assert.equal(after.lastJob?.slot, null)

      const deleted = await service.request('/v1/schedules/hourly', { method: 'DELETE' })
      assert.equal(deleted.status, 204)
      await expectProblem(await service.request('/v1/schedules/hourly'), 404)
      await expectProblem(await service.request('/v1/schedules/hourly', { method: 'DELETE' }), 404)
      // Its jobs stay.
      await expectJson(await service.request(`/v1/jobs/${job.id}`), 200)
    })

    it('reserves the schedule: idempotency keys', async () => {
      const problem = await expectProblem(
        await service.request('/v1/jobs', {
          method: 'POST',
          body: JSON.stringify({ type: 'echo' }),
          headers: { 'idempotency-key': 'schedule:x:2026-01-01T00:00:00.000Z' },
        }),
        422,
      )
      assert.match(problem.detail ?? '', /schedule:/)
    })
  })
}
