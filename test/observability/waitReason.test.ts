/**
 * A queued job says why it waits (`waitReason`), and `GET /v1/admin/queues` says which queues a
 * live instance serves, on each database: a job in a queue no instance serves is `no-instance`
 * from its enqueue answer on, a future `runAt` is `scheduled`, an instance that registers (or whose
 * heartbeat goes stale) changes the answer within the served-queues cache's couple of seconds, and
 * the overview stays bounded whatever queue names clients send.
 */
import assert from 'node:assert/strict'
import os from 'node:os'
import { randomUUID } from 'node:crypto'
import { describe, it } from 'node:test'
import { databaseTargets, onceSkip, ROUTES_THROUGH_THE_STORE } from '../support/databases.js'
import { enqueue, expectJson, expectProblem, pollUntil, type ApiJob } from '../support/http.js'
import type { TestService } from '../support/service.js'
import { suiteService } from '../support/suiteService.js'

interface QueueSummary {
  queue: string
  declared: boolean
  served: boolean
  instances: number
  paused: boolean
  counts: Record<string, number>
  scheduled: number
}
interface QueueOverview {
  queues: QueueSummary[]
  otherQueues: { queues: number; counts: Record<string, number>; scheduled: number } | null
}

const inHours = (hours: number) => new Date(Date.now() + hours * 3600_000).toISOString()

for (const target of databaseTargets()) {
  describe(
    `waitReason and /v1/admin/queues (${target.name})`,
    { skip: onceSkip(target, ROUTES_THROUGH_THE_STORE) },
    () => {
      let service: TestService

      suiteService(target, (started) => (service = started), {
        QUEUES: 'default,reports',
        CONCURRENCY: '1',
        LOCAL_QUEUE_SIZE: '0',
        RETRY_BASE_MS: '3600000',
      })

      const read = async (id: string) => expectJson(await service.request(`/v1/jobs/${id}`), 200)
      const overview = async () => expectJson<QueueOverview>(await service.request('/v1/admin/queues'), 200)
      /** Reads until `done`: the served-queues cache answers for up to two seconds. */
      async function readUntil(id: string, done: (job: ApiJob) => boolean): Promise<ApiJob> {
        const deadline = Date.now() + 10_000
        for (;;) {
          const job = await read(id)
          if (done(job) || Date.now() > deadline) return job
          await new Promise((resolve) => setTimeout(resolve, 100))
        }
      }

      it('says no-instance from the enqueue answer on, for a queue no instance serves', async () => {
        const job = await enqueue(service, { type: 'echo', queue: 'nobody-serves-this' })
        assert.equal(job.state, 'queued')
        assert.equal(job.waitReason, 'no-instance')
        assert.equal((await read(job.id)).waitReason, 'no-instance')
        // Also in a batch and in a list.
        const batch = await expectJson<{ jobs: ApiJob[] }>(
          await service.request('/v1/jobs/batch', {
            method: 'POST',
            body: JSON.stringify({ jobs: [{ type: 'echo', queue: 'nobody-serves-this' }] }),
          }),
          202,
        )
        assert.equal(batch.jobs[0]!.waitReason, 'no-instance')
        const list = await expectJson<{ jobs: ApiJob[] }>(
          await service.request('/v1/jobs?queue=nobody-serves-this'),
          200,
        )
        assert.deepEqual(
          list.jobs.map((j) => j.waitReason),
          ['no-instance', 'no-instance'],
        )
      })

      it('says scheduled for a future runAt, and null once the job is not queued', async () => {
        const later = await enqueue(service, { type: 'echo', runAt: inHours(3) })
        assert.equal(later.waitReason, 'scheduled')
        // No instance outranks a schedule: the job would not run when due either.
        const nowhereLater = await enqueue(service, { type: 'echo', queue: 'nobody-serves-this', runAt: inHours(3) })
        assert.equal(nowhereLater.waitReason, 'no-instance')
        const done = await enqueue(service, { type: 'echo', payload: { n: 1 } })
        const finished = await pollUntil(service, done.id, (job) => job.state === 'succeeded')
        assert.equal(finished.waitReason, null)
        const cancelled = await expectJson(
          await service.request(`/v1/jobs/${later.id}/cancel`, { method: 'POST' }),
          200,
        )
        assert.equal(cancelled.waitReason, null)
      })

      it('says null for a ready job that waits only for a free slot', async () => {
        const busy = await enqueue(service, { type: 'sleep', payload: { ms: 60_000 } })
        await pollUntil(service, busy.id, (job) => job.state === 'running')
        // With an idempotency key, so that it is queued: a plain one may be started where it is
        // accepted, into the local queue, when the runner has room there.
        const ready = await enqueue(service, { type: 'echo' }, { headers: { 'idempotency-key': 'ready-1' } })
        assert.equal(ready.state, 'queued')
        assert.equal(ready.waitReason, null)
        await service.request(`/v1/jobs/${busy.id}/cancel`, { method: 'POST' })
        await pollUntil(service, ready.id, (job) => job.state === 'succeeded')
      })

      it('lists scheduled jobs (future runAt, retries included) with ?scheduled=true', async () => {
        const scheduled = await enqueue(service, { type: 'echo', runAt: inHours(5) })
        const retrying = await enqueue(service, { type: 'flaky', payload: { failTimes: 1 }, maxAttempts: 2 })
        const ready = await enqueue(service, { type: 'echo' })
        await pollUntil(service, ready.id, (job) => job.state === 'succeeded')
        const list = await expectJson<{ jobs: ApiJob[] }>(await service.request('/v1/jobs?scheduled=true'), 200)
        const ids = list.jobs.map((j) => j.id)
        assert.ok(ids.includes(scheduled.id), 'the scheduled job is listed')
        assert.ok(!ids.includes(ready.id), 'a finished job is not')
        for (const job of list.jobs)
          assert.ok(job.state === 'queued' && Date.parse(job.runAt as string) > Date.now() - 1000, JSON.stringify(job))
        // The failed attempt waits out an hour of backoff (RETRY_BASE_MS): scheduled too.
        const retry = await pollUntil(service, retrying.id, (job) => job.state === 'queued' && job.attempts === 1)
        assert.equal(retry.waitReason, 'scheduled')
        const again = await expectJson<{ jobs: ApiJob[] }>(await service.request('/v1/jobs?scheduled=true'), 200)
        assert.deepEqual(
          again.jobs
            .map((j) => j.id)
            .filter((id) => id === retrying.id || id === scheduled.id)
            .sort(),
          [retrying.id, scheduled.id].sort(),
        )
        await expectProblem(await service.request('/v1/jobs?scheduled=false'), 400, 'invalid-parameter')
      })

      it('follows instances as they come and go: a registration serves a queue, a stale heartbeat does not', async () => {
        const job = await enqueue(service, { type: 'echo', queue: 'served-later', runAt: inHours(1) })
        assert.equal(job.waitReason, 'no-instance')
        const instanceId = randomUUID()
        await service.store.registerInstance({
          id: instanceId,
          hostname: os.hostname(),
          pid: process.pid,
          queues: ['served-later'],
        })
        assert.equal((await readUntil(job.id, (j) => j.waitReason !== 'no-instance')).waitReason, 'scheduled')
        let queue = (await overview()).queues.find((q) => q.queue === 'served-later')
        assert.deepEqual(queue && { served: queue.served, instances: queue.instances, declared: queue.declared }, {
          served: true,
          instances: 1,
          declared: false,
        })
        // Its heartbeat stops: after a lease it is not live, whether or not the sweeper has pruned it yet.
        await service.db
          .sql`update job_runner.job_runner_instances set heartbeat_at = now() - interval '1 hour' where id = ${instanceId}`
        assert.equal((await readUntil(job.id, (j) => j.waitReason === 'no-instance')).waitReason, 'no-instance')
        queue = (await overview()).queues.find((q) => q.queue === 'served-later')
        assert.equal(queue?.served, false)
        await service.store.deregisterInstance({ instanceId })
      })

      it('GET /v1/admin/queues: declared and served queues with counts, served flag and scheduled jobs', async () => {
        await expectProblem(await service.request('/v1/admin/queues', { token: null }), 401)
        await expectProblem(await service.request('/v1/admin/queues', { scopes: ['jobs:read'] }), 403)
        const { queues } = await overview()
        const byName = new Map(queues.map((q) => [q.queue, q]))
        // `reports` is declared by QUEUES and empty; `default` holds finished jobs.
        assert.deepEqual(byName.get('reports'), {
          queue: 'reports',
          declared: true,
          served: true,
          instances: 1,
          paused: false,
          scheduled: 0,
          counts: { queued: 0, running: 0, paused: 0, succeeded: 0, failed: 0, cancelled: 0, expired: 0 },
        })
        assert.ok((byName.get('default')?.counts.succeeded ?? 0) > 0)
        assert.equal(byName.get('default')!.scheduled, 2, 'the job scheduled in 5 h and the retry')
        const unserved = byName.get('nobody-serves-this')!
        assert.deepEqual(
          [unserved.declared, unserved.served, unserved.instances, unserved.counts.queued, unserved.scheduled],
          [false, false, 0, 3, 1],
        )
      })

      it('GET /v1/admin/queues stays bounded: at most 100 undeclared queues, the rest summed', async () => {
        const jobs = Array.from({ length: 250 }, (_, i) => ({
          type: 'echo',
          queue: `spray-${String(i).padStart(3, '0')}`,
          runAt: inHours(1),
        }))
        await expectJson(
          await service.request('/v1/jobs/batch', { method: 'POST', body: JSON.stringify({ jobs }) }),
          202,
        )
        const { queues, otherQueues } = await overview()
        const undeclared = queues.filter((q) => !q.declared && !q.served)
        assert.equal(undeclared.length, 100)
        // Every undeclared queue that existed before the spray holds queued jobs: listed, not summed.
        assert.ok(undeclared.some((q) => q.queue === 'nobody-serves-this'))
        const listedSpray = undeclared.filter((q) => q.queue.startsWith('spray-')).length
        assert.equal(otherQueues?.queues, 250 - listedSpray)
        assert.equal(otherQueues?.counts.queued, 250 - listedSpray)
        assert.equal(otherQueues?.scheduled, 250 - listedSpray)
      })
    },
  )
}
