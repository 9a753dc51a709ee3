/**
 * /v1/jobs over real HTTP, every route and every error row of DESIGN.md: enqueue with Location and
 * idempotency, all-or-nothing batches, status with ETag and long-poll, filtered keyset listing,
 * cancel, the request errors (400, 404, 405, 413, 415, 422, 500) and owner isolation.
 */
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import type { Scope } from '../../src/auth/scopes.js'
import { loadJobRegistry, JobRegistry } from '../../jobs/registry.js'
import { databaseTargets, type TestDatabase } from '../support/databases.js'
import { enqueue, expectJson, expectProblem, pollUntil, type ApiJob } from '../support/http.js'
import { startTestService, type TestService } from '../support/service.js'
import { suiteService } from '../support/suiteService.js'

/** A caller without `admin`: sees only its own jobs. */
const USER: Scope[] = ['jobs:read', 'jobs:write']
const post = (body: unknown, headers: Record<string, string> = {}): RequestInit => ({
  method: 'POST',
  body: JSON.stringify(body),
  headers,
})

interface JobList {
  jobs: ApiJob[]
  nextCursor: string | null
}

for (const target of databaseTargets()) {
  describe(`/v1/jobs routes (${target.name})`, () => {
    let service: TestService

    suiteService(target, (started) => (service = started), { MAX_BODY_BYTES: '2048' })

    const list = async (query: string, init: Parameters<TestService['request']>[1] = {}) =>
      expectJson<JobList>(await service.request(`/v1/jobs?${query}`, init), 200)

    describe('POST /v1/jobs', () => {
      it('202 with the job and a Location that finds it', async () => {
        const response = await service.request(
          '/v1/jobs',
          post({ type: 'echo', payload: { hello: 'world' }, queue: 'nobody', priority: 5, maxAttempts: 2 }),
        )
        const job = await expectJson(response, 202)
        assert.equal(response.headers.get('location'), `/v1/jobs/${job.id}`)
        assert.equal(response.headers.get('idempotent-replayed'), null)
        assert.deepEqual(
          [job.type, job.state, job.queue, job.priority, job.maxAttempts],
          ['echo', 'queued', 'nobody', 5, 2],
        )
        assert.deepEqual(job.payload, { hello: 'world' })
        assert.deepEqual(await expectJson(await service.request(response.headers.get('location')!), 200), job)
        // A media type with parameters is still JSON.
        await expectJson(
          await service.request('/v1/jobs', {
            ...post({ type: 'echo', queue: 'nobody' }),
            headers: { 'content-type': 'application/json; charset=utf-8' },
          }),
          202,
        )
      })

      it('202 running: a job the instance has room for, with no older job waiting, is started where it was accepted', async () => {
        // Queued until the runner's claims have found its queue empty: the first job's own claim, or
        // the one its insert's notice rings after it.
        for (let tries = 1; ; tries++) {
          const job = await expectJson(
            await service.request('/v1/jobs', post({ type: 'echo', payload: { tries } })),
            202,
          )
          const done = await pollUntil(service, job.id, (j) => j.state === 'succeeded')
          assert.equal(done.attempts, 1)
          if (job.state === 'running') {
            assert.equal(job.attempts, 1, 'its attempt counted as a claim counts it')
            assert.equal(job.startedAt, job.createdAt)
            break
          }
          assert.equal(job.state, 'queued')
          assert.ok(tries < 10, 'an enqueue into a drained queue starts at once')
        }
      })

      it('Idempotency-Key: same body replays 200 with the same job; another body is 422; another owner gets its own job', async () => {
        const body = { type: 'echo', payload: { n: 1, m: [1, 2] }, queue: 'nobody' }
        const first = await expectJson(
          await service.request('/v1/jobs', { ...post(body, { 'idempotency-key': 'order-17' }), scopes: USER }),
          202,
        )
        // Key order does not make another body.
        const reordered = { queue: 'nobody', payload: { m: [1, 2], n: 1 }, type: 'echo' }
        const replay = await service.request('/v1/jobs', {
          ...post(reordered, { 'idempotency-key': 'order-17' }),
          scopes: USER,
        })
        const replayed = await expectJson(replay, 200)
        assert.equal(replay.headers.get('idempotent-replayed'), 'true')
        assert.equal(replay.headers.get('location'), `/v1/jobs/${first.id}`)
        assert.equal(replayed.id, first.id)
        const other = await service.request('/v1/jobs', {
          ...post({ ...body, payload: { n: 2 } }, { 'idempotency-key': 'order-17' }),
          scopes: USER,
        })
        await expectProblem(other, 422, 'idempotency-conflict')
        const bobs = await expectJson(
          await service.request('/v1/jobs', {
            ...post(body, { 'idempotency-key': 'order-17' }),
            sub: 'bob',
            scopes: USER,
          }),
          202,
        )
        assert.notEqual(bobs.id, first.id)
        await expectProblem(
          await service.request('/v1/jobs', post(body, { 'idempotency-key': 'k'.repeat(256) })),
          400,
          'invalid-parameter',
        )
      })

      it('422 for a body off the schema, an unknown type, a payload off its job schema, or text PostgreSQL cannot store', async () => {
        const extra = await expectProblem(
          await service.request('/v1/jobs', post({ type: 'echo', colour: 'red' })),
          422,
          'invalid-request',
        )
        assert.ok(
          extra.errors?.some((e) => e.pointer === '/colour'),
          JSON.stringify(extra),
        )
        await expectProblem(
          await service.request('/v1/jobs', post({ type: 'echo', priority: 5000 })),
          422,
          'invalid-request',
        )
        await expectProblem(await service.request('/v1/jobs', post({ payload: {} })), 422, 'invalid-request')
        await expectProblem(await service.request('/v1/jobs', post([])), 422, 'invalid-request')
        const unknown = await expectProblem(
          await service.request('/v1/jobs', post({ type: 'no-such-job' })),
          422,
          'invalid-job',
        )
        assert.match(unknown.detail ?? '', /no-such-job/)
        const payload = await expectProblem(
          await service.request('/v1/jobs', post({ type: 'sleep', payload: { ms: 'long' } })),
          422,
          'invalid-job',
        )
        assert.ok(
          payload.errors?.some((e) => e.pointer === '/ms'),
          JSON.stringify(payload),
        )
        for (const text of [
          '{"type":"echo","payload":{"s":"a\\u0000b"}}',
          '{"type":"echo","payload":{"k\\u0000":1}}',
          '{"type":"echo","payload":"\\ud800"}',
        ]) {
          await expectProblem(await service.request('/v1/jobs', { method: 'POST', body: text }), 422, 'invalid-request')
        }
        await expectProblem(
          await service.request('/v1/jobs', post({ type: 'echo', runAt: '0001-01-01T00:00:00+23:59' })),
          422,
          'invalid-job',
        )
      })

      it('400 for malformed JSON, 415 for another content type, 413 over the body limit (with or without Content-Length)', async () => {
        for (const text of ['{"type":', '', 'nul', '{"type":"echo"}}']) {
          await expectProblem(await service.request('/v1/jobs', { method: 'POST', body: text }), 400, 'invalid-json')
        }
        for (const contentType of [
          'text/plain',
          'application/x-www-form-urlencoded',
          'multipart/form-data; boundary=x',
          'application/jsonp',
        ]) {
          await expectProblem(
            await service.request('/v1/jobs', {
              method: 'POST',
              body: '{"type":"echo"}',
              headers: { 'content-type': contentType },
            }),
            415,
            'unsupported-media-type',
          )
        }
        const big = JSON.stringify({ type: 'echo', payload: 'x'.repeat(4096) })
        await expectProblem(await service.request('/v1/jobs', { method: 'POST', body: big }), 413, 'payload-too-large')
        const chunks = new ReadableStream<Uint8Array>({
          start(controller) {
            for (let i = 0; i < 8; i++)
              controller.enqueue(new TextEncoder().encode(i === 0 ? '{"type":"echo","payload":"' : 'x'.repeat(1000)))
            controller.enqueue(new TextEncoder().encode('"}'))
            controller.close()
          },
        })
        const streamed = await service.request('/v1/jobs', {
          method: 'POST',
          body: chunks,
          duplex: 'half',
        } as RequestInit)
        await expectProblem(streamed, 413, 'payload-too-large')
        // Nothing of the refused bodies was stored.
        const { jobs } = await list('type=echo&limit=100')
        assert.ok(!jobs.some((job) => typeof job.payload === 'string' && job.payload.startsWith('xxx')))
      })
    })

    describe('POST /v1/jobs/batch', () => {
      it('202 with every job in order; replays by idempotencyKey', async () => {
        const body = {
          jobs: [
            { type: 'echo', payload: 1, queue: 'batch-a' },
            { type: 'sleep', payload: { ms: 5 }, queue: 'batch-a', idempotencyKey: 'b-1' },
            { type: 'echo', payload: 3, queue: 'batch-a' },
          ],
        }
        const { jobs } = await expectJson<{ jobs: ApiJob[] }>(await service.request('/v1/jobs/batch', post(body)), 202)
        assert.deepEqual(
          jobs.map((job) => job.payload),
          [1, { ms: 5 }, 3],
        )
        const again = await expectJson<{ jobs: ApiJob[] }>(
          await service.request('/v1/jobs/batch', post({ jobs: [body.jobs[1]] })),
          202,
        )
        assert.equal(again.jobs[0]!.id, jobs[1]!.id)
      })

      it('one bad job refuses the whole batch and stores nothing', async () => {
        const before = (await list('queue=batch-b')).jobs.length
        const bad = {
          jobs: [
            { type: 'echo', queue: 'batch-b' },
            { type: 'sleep', payload: { ms: -1 }, queue: 'batch-b' },
            { type: 'echo', queue: 'batch-b' },
          ],
        }
        const problem = await expectProblem(await service.request('/v1/jobs/batch', post(bad)), 422, 'invalid-job')
        assert.ok(
          problem.errors?.some((e) => e.index === 1),
          JSON.stringify(problem),
        )
        await expectProblem(
          await service.request(
            '/v1/jobs/batch',
            post({
              jobs: [
                { type: 'echo', queue: 'batch-b' },
                { type: 'nope', queue: 'batch-b' },
              ],
            }),
          ),
          422,
          'invalid-job',
        )
        await expectProblem(await service.request('/v1/jobs/batch', post({ jobs: [] })), 422, 'invalid-request')
        // An idempotency conflict in the middle refuses the jobs before it too.
        await expectJson(
          await service.request(
            '/v1/jobs/batch',
            post({ jobs: [{ type: 'echo', queue: 'batch-c', idempotencyKey: 'c-1' }] }),
          ),
          202,
        )
        const conflict = {
          jobs: [
            { type: 'echo', queue: 'batch-b' },
            { type: 'echo', payload: 'other', queue: 'batch-c', idempotencyKey: 'c-1' },
          ],
        }
        await expectProblem(await service.request('/v1/jobs/batch', post(conflict)), 422, 'idempotency-conflict')
        assert.equal((await list('queue=batch-b')).jobs.length, before)
        await expectProblem(
          await service.request('/v1/jobs/batch', { method: 'POST', body: '{"jobs":[' }),
          400,
          'invalid-json',
        )
        await expectProblem(
          await service.request('/v1/jobs/batch', {
            method: 'POST',
            body: '{"jobs":[]}',
            headers: { 'content-type': 'text/plain' },
          }),
          415,
        )
      })
    })

    describe('GET /v1/jobs/{id}', () => {
      it('ETag; If-None-Match with it gives 304, with another tag 200', async () => {
        const job = await enqueue(service, { type: 'echo', queue: 'nobody' })
        const response = await service.request(`/v1/jobs/${job.id}`)
        await expectJson(response, 200)
        const etag = response.headers.get('etag')!
        assert.match(etag, /^"[^"]+"$/)
        const unchanged = await service.request(`/v1/jobs/${job.id}`, { headers: { 'if-none-match': etag } })
        assert.equal(unchanged.status, 304)
        assert.equal(unchanged.headers.get('etag'), etag)
        assert.equal(await unchanged.text(), '')
        assert.equal(
          (await service.request(`/v1/jobs/${job.id}`, { headers: { 'if-none-match': `"other", W/${etag}` } })).status,
          304,
        )
        await expectJson(await service.request(`/v1/jobs/${job.id}`, { headers: { 'if-none-match': '"other"' } }), 200)
        await expectProblem(await service.request('/v1/jobs/999999999'), 404, 'not-found')
        await expectProblem(await service.request('/v1/jobs/not-a-number'), 404, 'not-found')
        await expectProblem(await service.request(`/v1/jobs/${'9'.repeat(40)}`), 404, 'not-found')
      })

      it('?wait= returns as soon as the job changes', async () => {
        const job = await enqueue(service, { type: 'count', payload: { to: 50, stepMs: 50 } })
        const first = await service.request(`/v1/jobs/${job.id}`)
        const seen = await expectJson(first, 200)
        const etag = first.headers.get('etag')!
        // Had it waited the 30 s out unchanged, the answer would be 304 (the tag still matching).
        const changed = await service.request(`/v1/jobs/${job.id}?wait=30`, { headers: { 'if-none-match': etag } })
        const now = await expectJson(changed, 200)
        assert.notEqual(changed.headers.get('etag'), etag)
        assert.notDeepEqual(now, seen)
        // Without If-None-Match the wait runs from the state when the request arrived.
        const from = await expectJson(await service.request(`/v1/jobs/${job.id}`), 200)
        const later = await expectJson(await service.request(`/v1/jobs/${job.id}?wait=30`), 200)
        assert.notDeepEqual(later, from)
        // Done with it: a cancel (202 while it runs, 409 if it already finished) keeps the runner free.
        await (await service.request(`/v1/jobs/${job.id}/cancel`, { method: 'POST' })).arrayBuffer()
      })

      it('?wait= on a job that cannot change answers when the wait is over, unchanged', async () => {
        const job = await enqueue(service, { type: 'sleep', payload: { ms: 1 }, queue: 'nobody' })
        const first = await service.request(`/v1/jobs/${job.id}`)
        await first.arrayBuffer()
        const etag = first.headers.get('etag')!
        const waited = await service.request(`/v1/jobs/${job.id}?wait=1`, { headers: { 'if-none-match': etag } })
        assert.equal(waited.status, 304)
        assert.equal(waited.headers.get('etag'), etag)
        const plain = await service.request(`/v1/jobs/${job.id}?wait=1`)
        assert.deepEqual(await expectJson(plain, 200), job)
        assert.equal(plain.headers.get('etag'), etag)
      })

      it('?wait= on a finished job answers at once, unless If-None-Match names the tag it holds', async () => {
        const job = await enqueue(service, { type: 'echo', queue: 'nobody' })
        await (await service.request(`/v1/jobs/${job.id}/cancel`, { method: 'POST' })).arrayBuffer()
        // Were it to wait, the 60 s would outlast this abort and fail the test.
        const done = await service.request(`/v1/jobs/${job.id}?wait=60`, { signal: AbortSignal.timeout(30_000) })
        const cancelled = (await expectJson(done, 200)) as { state: string }
        assert.equal(cancelled.state, 'cancelled')
        const etag = done.headers.get('etag')!
        // Holding its tag, a caller waits for a change a retry would make.
        const waited = await service.request(`/v1/jobs/${job.id}?wait=1`, { headers: { 'if-none-match': etag } })
        assert.equal(waited.status, 304)
      })

      it('wait out of 0..60 is 400', async () => {
        const job = await enqueue(service, { type: 'echo', queue: 'nobody' })
        for (const wait of ['61', '-1', '1.5', 'soon', '']) {
          await expectProblem(await service.request(`/v1/jobs/${job.id}?wait=${wait}`), 400, 'invalid-parameter')
        }
        await expectJson(await service.request(`/v1/jobs/${job.id}?wait=0`), 200)
      })
    })

    describe('GET /v1/jobs', () => {
      it('filters by state, type and queue', async () => {
        const echo = await enqueue(service, { type: 'echo', queue: 'filter-q' })
        const sleep = await enqueue(service, { type: 'sleep', payload: { ms: 1 }, queue: 'filter-q' })
        const cancelled = await enqueue(service, { type: 'echo', queue: 'filter-q' })
        await expectJson(await service.request(`/v1/jobs/${cancelled.id}/cancel`, { method: 'POST' }), 200)
        const ids = (page: JobList) => page.jobs.map((job) => job.id)
        assert.deepEqual(ids(await list('queue=filter-q')), [cancelled.id, sleep.id, echo.id])
        assert.deepEqual(ids(await list('queue=filter-q&type=echo')), [cancelled.id, echo.id])
        assert.deepEqual(ids(await list('queue=filter-q&state=queued')), [sleep.id, echo.id])
        assert.deepEqual(ids(await list('queue=filter-q&state=cancelled&type=echo')), [cancelled.id])
        assert.deepEqual(ids(await list('queue=filter-q&state=succeeded')), [])
        assert.deepEqual(ids(await list('queue=no-such-queue')), [])
      })

      it('keyset pages neither skip nor repeat a job while jobs are added', async () => {
        const original: string[] = []
        for (let i = 0; i < 7; i++)
          original.push((await enqueue(service, { type: 'echo', payload: i, queue: 'page-q' })).id)
        const seen: string[] = []
        const added: string[] = []
        let cursor: string | null = null
        let pages = 0
        do {
          const page: JobList = await list(`queue=page-q&limit=3${cursor ? `&cursor=${cursor}` : ''}`)
          assert.ok(page.jobs.length <= 3)
          seen.push(...page.jobs.map((job) => job.id))
          cursor = page.nextCursor
          pages += 1
          // Jobs arrive between pages.
          added.push((await enqueue(service, { type: 'echo', queue: 'page-q' })).id)
        } while (cursor !== null && pages < 10)
        assert.deepEqual(seen, [...original].reverse())
        assert.equal(pages, 3)
        assert.equal(new Set(seen).size, seen.length)
        // A fresh first page shows the newcomers, newest first.
        assert.deepEqual(
          (await list('queue=page-q&limit=3')).jobs.map((job) => job.id),
          added.reverse().slice(0, 3),
        )
        // An exact multiple of the limit ends with a null cursor, not an empty extra page.
        const twoPages = await list('queue=page-q&limit=5')
        const rest = await list(`queue=page-q&limit=5&cursor=${twoPages.nextCursor}`)
        assert.equal(rest.jobs.length, 5)
        assert.equal(rest.nextCursor, null)
      })

      it('400 for a limit out of 1..100, an unknown state, a bad type or queue, a cursor it did not issue', async () => {
        await expectJson(await service.request('/v1/jobs?limit=100'), 200)
        for (const query of [
          'limit=101',
          'limit=0',
          'limit=ten',
          'state=done',
          'type=%00',
          `queue=${'q'.repeat(65)}`,
          'queue=a%20b',
          'cursor=abc',
          `cursor=${Buffer.from('{"before":"x"}').toString('base64url')}`,
          `cursor=${Buffer.from('{"before":"-1"}').toString('base64url')}`,
        ]) {
          await expectProblem(await service.request(`/v1/jobs?${query}`), 400, 'invalid-parameter')
        }
      })
    })

    describe('POST /v1/jobs/{id}/cancel', () => {
      it('queued 200; again 200; running 202 then cancelled; succeeded or failed 409', async () => {
        const queued = await enqueue(service, { type: 'echo', queue: 'nobody' })
        const cancelled = await expectJson(
          await service.request(`/v1/jobs/${queued.id}/cancel`, { method: 'POST' }),
          200,
        )
        assert.equal(cancelled.state, 'cancelled')
        assert.equal(
          (await expectJson(await service.request(`/v1/jobs/${queued.id}/cancel`, { method: 'POST' }), 200)).state,
          'cancelled',
        )

        const sleeper = await enqueue(service, { type: 'sleep', payload: { ms: 600_000 } })
        await pollUntil(service, sleeper.id, (job) => job.state === 'running')
        const requested = await expectJson(
          await service.request(`/v1/jobs/${sleeper.id}/cancel`, { method: 'POST' }),
          202,
        )
        assert.equal(requested.cancelRequested, true)
        assert.equal(requested.state, 'running')
        await pollUntil(service, sleeper.id, (job) => job.state === 'cancelled')
        await expectJson(await service.request(`/v1/jobs/${sleeper.id}/cancel`, { method: 'POST' }), 200)

        const echo = await enqueue(service, { type: 'echo', payload: 'done' })
        await pollUntil(service, echo.id, (job) => job.state === 'succeeded')
        await expectProblem(
          await service.request(`/v1/jobs/${echo.id}/cancel`, { method: 'POST' }),
          409,
          'job-finished',
        )
        const flaky = await enqueue(service, { type: 'flaky', payload: { failTimes: 5 }, maxAttempts: 1 })
        await pollUntil(service, flaky.id, (job) => job.state === 'failed')
        await expectProblem(
          await service.request(`/v1/jobs/${flaky.id}/cancel`, { method: 'POST' }),
          409,
          'job-finished',
        )
        await expectProblem(await service.request('/v1/jobs/999999999/cancel', { method: 'POST' }), 404, 'not-found')
      })
    })

    describe('POST /v1/jobs/{id}/retry', () => {
      it('a failed flaky job retried from its checkpoint succeeds; retried from the start it fails again', async () => {
        // Three failing runs, two attempts: failed with two failures in its checkpoint.
        const flaky = await enqueue(service, { type: 'flaky', payload: { failTimes: 3 }, maxAttempts: 2 })
        const failed = await pollUntil(service, flaky.id, (job) => job.state === 'failed')
        assert.deepEqual(failed.checkpoint, { failed: 2 })
        assert.deepEqual(
          (failed.errors as { attempt: number; name: string }[]).map((e) => [e.attempt, e.name]),
          [
            [1, 'Error'],
            [2, 'Error'],
          ],
        )
        assert.equal(failed.error, (failed.errors as { message: string }[]).at(-1)!.message)

        const retried = await expectJson(await service.request(`/v1/jobs/${flaky.id}/retry`, { method: 'POST' }), 200)
        assert.deepEqual([retried.state, retried.attempts, retried.retries], ['queued', 0, 1])
        // Its first attempt fails the third time, its second succeeds.
        const succeeded = await pollUntil(service, flaky.id, (job) => job.state === 'succeeded')
        assert.deepEqual(succeeded.result, { attempts: 2 })
        assert.equal((succeeded.errors as unknown[]).length, 3, 'the history spans the retry')

        const again = await enqueue(service, { type: 'flaky', payload: { failTimes: 3 }, maxAttempts: 2 })
        await pollUntil(service, again.id, (job) => job.state === 'failed')
        const fromStart = await expectJson(
          await service.request(`/v1/jobs/${again.id}/retry`, post({ from: 'start' })),
          200,
        )
        assert.equal(fromStart.checkpoint, null)
        const failedAgain = await pollUntil(service, again.id, (job) => job.state === 'failed')
        assert.deepEqual(failedAgain.checkpoint, { failed: 2 })
        assert.equal(failedAgain.retries, 1)
      })

      it('a cancelled job at a later runAt; 409 naming the state otherwise; 404 and 422', async () => {
        const queued = await enqueue(service, { type: 'echo', queue: 'nobody' })
        await expectJson(await service.request(`/v1/jobs/${queued.id}/cancel`, { method: 'POST' }), 200)
        const runAt = new Date(Date.now() + 3_600_000).toISOString()
        const retried = await expectJson(await service.request(`/v1/jobs/${queued.id}/retry`, post({ runAt })), 200)
        assert.deepEqual([retried.state, retried.runAt, retried.cancelRequested], ['queued', runAt, false])

        const problem = await expectProblem(
          await service.request(`/v1/jobs/${queued.id}/retry`, { method: 'POST' }),
          409,
          'job-not-retryable',
        )
        assert.match(problem.detail!, /is queued/)
        const echo = await enqueue(service, { type: 'echo', payload: 'done' })
        await pollUntil(service, echo.id, (job) => job.state === 'succeeded')
        assert.match(
          (await expectProblem(await service.request(`/v1/jobs/${echo.id}/retry`, { method: 'POST' }), 409)).detail!,
          /is succeeded/,
        )

        await expectProblem(await service.request('/v1/jobs/999999999/retry', { method: 'POST' }), 404, 'not-found')
        await expectProblem(
          await service.request(`/v1/jobs/${queued.id}/retry`, post({ from: 'middle' })),
          422,
          'invalid-request',
        )
        await expectProblem(
          await service.request(`/v1/jobs/${queued.id}/retry`, post({ frm: 'start' })),
          422,
          'invalid-request',
        )
      })
    })

    describe('POST /v1/jobs/{id}/replay', () => {
      it('202 with a new job copying type, payload and options, replayOf set; overrides; 422 and 404', async () => {
        const original = await enqueue(service, {
          type: 'flaky',
          payload: { failTimes: 0 },
          queue: 'nobody',
          priority: 7,
          maxAttempts: 9,
          timeoutSeconds: 30,
        })
        const response = await service.request(`/v1/jobs/${original.id}/replay`, { method: 'POST' })
        const copy = await expectJson(response, 202)
        assert.equal(response.headers.get('location'), `/v1/jobs/${copy.id}`)
        assert.notEqual(copy.id, original.id)
        assert.deepEqual(
          [
            copy.type,
            copy.payload,
            copy.queue,
            copy.priority,
            copy.maxAttempts,
            copy.timeoutSeconds,
            copy.replayOf,
            copy.state,
          ],
          ['flaky', { failTimes: 0 }, 'nobody', 7, 9, 30, original.id, 'queued'],
        )
        const runAt = new Date(Date.now() + 60_000).toISOString()
        const changed = await expectJson(
          await service.request(
            `/v1/jobs/${original.id}/replay`,
            post({ payload: { failTimes: 1 }, queue: 'elsewhere', priority: -2, runAt }),
          ),
          202,
        )
        assert.deepEqual(
          [changed.payload, changed.queue, changed.priority, changed.runAt],
          [{ failTimes: 1 }, 'elsewhere', -2, runAt],
        )

        const bad = await expectProblem(
          await service.request(`/v1/jobs/${original.id}/replay`, post({ payload: { failTimes: 'x' } })),
          422,
          'invalid-job',
        )
        assert.match(bad.detail!, /schema of flaky/)
        await expectProblem(
          await service.request(`/v1/jobs/${original.id}/replay`, post({ type: 'echo' })),
          422,
          'invalid-request',
        )
        await expectProblem(await service.request('/v1/jobs/999999999/replay', { method: 'POST' }), 404, 'not-found')
        // A replay runs: the copy of a succeeded echo succeeds too.
        const echo = await enqueue(service, { type: 'echo', payload: 'again' })
        await pollUntil(service, echo.id, (job) => job.state === 'succeeded')
        const echoCopy = await expectJson(await service.request(`/v1/jobs/${echo.id}/replay`, { method: 'POST' }), 202)
        assert.equal((await pollUntil(service, echoCopy.id, (job) => job.state === 'succeeded')).result, 'again')
      })
    })

    describe('owner isolation', () => {
      it("alice's job does not exist for bob on any route; an admin sees it", async () => {
        const alices = await enqueue(service, { type: 'echo', queue: 'owners' }, { sub: 'alice', scopes: USER })
        const bobs = await enqueue(service, { type: 'echo', queue: 'owners' }, { sub: 'bob', scopes: USER })
        const asBob = { sub: 'bob', scopes: USER }
        await expectProblem(await service.request(`/v1/jobs/${alices.id}`, asBob), 404, 'not-found')
        await expectProblem(await service.request(`/v1/jobs/${alices.id}?wait=5`, asBob), 404, 'not-found')
        await expectProblem(
          await service.request(`/v1/jobs/${alices.id}/cancel`, { ...asBob, method: 'POST' }),
          404,
          'not-found',
        )
        await expectProblem(
          await service.request(`/v1/jobs/${alices.id}/retry`, { ...asBob, method: 'POST' }),
          404,
          'not-found',
        )
        await expectProblem(
          await service.request(`/v1/jobs/${alices.id}/replay`, { ...asBob, method: 'POST' }),
          404,
          'not-found',
        )
        assert.deepEqual(
          (await list('queue=owners', asBob)).jobs.map((job) => job.id),
          [bobs.id],
        )
        // Bob's cancel changed nothing.
        assert.equal(
          (await expectJson(await service.request(`/v1/jobs/${alices.id}`, { sub: 'alice', scopes: USER }), 200)).state,
          'queued',
        )
        assert.deepEqual(
          (await list('queue=owners', { sub: 'alice', scopes: USER })).jobs.map((job) => job.id),
          [alices.id],
        )
        // An admin (any sub) sees and may cancel every owner's jobs.
        const asAdmin = { sub: 'carol', scopes: ['jobs:read', 'jobs:write', 'admin'] as Scope[] }
        assert.deepEqual(
          (await list('queue=owners', asAdmin)).jobs.map((job) => job.id),
          [bobs.id, alices.id],
        )
        assert.equal((await expectJson(await service.request(`/v1/jobs/${alices.id}`, asAdmin), 200)).id, alices.id)
        assert.equal(
          (await expectJson(await service.request(`/v1/jobs/${alices.id}/cancel`, { ...asAdmin, method: 'POST' }), 200))
            .state,
          'cancelled',
        )
      })
    })

    describe('routing errors', () => {
      it('unknown route 404, wrong method 405 with Allow, both problem+json', async () => {
        for (const path of ['/v1/nothing', '/v1/jobs/1/nothing', '/v2/jobs']) {
          await expectProblem(await service.request(path), 404, 'not-found')
        }
        await expectProblem(await service.request('/v1/nothing', { token: null }), 404, 'not-found')
        for (const [method, path, allowed] of [
          ['DELETE', '/v1/jobs/1', 'GET, HEAD'],
          ['PUT', '/v1/jobs', 'GET, HEAD, POST'],
          ['GET', '/v1/jobs/1/cancel', 'POST'],
          ['POST', '/livez', 'GET, HEAD'],
        ] as const) {
          const response = await service.request(path, { method, token: null })
          await expectProblem(response, 405, 'method-not-allowed')
          const allow = (response.headers.get('allow') ?? '')
            .split(',')
            .map((m) => m.trim())
            .sort()
          assert.deepEqual(allow, allowed.split(', ').sort(), `${method} ${path}`)
        }
      })
    })
  })

  describe(`an unexpected exception (${target.name})`, () => {
    let database: TestDatabase
    let service: TestService

    before(async () => {
      database = await target.create()
      // A job registry with a bug: validating an `echo` payload throws.
      const real = await loadJobRegistry()
      const broken = new (class extends JobRegistry {
        override validatePayload(name: string, payload: unknown) {
          if (name === 'echo') throw new Error('registry bug: internal detail /srv/secret-path')
          return super.validatePayload(name, payload)
        }
      })(real.names().map((name) => real.get(name)!))
      service = await startTestService(database, {}, { registry: broken })
    })
    after(async () => {
      await service?.close()
      await database?.cleanup()
    })

    it('is a bare 500 problem with a request id; the details go to the log under that id', async () => {
      const response = await service.request('/v1/jobs', {
        ...post({ type: 'echo' }),
        headers: { 'x-request-id': 'trace-500' },
      })
      const problem = await expectProblem(response, 500, 'internal')
      assert.equal(problem.requestId, 'trace-500')
      assert.equal(response.headers.get('x-request-id'), 'trace-500')
      const text = JSON.stringify(problem)
      assert.ok(!/secret-path|registry bug|\bat .*\.ts:\d+/.test(text), text)
      const logged = service.logs.records().find((record) => record.requestId === 'trace-500' && record.level === 50)
      assert.ok(logged, 'an error line with the request id')
      assert.match(JSON.stringify(logged), /secret-path/)
      // The service still works.
      await enqueue(service, { type: 'sleep', payload: { ms: 1 }, queue: 'nobody' })
    })
  })
}
