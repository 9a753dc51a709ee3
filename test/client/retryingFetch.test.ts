/**
 * The client's retries against a loopback server that answers as an instance in trouble would: a
 * 503 with Retry-After is retried after at least that long, with the same Idempotency-Key, and so is
 * a 429 (a per-owner limit); a POST without a key is not repeated; a request that finds no server is
 * retried with backoff, and `wait` goes on past those retries for `reconnectSeconds`.
 */
import assert from 'node:assert/strict'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { after, before, describe, it } from 'node:test'
import { createClient } from '../../src/client/index.js'
import { retryAfterMs, retryingFetch } from '../../src/client/retryingFetch.js'

const JOB = {
  id: '7',
  type: 'echo',
  queue: 'default',
  state: 'queued',
  payload: {},
  priority: 0,
  attempts: 0,
  maxAttempts: 3,
}

describe('client retries', () => {
  let server: http.Server
  let url: string
  let answers: { status: number; headers?: Record<string, string> }[] = []
  const seen: { method: string; key: string | undefined; at: number }[] = []

  before(async () => {
    server = http.createServer((request, response) => {
      request.resume()
      seen.push({
        method: request.method!,
        key: request.headers['idempotency-key'] as string | undefined,
        at: Date.now(),
      })
      const answer = answers.shift() ?? { status: 202 }
      const body =
        answer.status < 300
          ? JSON.stringify(JOB)
          : JSON.stringify({ type: 'x', title: 'unavailable', status: answer.status })
      response.writeHead(answer.status, { 'content-type': 'application/json', ...answer.headers })
      response.end(body)
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  })
  after(() => new Promise<void>((resolve) => server.close(() => resolve())))

  it('retries an enqueue answered 503 after its Retry-After, with the same Idempotency-Key', async () => {
    seen.length = 0
    answers = [{ status: 503, headers: { 'retry-after': '1' } }, { status: 202 }]
    const client = createClient({ url, token: 'token' })
    const job = await client.enqueue('echo', {})
    assert.equal(job.id, '7')
    assert.equal(seen.length, 2)
    assert.ok(seen[0]!.key && seen[0]!.key === seen[1]!.key, 'one key for both attempts')
    assert.ok(seen[1]!.at - seen[0]!.at >= 950, `waited ${seen[1]!.at - seen[0]!.at} ms of Retry-After: 1`)
  })

  it('retries a read answered 429 after its Retry-After, not after its own shorter backoff', async () => {
    seen.length = 0
    answers = [{ status: 429, headers: { 'retry-after': '1' } }, { status: 200 }]
    const client = createClient({ url, token: 'token', retry: { baseDelayMs: 1 } })
    const job = await client.get('7')
    assert.equal(job.id, '7')
    assert.deepEqual(
      seen.map((s) => s.method),
      ['GET', 'GET'],
    )
    assert.ok(seen[1]!.at - seen[0]!.at >= 950, `waited ${seen[1]!.at - seen[0]!.at} ms of Retry-After: 1`)
  })

  it('gives the answer back after the last retry, and never repeats a POST without a key', async () => {
    seen.length = 0
    answers = [
      { status: 503, headers: { 'retry-after': '0' } },
      { status: 503, headers: { 'retry-after': '0' } },
    ]
    const fetchOnce = retryingFetch({ retries: 1 })
    assert.equal((await fetchOnce(new Request(url, { method: 'GET' }))).status, 503)
    assert.equal(seen.length, 2)
    answers = [{ status: 503, headers: { 'retry-after': '0' } }]
    assert.equal((await fetchOnce(new Request(url, { method: 'POST', body: '{}' }))).status, 503)
    assert.equal(seen.length, 3)
  })

  it('retries a request that reaches no server', async () => {
    const closed = http.createServer()
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve))
    const port = (closed.address() as AddressInfo).port
    await new Promise<void>((resolve) => closed.close(() => resolve()))
    let attempts = 0
    const counting: typeof fetch = (input, init) => {
      attempts += 1
      return fetch(input, init)
    }
    const fetchWithRetries = retryingFetch({ retries: 2, baseDelayMs: 10 }, { fetchImpl: counting })
    await assert.rejects(fetchWithRetries(new Request(`http://127.0.0.1:${port}/`)), TypeError)
    assert.equal(attempts, 3)
  })

  it('wait goes on reaching for an instance when a request runs out of retries, until reconnectSeconds', async () => {
    // Six calls find no instance (a request's own retries cover two each), then one answers.
    let calls = 0
    const flaky: typeof fetch = async (input, init) => {
      calls += 1
      if (calls <= 6) throw new TypeError('fetch failed')
      answers = [{ status: 200 }]
      return fetch(input, init)
    }
    const waiting = createClient({ url, token: 'token', retry: { retries: 1, baseDelayMs: 1 }, fetch: flaky })
    JOB.state = 'succeeded'
    try {
      assert.equal((await waiting.wait('7')).state, 'succeeded')
      assert.equal(calls, 7)
    } finally {
      JOB.state = 'queued'
    }

    const neverThere: typeof fetch = async () => {
      throw new TypeError('fetch failed')
    }
    const givesUp = createClient({
      url,
      token: 'token',
      retry: { retries: 0 },
      reconnectSeconds: 1,
      fetch: neverThere,
    })
    await assert.rejects(givesUp.wait('7'), TypeError)
  })

  it('reads Retry-After as seconds or an HTTP date', () => {
    assert.equal(retryAfterMs('5'), 5000)
    assert.equal(retryAfterMs(new Date(10_000).toUTCString(), 4_000), 6000)
    assert.equal(retryAfterMs(null), undefined)
    assert.equal(retryAfterMs('soon'), undefined)
  })
})
