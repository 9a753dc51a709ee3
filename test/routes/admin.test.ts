/**
 * /v1/admin over real HTTP: an orchestrator drains an instance without a signal (202 with the jobs
 * still running), watches its status reach `drained` while job routes and /readyz answer 503 with
 * Retry-After and the admin routes keep answering, then resumes it and the interrupted job finishes
 * from its checkpoint.
 */
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { databaseTargets, onceSkip, ROUTES_THROUGH_THE_STORE } from '../support/databases.js'
import { enqueue, expectJson, expectProblem, pollUntil } from '../support/http.js'
import type { TestService } from '../support/service.js'
import { suiteService } from '../support/suiteService.js'

interface StopRecord {
  kind: string
  finishedAt: string | null
  released: string[]
  interrupted: string[]
  abandoned: string[]
}

interface Status {
  state: string
  runningJobs: number
  runningJobIds: string[]
  instanceId: string
  lastStop: StopRecord | null
}

interface DrainAnswer {
  state: string
  runningJobs: number
  runningJobIds: string[]
  lastStop: StopRecord | null
}

for (const target of databaseTargets()) {
  describe(`/v1/admin (${target.name})`, { skip: onceSkip(target, ROUTES_THROUGH_THE_STORE) }, () => {
    let service: TestService

    suiteService(target, (started) => (service = started))

    it('needs a token with the admin scope', async () => {
      for (const [method, path] of [
        ['POST', '/v1/admin/drain'],
        ['POST', '/v1/admin/resume'],
        ['GET', '/v1/admin/status'],
      ] as const) {
        await expectProblem(await service.request(path, { method, token: null }), 401, 'unauthorized')
        await expectProblem(
          await service.request(path, { method, scopes: ['jobs:read', 'jobs:write'] }),
          403,
          'insufficient-scope',
        )
      }
      assert.equal(service.lifecycle.state, 'running')
    })

    it('status while running', async () => {
      const status = await expectJson<Status>(await service.request('/v1/admin/status'), 200)
      assert.equal(status.state, 'running')
      assert.equal(status.instanceId, service.runner.instanceId)
      // Resuming a running instance changes nothing.
      assert.deepEqual(await expectJson(await service.request('/v1/admin/resume', { method: 'POST' }), 200), {
        state: 'running',
      })
    })

    it('drain → drained (job routes and /readyz 503, admin answers) → resume, and the job finishes from its checkpoint', async () => {
      const counter = await enqueue(service, { type: 'count', payload: { to: 30, stepMs: 50 } })
      // Past its first step, so that the checkpoint it leaves holds a cursor above zero.
      await pollUntil(service, counter.id, (job) => job.state === 'running' && (job.progress?.fraction ?? 0) > 0)

      const drained = service.lifecycle.events.waitFor('lifecycle:state', ({ state }) => state === 'drained')
      const drain = await expectJson<DrainAnswer>(await service.request('/v1/admin/drain', { method: 'POST' }), 202)
      assert.equal(drain.state, 'draining')
      assert.equal(drain.runningJobs, 1)
      await drained
      const status = await expectJson<Status>(await service.request('/v1/admin/status'), 200)
      assert.equal(status.state, 'drained')
      assert.equal(status.runningJobs, 0)
      assert.deepEqual(status.runningJobIds, [])
      // The report names the job the drain interrupted.
      assert.equal(status.lastStop?.kind, 'drain')
      assert.deepEqual(status.lastStop?.interrupted, [counter.id])
      assert.ok(status.lastStop?.finishedAt)
      // A second drain is answered the same way, and changes nothing.
      const again = await expectJson<DrainAnswer>(await service.request('/v1/admin/drain', { method: 'POST' }), 202)
      assert.equal(again.state, 'drained')
      assert.equal(again.runningJobs, 0)

      for (const [method, path] of [
        ['POST', '/v1/jobs'],
        ['POST', '/v1/jobs/batch'],
        ['GET', '/v1/jobs'],
        ['GET', `/v1/jobs/${counter.id}`],
        ['POST', `/v1/jobs/${counter.id}/cancel`],
        ['GET', '/v1/events'],
        ['GET', '/v1/bulk-actions/1'],
        ['GET', '/v1/schedules'],
      ] as const) {
        const response = await service.request(path, {
          method,
          ...(method === 'POST' ? { body: '{"type":"echo"}' } : {}),
        })
        await expectProblem(response, 503, 'draining')
        assert.match(response.headers.get('retry-after') ?? '', /^[0-9]+$/, `${method} ${path}`)
      }
      // What the README lists as answering through a drain, beside the admin routes.
      await expectJson(await service.request('/v1/webhooks'), 200)
      await expectJson(await service.request('/v1/job-types'), 200)
      const ready = await service.request('/readyz', { token: null })
      await expectProblem(ready, 503)
      assert.match(ready.headers.get('retry-after') ?? '', /^[0-9]+$/)
      await expectJson(await service.request('/livez', { token: null }), 200)

      // The drain put the job back in the queue with its checkpoint.
      const requeued = await service.jobs.get({ id: counter.id, owner: undefined })
      assert.equal(requeued?.state, 'queued')
      assert.equal(requeued?.interruptions, 1)
      const cursor = (requeued?.checkpoint as { cursor: number } | null)?.cursor ?? 0
      assert.ok(cursor > 0, JSON.stringify(requeued?.checkpoint))

      assert.deepEqual(await expectJson(await service.request('/v1/admin/resume', { method: 'POST' }), 200), {
        state: 'running',
      })
      assert.equal((await expectJson<Status>(await service.request('/v1/admin/status'), 200)).state, 'running')
      await expectJson(await service.request('/readyz', { token: null }), 200)
      const done = await pollUntil(service, counter.id, (job) => job.state === 'succeeded')
      const result = done.result as { counted: number; resumedFrom: number; runs: number }
      assert.equal(result.counted, 30)
      assert.equal(result.resumedFrom, cursor)
      assert.equal(result.runs, 2)
      await expectJson(await service.request('/v1/jobs', { method: 'POST', body: '{"type":"echo"}' }), 202)
    })

    it('drain?wait answers once drained (200), with the report of the drain', async () => {
      const counter = await enqueue(service, { type: 'count', payload: { to: 200, stepMs: 50 } })
      await pollUntil(service, counter.id, (job) => job.state === 'running')
      const drained = await expectJson<DrainAnswer>(
        await service.request('/v1/admin/drain?wait=20', { method: 'POST' }),
        200,
      )
      assert.equal(drained.state, 'drained')
      assert.equal(drained.runningJobs, 0)
      assert.equal(drained.lastStop?.kind, 'drain')
      assert.deepEqual(drained.lastStop?.interrupted, [counter.id])
      assert.deepEqual(drained.lastStop?.abandoned, [])
      await expectProblem(
        await service.request('/v1/admin/drain?wait=61', { method: 'POST' }),
        400,
        'invalid-parameter',
      )
      await expectJson(await service.request('/v1/admin/resume', { method: 'POST' }), 200)
      await service.jobs.cancel({ id: counter.id, owner: undefined })
    })

    it('drain?wait answers at the deadline (202) with the jobs still running', async () => {
      // A job that ignores its token holds the drain until the grace deadline (the test service's grace).
      const stubborn = await enqueue(service, { type: 'stubborn', payload: { to: 140, stepMs: 50 } })
      await pollUntil(service, stubborn.id, (job) => job.state === 'running')
      const answer = await expectJson<DrainAnswer>(
        await service.request('/v1/admin/drain?wait=1', { method: 'POST' }),
        202,
      )
      assert.equal(answer.state, 'draining')
      assert.deepEqual(answer.runningJobIds, [stubborn.id])
      // The report is the drain under way: not finished yet.
      assert.equal(answer.lastStop?.finishedAt, null)
      await service.lifecycle.events.waitFor('lifecycle:state', ({ state }) => state === 'drained')
      const status = await expectJson<Status>(await service.request('/v1/admin/status'), 200)
      assert.deepEqual(status.lastStop?.abandoned, [stubborn.id])
      await expectJson(await service.request('/v1/admin/resume', { method: 'POST' }), 200)
    })
  })
}
