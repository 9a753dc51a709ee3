/**
 * Every limit the service sets answers with a clear 4xx problem+json naming it: body size (413),
 * batch size (422), list `limit` (400), the `?wait` ceiling (400), payload nesting depth (422), and
 * the number of long-polls one owner may hold open at once (429 with Retry-After), which frees up
 * again when a poll ends and never counts another owner's polls.
 */
import assert from 'node:assert/strict'
import http from 'node:http'
import { describe, it } from 'node:test'
import { databaseTargets, onceSkip } from '../support/databases.js'
import { enqueue, expectJson, expectProblem } from '../support/http.js'
import type { TestService } from '../support/service.js'
import { suiteService } from '../support/suiteService.js'

const LONG_POLLS = 3

/**
 * A long-poll on its own connection (node:http, no pool), so a pooled keep-alive socket closed by an
 * earlier test cannot end it early. `ended` says how it ended: its status, or 'aborted'.
 */
interface HeldPoll {
  ended: Promise<number | 'aborted' | string>
  /** Resolves once an answer's body has been read. */
  body: Promise<void>
  retryAfter?: string
  contentType?: string
  problem?: { type?: string; status?: number }
  abort(): void
}

function holdPoll(url: string, token: string, etag: string): HeldPoll {
  const request = http.get(url, { agent: false, headers: { authorization: `Bearer ${token}`, 'if-none-match': etag } })
  let aborted = false
  let bodyRead!: () => void
  const poll = { body: new Promise<void>((resolve) => (bodyRead = resolve)) } as HeldPoll
  poll.ended = new Promise<number | 'aborted' | string>((resolve) => {
    request.on('response', (response) => {
      let text = ''
      poll.retryAfter = response.headers['retry-after']
      poll.contentType = response.headers['content-type']
      response.setEncoding('utf8')
      response.on('data', (chunk: string) => (text += chunk))
      response.on('end', () => {
        try {
          poll.problem = JSON.parse(text) as HeldPoll['problem']
        } catch {
          // not JSON: the assertions on `problem` say so
        }
        bodyRead()
      })
      resolve(response.statusCode ?? 0)
    })
    request.on('error', (error) => resolve(aborted ? 'aborted' : error.message))
    request.on('close', () => resolve(aborted ? 'aborted' : 'closed'))
  })
  poll.abort = () => {
    aborted = true
    request.destroy()
  }
  return poll
}

function nested(depth: number): unknown {
  let value: unknown = 1
  for (let i = 0; i < depth; i++) value = { a: value }
  return value
}

for (const target of databaseTargets()) {
  const skip = onceSkip(target, 'every limit is checked in the service, before the database is asked')
  describe(`limits (${target.name})`, { timeout: 120_000, skip }, () => {
    let service: TestService

    suiteService(target, (started) => (service = started), {
      MAX_BODY_BYTES: String(64 * 1024),
      LONG_POLLS_PER_OWNER: String(LONG_POLLS),
    })

    it('refuses a body over MAX_BODY_BYTES with 413, even without a Content-Length', async () => {
      const body = JSON.stringify({ type: 'echo', payload: { text: 'x'.repeat(70_000) } })
      await expectProblem(await service.request('/v1/jobs', { method: 'POST', body }), 413, 'payload-too-large')
      const streamed = new ReadableStream<Uint8Array>({
        start(controller) {
          controller.enqueue(new TextEncoder().encode(body))
          controller.close()
        },
      })
      const init = { method: 'POST', body: streamed, duplex: 'half' } as RequestInit
      await expectProblem(await service.request('/v1/jobs/batch', init), 413, 'payload-too-large')
    })

    it('refuses a batch of more than 1000 jobs with 422 and stores none of it', async () => {
      const big = service
      {
        const jobs = Array.from({ length: 1001 }, () => ({ type: 'echo' }))
        const problem = await expectProblem(
          await big.request('/v1/jobs/batch', { method: 'POST', body: JSON.stringify({ jobs }), sub: 'batcher' }),
          422,
        )
        assert.match(JSON.stringify(problem), /1000/)
        const listed = await expectJson<{ jobs: unknown[] }>(
          await big.request('/v1/jobs', { sub: 'batcher', scopes: ['jobs:read'] }),
          200,
        )
        assert.equal(listed.jobs.length, 0)
        const accepted = await expectJson<{ jobs: unknown[] }>(
          await big.request('/v1/jobs/batch', {
            method: 'POST',
            body: JSON.stringify({ jobs: jobs.slice(0, 1000) }),
            sub: 'batcher',
          }),
          202,
        )
        assert.equal(accepted.jobs.length, 1000)
      }
    })

    it('refuses a list limit over 100 (and under 1) with 400', async () => {
      for (const limit of ['101', '0', '-1', '1e3', 'ten']) {
        const problem = await expectProblem(await service.request(`/v1/jobs?limit=${limit}`), 400, 'invalid-parameter')
        assert.match(problem.detail ?? '', /limit/)
      }
      await expectJson(await service.request('/v1/jobs?limit=100'), 200)
    })

    it('refuses ?wait over 60 seconds with 400', async () => {
      const job = await enqueue(service, { type: 'sleep', payload: { ms: 1 } })
      for (const wait of ['61', '3600', '-1', '1.5']) {
        const problem = await expectProblem(
          await service.request(`/v1/jobs/${job.id}?wait=${wait}`),
          400,
          'invalid-parameter',
        )
        assert.match(problem.detail ?? '', /wait/)
      }
    })

    it('refuses a payload nested deeper than 64 levels with 422; 60 levels are fine', async () => {
      const deep = JSON.stringify({ type: 'echo', payload: nested(70) })
      const problem = await expectProblem(await service.request('/v1/jobs', { method: 'POST', body: deep }), 422)
      assert.match(problem.detail ?? '', /64/)
      await enqueue(service, { type: 'echo', payload: nested(60) })
    })

    it(`answers 429 with Retry-After to the long-poll over ${LONG_POLLS} per owner, and frees the slot when a poll ends`, async () => {
      // Due in a century: it stays queued, so its ETag holds still while the polls wait.
      const job = await enqueue(service, { type: 'echo', runAt: '2100-01-01T00:00:00Z' }, { sub: 'poller' })
      const first = await service.request(`/v1/jobs/${job.id}`, { sub: 'poller' })
      const etag = first.headers.get('etag')!
      await first.body?.cancel()
      const token = await service.token({ sub: 'poller' })
      const polls = Array.from({ length: LONG_POLLS + 1 }, () =>
        holdPoll(`${service.url}/v1/jobs/${job.id}?wait=60`, token, etag),
      )
      // One poll too many: exactly one is refused at once (whichever the server counted last); the others are held.
      const firstEnded = await Promise.race(polls.map((poll, index) => poll.ended.then((ended) => ({ ended, index }))))
      assert.equal(firstEnded.ended, 429, `the first long-poll to end answered ${firstEnded.ended}, not 429`)
      const refused = polls.splice(firstEnded.index, 1)[0]!
      await refused.body
      assert.match(refused.retryAfter ?? '', /^[0-9]+$/)
      assert.equal(refused.problem?.type, 'urn:job-runner:problem:too-many-requests')
      assert.equal(refused.problem?.status, 429)
      assert.match(refused.contentType ?? '', /^application\/problem\+json/)
      const held = polls.map((poll) => poll.ended)
      // A plain read (no wait) and another owner's long-poll are not limited.
      await expectJson(await service.request(`/v1/jobs/${job.id}`, { sub: 'poller' }), 200)
      const other = await enqueue(service, { type: 'echo' }, { sub: 'someone-else' })
      const otherEtag = (await service.request(`/v1/jobs/${other.id}`, { sub: 'someone-else' })).headers.get('etag')!
      const otherPoll = await service.request(`/v1/jobs/${other.id}?wait=1`, {
        sub: 'someone-else',
        headers: { 'if-none-match': otherEtag },
      })
      assert.ok([200, 304].includes(otherPoll.status), `another owner's long-poll answered ${otherPoll.status}`)
      await otherPoll.body?.cancel()
      // The caller gives up one poll: its slot is free again.
      polls[0]!.abort()
      assert.equal(await held[0], 'aborted')
      let accepted = false
      for (let tries = 0; tries < 100 && !accepted; tries++) {
        const response = await service.request(`/v1/jobs/${job.id}?wait=1`, {
          sub: 'poller',
          headers: { 'if-none-match': etag },
        })
        accepted = response.status === 304
        await response.body?.cancel()
      }
      assert.ok(accepted, 'the freed long-poll slot was not given back')
      for (const poll of polls) poll.abort()
      assert.deepEqual(
        await Promise.all(held),
        polls.map(() => 'aborted'),
        'a held long-poll ended before the caller gave up',
      )
      await service.request(`/v1/jobs/${job.id}/cancel`, { method: 'POST', sub: 'poller' })
    })
  })
}
