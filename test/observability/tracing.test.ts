/**
 * OpenTelemetry through @opentelemetry/api, recorded here by the SDK's in-memory exporter, on each
 * database: an enqueue's `traceparent` is stored with the job; its first `job.run` span is a child
 * of the enqueue's server span (itself a child of the caller's span), with the job's type, queue,
 * attempt and id; a retry and a resume after a drain start traces of their own that link to it; an
 * enqueue without a caller trace (or with a malformed one) is a root span its job's run joins.
 */
import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { beforeEach, describe, it } from 'node:test'
import { SpanKind, SpanStatusCode, trace } from '@opentelemetry/api'
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
  type ReadableSpan,
} from '@opentelemetry/sdk-trace-base'
import { databaseTargets, onceSkip } from '../support/databases.js'
import { enqueue, expectJson, pollUntil } from '../support/http.js'
import type { TestService } from '../support/service.js'
import { suiteService } from '../support/suiteService.js'

const exporter = new InMemorySpanExporter()
trace.setGlobalTracerProvider(new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] }))

function callerTrace(): { traceId: string; spanId: string; header: string } {
  const traceId = randomBytes(16).toString('hex')
  const spanId = randomBytes(8).toString('hex')
  return { traceId, spanId, header: `00-${traceId}-${spanId}-01` }
}

const runSpans = (jobId: string): ReadableSpan[] =>
  exporter.getFinishedSpans().filter((s) => s.name === 'job.run' && s.attributes['job.id'] === jobId)

for (const target of databaseTargets()) {
  describe(`tracing (${target.name})`, { skip: onceSkip(target, 'spans around the store, not in it') }, () => {
    let service: TestService

    suiteService(target, (started) => (service = started))
    beforeEach(() => exporter.reset())

    it("runs a job's first run as a child of its enqueue's server span", async () => {
      const caller = callerTrace()
      const job = await enqueue(
        service,
        { type: 'echo', payload: { n: 1 } },
        { headers: { traceparent: caller.header } },
      )
      await pollUntil(service, job.id, (j) => j.state === 'succeeded')
      const server = exporter.getFinishedSpans().find((s) => s.name === 'POST /v1/jobs')
      assert.ok(server, 'a server span named by its route')
      assert.equal(server.kind, SpanKind.SERVER)
      assert.equal(server.spanContext().traceId, caller.traceId)
      assert.equal(server.parentSpanContext?.spanId, caller.spanId)
      assert.equal(server.attributes['http.route'], '/v1/jobs')
      assert.equal(server.attributes['http.response.status_code'], 202)

      const [run] = runSpans(job.id)
      assert.ok(run)
      assert.equal(run.spanContext().traceId, caller.traceId)
      assert.equal(run.parentSpanContext?.spanId, server.spanContext().spanId)
      assert.deepEqual(
        { ...run.attributes },
        { 'job.id': job.id, 'job.type': 'echo', 'job.queue': 'default', 'job.attempt': 1, 'job.interruptions': 0 },
      )
      assert.equal(run.links.length, 0)
    })

    it('links a retry to the enqueue, in a trace of its own', async () => {
      const caller = callerTrace()
      const job = await enqueue(
        service,
        { type: 'flaky', payload: { failTimes: 1 } },
        { headers: { traceparent: caller.header } },
      )
      await pollUntil(service, job.id, (j) => j.state === 'succeeded')
      const [first, second] = runSpans(job.id).sort(
        (a, b) => Number(a.attributes['job.attempt']) - Number(b.attributes['job.attempt']),
      )
      assert.ok(first && second)
      assert.equal(first.spanContext().traceId, caller.traceId)
      assert.equal(first.status.code, SpanStatusCode.ERROR)
      assert.equal(second.attributes['job.attempt'], 2)
      assert.notEqual(second.spanContext().traceId, caller.traceId)
      assert.equal(second.parentSpanContext, undefined)
      assert.equal(second.links.length, 1)
      assert.equal(second.links[0]!.context.traceId, caller.traceId)
      assert.equal(second.links[0]!.context.spanId, first.parentSpanContext?.spanId, 'the enqueue span')
    })

    it('links a run resumed after a drain', async () => {
      const caller = callerTrace()
      const job = await enqueue(
        service,
        { type: 'count', payload: { to: 200, stepMs: 20 } },
        { headers: { traceparent: caller.header } },
      )
      await pollUntil(service, job.id, (j) => ((j.checkpoint as { cursor?: number } | null)?.cursor ?? 0) >= 2)
      await service.lifecycle.drain('test')
      await service.lifecycle.resume('test')
      await pollUntil(service, job.id, (j) => j.state === 'running' && j.interruptions === 1)
      const cancelled = await service.request(`/v1/jobs/${job.id}/cancel`, { method: 'POST' })
      assert.ok(cancelled.status === 200 || cancelled.status === 202)
      await pollUntil(service, job.id, (j) => j.state === 'cancelled')
      const [first, resumed] = runSpans(job.id).sort(
        (a, b) => Number(a.attributes['job.interruptions']) - Number(b.attributes['job.interruptions']),
      )
      assert.ok(first && resumed, 'two runs')
      assert.equal(first.attributes['job.abort_reason'], 'shutdown')
      assert.equal(first.status.code, SpanStatusCode.UNSET, 'an interruption is not an error')
      assert.equal(resumed.attributes['job.interruptions'], 1)
      assert.equal(resumed.attributes['job.attempt'], 1)
      assert.equal(resumed.links[0]?.context.traceId, caller.traceId)
    })

    it('without a caller trace, joins the enqueue span, a root; a batch stores its trace for every job', async () => {
      const plain = await enqueue(service, { type: 'echo' })
      const malformed = await enqueue(service, { type: 'echo' }, { headers: { traceparent: '00-zz-bad-01' } })
      const caller = callerTrace()
      const batch = await expectJson<{ jobs: { id: string }[] }>(
        await service.request('/v1/jobs/batch', {
          method: 'POST',
          headers: { traceparent: caller.header },
          body: JSON.stringify({ jobs: [{ type: 'echo' }, { type: 'echo' }] }),
        }),
        202,
      )
      for (const id of [plain.id, malformed.id, ...batch.jobs.map((j) => j.id)]) {
        await pollUntil(service, id, (j) => j.state === 'succeeded')
      }
      const enqueues = exporter.getFinishedSpans().filter((s) => s.name === 'POST /v1/jobs')
      assert.equal(enqueues.length, 2)
      for (const span of enqueues) assert.equal(span.parentSpanContext, undefined, 'no caller: a root span')
      for (const id of [plain.id, malformed.id]) {
        const [run] = runSpans(id)
        const parent = enqueues.find((s) => s.spanContext().spanId === run?.parentSpanContext?.spanId)
        assert.ok(parent, `job ${id} ran as a child of its enqueue`)
      }
      const batchSpan = exporter.getFinishedSpans().find((s) => s.name === 'POST /v1/jobs/batch')
      for (const { id } of batch.jobs) {
        const [run] = runSpans(id)
        assert.equal(run?.spanContext().traceId, caller.traceId)
        assert.equal(run?.parentSpanContext?.spanId, batchSpan?.spanContext().spanId)
      }
    })
  })
}
