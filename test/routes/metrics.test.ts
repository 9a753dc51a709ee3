/**
 * /metrics against a real service on each database: who may scrape, and that every family moves
 * when the thing it counts happens (enqueue, start, success, failure, retry, cancel, interruption,
 * checkpoint pause, expiry, lease recovery, checkpoint writes, HTTP requests by route pattern), plus
 * the access log lines.
 */
import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import { afterEach, describe, it } from 'node:test'
import { databaseTargets, onceSkip, ROUTES_THROUGH_THE_STORE } from '../support/databases.js'
import { pollUntil } from '../support/http.js'
import { parseMetrics, valueOf, type Sample } from '../support/prometheus.js'
import type { TestService } from '../support/service.js'
import { suiteService } from '../support/suiteService.js'

for (const target of databaseTargets()) {
  describe(`/metrics on ${target.name}`, { skip: onceSkip(target, ROUTES_THROUGH_THE_STORE) }, () => {
    let service: TestService

    suiteService(target, (started) => (service = started), { QUEUES: 'default,reports' })

    async function scrape(): Promise<Sample[]> {
      const response = await service.request('/metrics', { scopes: ['admin'] })
      assert.equal(response.status, 200)
      assert.match(response.headers.get('content-type') ?? '', /^text\/plain; version=0\.0\.4/)
      return parseMetrics(await response.text())
    }

    async function enqueue(body: Record<string, unknown>): Promise<{ id: string }> {
      const response = await service.request('/v1/jobs', { method: 'POST', body: JSON.stringify(body) })
      assert.equal(response.status, 202, await response.clone().text())
      return (await response.json()) as { id: string }
    }

    it('answers only an admin token', async () => {
      const anonymous = await service.request('/metrics', { token: null })
      assert.equal(anonymous.status, 401)
      assert.match(anonymous.headers.get('www-authenticate') ?? '', /^Bearer /)
      const reader = await service.request('/metrics', { scopes: ['jobs:read', 'jobs:write'] })
      assert.equal(reader.status, 403)
      assert.match(reader.headers.get('www-authenticate') ?? '', /insufficient_scope/)
    })

    it('counts jobs through their lives and reads queue depth at scrape time', async () => {
      const succeeded = service.runner.events.waitFor(
        'job:settled',
        (e) => e.job.type === 'echo' && e.outcome === 'succeeded',
      )
      const failed = service.runner.events.waitFor(
        'job:settled',
        (e) => e.job.type === 'flaky' && e.outcome === 'failed',
      )
      await enqueue({ type: 'echo', payload: { hello: 'metrics' } })
      await enqueue({ type: 'flaky', payload: { failTimes: 3 }, maxAttempts: 1 })
      await Promise.all([succeeded, failed])
      // A queued job cancelled at once counts as cancelled too.
      const later = await enqueue({
        type: 'echo',
        queue: 'reports',
        runAt: new Date(Date.now() + 3600_000).toISOString(),
      })
      assert.equal((await service.request(`/v1/jobs/${later.id}/cancel`, { method: 'POST' })).status, 200)
      const waiting = await enqueue({
        type: 'echo',
        queue: 'reports',
        runAt: new Date(Date.now() + 3600_000).toISOString(),
      })

      const samples = await scrape()
      const echo = { type: 'echo', queue: 'default' }
      assert.equal(valueOf(samples, 'job_runner_jobs_enqueued_total', echo), 1)
      assert.equal(valueOf(samples, 'job_runner_jobs_enqueued_total', { type: 'echo', queue: 'reports' }), 2)
      assert.equal(valueOf(samples, 'job_runner_jobs_started_total', echo), 1)
      assert.equal(valueOf(samples, 'job_runner_jobs_succeeded_total', echo), 1)
      assert.equal(valueOf(samples, 'job_runner_jobs_failed_total', { type: 'flaky', queue: 'default' }), 1)
      assert.equal(valueOf(samples, 'job_runner_jobs_cancelled_total', { type: 'echo', queue: 'reports' }), 1)
      assert.equal(valueOf(samples, 'job_runner_job_run_duration_seconds_count', { ...echo, outcome: 'succeeded' }), 1)
      assert.equal(valueOf(samples, 'job_runner_job_queue_wait_seconds_count', echo), 1)
      assert.equal(valueOf(samples, 'job_runner_queue_jobs', { queue: 'default', state: 'succeeded' }), 1)
      assert.equal(valueOf(samples, 'job_runner_queue_jobs', { queue: 'default', state: 'failed' }), 1)
      assert.equal(valueOf(samples, 'job_runner_queue_jobs', { queue: 'reports', state: 'cancelled' }), 1)
      assert.equal(
        valueOf(samples, 'job_runner_queue_jobs', { queue: 'reports', state: 'queued' }),
        1,
        `job ${waiting.id} waits`,
      )
      assert.equal(
        valueOf(samples, 'job_runner_queue_jobs', { queue: 'reports', state: 'running' }),
        0,
        'a served queue shows every state',
      )
      assert.equal(valueOf(samples, 'job_runner_database_up'), 1)
      assert.equal(valueOf(samples, 'job_runner_running_jobs'), 0)
      assert.equal(valueOf(samples, 'job_runner_lifecycle_state', { state: 'running' }), 1)
      assert.equal(valueOf(samples, 'job_runner_lifecycle_state', { state: 'draining' }), 0)
      assert.ok((valueOf(samples, 'process_resident_memory_bytes') ?? 0) > 0, 'process metrics are there')
    })

    it('labels HTTP requests with the route pattern, never the raw path', async () => {
      const job = await enqueue({ type: 'echo' })
      assert.equal((await service.request(`/v1/jobs/${job.id}`)).status, 200)
      assert.equal((await service.request('/v1/jobs/999999999')).status, 404)
      assert.equal((await service.request(`/no/such/path/${randomUUID()}`)).status, 404)
      const samples = await scrape()
      const http = samples.filter((s) => s.name === 'job_runner_http_requests_total')
      assert.ok(
        (valueOf(samples, 'job_runner_http_requests_total', { method: 'POST', route: '/v1/jobs', status: '202' }) ??
          0) >= 1,
      )
      assert.ok(
        (valueOf(samples, 'job_runner_http_requests_total', { method: 'GET', route: '/v1/jobs/:id', status: '200' }) ??
          0) >= 1,
      )
      assert.ok(
        (valueOf(samples, 'job_runner_http_requests_total', { method: 'GET', route: '/v1/jobs/:id', status: '404' }) ??
          0) >= 1,
      )
      assert.ok(
        (valueOf(samples, 'job_runner_http_requests_total', { method: 'GET', route: 'unmatched', status: '404' }) ??
          0) >= 1,
      )
      assert.ok(
        (valueOf(samples, 'job_runner_http_request_duration_seconds_count', {
          method: 'GET',
          route: '/v1/jobs/:id',
          status: '200',
        }) ?? 0) >= 1,
      )
      for (const sample of http)
        assert.doesNotMatch(sample.labels.route!, /[0-9]{3,}|no\/such/, `raw path in a label: ${sample.labels.route}`)
    })

    it('counts checkpoint writes, interruptions by a drain, and the lifecycle state', async () => {
      const checkpointed = service.runner.events.waitFor('job:checkpoint')
      const job = await enqueue({ type: 'count', payload: { to: 100_000, stepMs: 20 } })
      await checkpointed
      const interrupted = service.runner.events.waitFor(
        'job:settled',
        (e) => e.job.id === job.id && e.outcome === 'interrupted',
      )
      const drained = service.lifecycle.events.waitFor('lifecycle:state', (e) => e.state === 'drained')
      assert.equal((await service.request('/v1/admin/drain', { method: 'POST', scopes: ['admin'] })).status, 202)
      await Promise.all([interrupted, drained])

      const samples = await scrape()
      assert.ok((valueOf(samples, 'job_runner_checkpoint_writes_total') ?? 0) >= 1)
      assert.equal(valueOf(samples, 'job_runner_jobs_interrupted_total', { type: 'count', queue: 'default' }), 1)
      assert.equal(valueOf(samples, 'job_runner_lifecycle_state', { state: 'drained' }), 1)
      assert.equal(valueOf(samples, 'job_runner_lifecycle_state', { state: 'running' }), 0)

      assert.equal((await service.request('/v1/admin/resume', { method: 'POST', scopes: ['admin'] })).status, 200)
      // Resumed, it picks the job up again from its checkpoint; cancel it so the suite ends quickly.
      await service.runner.events.waitFor('job:start', (e) => e.job.id === job.id)
      const cancelled = service.runner.events.waitFor('job:settled', (e) => e.job.id === job.id)
      await service.request(`/v1/jobs/${job.id}/cancel`, { method: 'POST' })
      assert.equal((await cancelled).outcome, 'cancelled')
    })

    it('counts a failed attempt with attempts left as retried, not failed, by type and queue', async () => {
      const isFlaky = (e: { job: { type: string; queue: string } }) =>
        e.job.type === 'flaky' && e.job.queue === 'reports'
      const retried = service.runner.events.waitFor('job:settled', (e) => isFlaky(e) && e.outcome === 'retry')
      const succeeded = service.runner.events.waitFor('job:settled', (e) => isFlaky(e) && e.outcome === 'succeeded')
      const job = await enqueue({ type: 'flaky', queue: 'reports', payload: { failTimes: 1 }, maxAttempts: 2 })
      assert.equal((await retried).job.id, job.id)
      await succeeded

      const samples = await scrape()
      const flaky = { type: 'flaky', queue: 'reports' }
      assert.equal(valueOf(samples, 'job_runner_jobs_retried_total', flaky), 1)
      assert.equal(
        valueOf(samples, 'job_runner_jobs_failed_total', flaky),
        undefined,
        'a retried attempt is no failure',
      )
      assert.equal(valueOf(samples, 'job_runner_jobs_started_total', flaky), 2)
      assert.equal(valueOf(samples, 'job_runner_jobs_succeeded_total', flaky), 1)
    })

    it('counts a run stopped by a checkpoint pause as paused, and a job kept past its deadline as expired, by type and queue', async () => {
      const started = service.runner.events.waitFor(
        'job:start',
        (e) => e.job.type === 'count' && e.job.queue === 'reports',
      )
      const counter = await enqueue({ type: 'count', queue: 'reports', payload: { to: 100_000, stepMs: 20 } })
      await started
      const stopped = service.runner.events.waitFor('job:settled', (e) => e.job.id === counter.id)
      const pause = { method: 'POST', body: JSON.stringify({ mode: 'checkpoint' }), scopes: ['admin' as const] }
      try {
        assert.equal((await service.request('/v1/admin/queues/reports/pause', pause)).status, 200)
        assert.equal((await stopped).outcome, 'paused')
        // The paused queue is what keeps this job from starting by its deadline.
        const expired = service.runner.events.waitFor('jobs:expired', (e) => e.jobs.length > 0)
        const late = await enqueue({ type: 'echo', queue: 'reports', ttlSeconds: 0.2 })
        assert.deepEqual(
          (await expired).jobs.map((j) => j.id),
          [late.id],
        )

        const samples = await scrape()
        assert.equal(valueOf(samples, 'job_runner_jobs_paused_total', { type: 'count', queue: 'reports' }), 1)
        assert.equal(valueOf(samples, 'job_runner_jobs_expired_total', { type: 'echo', queue: 'reports' }), 1)
        assert.equal(valueOf(samples, 'job_runner_queue_jobs', { queue: 'reports', state: 'expired' }), 1)
      } finally {
        // Cancelled while its queue holds it, so that the resume starts nothing of this test's.
        await service.request(`/v1/jobs/${counter.id}/cancel`, { method: 'POST' })
        await pollUntil(service, counter.id, (job) => job.state === 'cancelled')
        await service.request('/v1/admin/queues/reports/resume', { method: 'POST', scopes: ['admin'] })
      }
    })

    it('counts jobs recovered from a lost instance by type and queue', async () => {
      // A job of a queue this instance does not serve, claimed by an instance that then "dies".
      const job = await enqueue({ type: 'echo', queue: 'elsewhere' })
      const recovered = service.runner.events.waitFor('leases:recovered', (e) => e.ids.includes(job.id))
      const [claimed] = await service.store.claimJobs({
        instanceId: randomUUID(),
        queues: ['elsewhere'],
        limit: 1,
        leaseMs: 1,
      })
      assert.equal(claimed?.id, job.id)
      await recovered
      // The counter is labelled after a read of the job's type and queue: poll the scrape briefly.
      const deadline = Date.now() + 10_000
      let count: number | undefined
      // `elsewhere` is declared by no job type nor QUEUES: its jobs count under `other`.
      while (
        (count = valueOf(await scrape(), 'job_runner_jobs_recovered_total', { type: 'echo', queue: 'other' })) ===
          undefined &&
        Date.now() < deadline
      ) {
        await new Promise((resolve) => setTimeout(resolve, 50))
      }
      assert.equal(count, 1)
    })

    it('writes one access-log line per request with the request id, probes at debug', async () => {
      const requestId = `test-${randomUUID()}`
      const response = await service.request('/v1/jobs?limit=1', { headers: { 'x-request-id': requestId } })
      assert.equal(response.headers.get('x-request-id'), requestId)
      await service.request('/livez', { token: null })
      const records = service.logs.records()
      const line = records.find((r) => r.requestId === requestId && r.route === '/v1/jobs')
      assert.ok(line, 'an access-log line carries the request id')
      assert.equal(line.level, 30)
      assert.equal(line.method, 'GET')
      assert.equal(line.status, 200)
      assert.equal(typeof line.ms, 'number')
      const probe = records.findLast((r) => r.route === '/livez')
      assert.equal(probe?.level, 20, '/livez logs at debug')
    })

    it('takes no label value from clients: 10,000 queue names and an odd method add no series', async () => {
      const names = Array.from({ length: 10_000 }, (_, i) => `client-queue-${i}-${randomUUID().slice(0, 8)}`)
      for (let start = 0; start < names.length; start += 1000) {
        const jobs = names.slice(start, start + 1000).map((queue) => ({ type: 'echo', queue }))
        const response = await service.request('/v1/jobs/batch', { method: 'POST', body: JSON.stringify({ jobs }) })
        assert.equal(response.status, 202, await response.clone().text())
      }
      // Node's parser takes registered methods beyond the standard ones; none may become a label.
      await service.request('/v1/jobs', { method: 'PROPFIND' })
      const samples = await scrape()
      const queues = new Set(samples.filter((s) => 'queue' in s.labels).map((s) => s.labels.queue))
      assert.deepEqual([...queues].sort(), ['default', 'other', 'reports'], 'only the declared queues and other')
      const methods = new Set(samples.filter((s) => 'method' in s.labels).map((s) => s.labels.method))
      assert.ok(!methods.has('PROPFIND') && methods.has('other'), [...methods].join(', '))
      assert.ok((valueOf(samples, 'job_runner_queue_jobs', { queue: 'other', state: 'queued' }) ?? 0) >= 10_000)
      assert.ok((valueOf(samples, 'job_runner_jobs_enqueued_total', { queue: 'other', type: 'echo' }) ?? 0) >= 10_000)
      const series = samples.filter((s) => s.name.startsWith('job_runner_')).length
      assert.ok(series < 1000, `${series} job_runner_ series`)
    })

    afterEach(() => {
      // A failing test must not leave the service drained for the next one.
      if (service && service.lifecycle.state !== 'running' && !service.lifecycle.isShuttingDown())
        return service.lifecycle.resume('test cleanup').then(() => {})
    })
  })
}
