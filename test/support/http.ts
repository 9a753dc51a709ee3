/**
 * Small helpers for the HTTP suites (routes, auth, contract): read a problem+json answer, enqueue a
 * job, long-poll a job until it satisfies a predicate, and sign hand-made tokens.
 */
import assert from 'node:assert/strict'
import { SignJWT, type JWTPayload } from 'jose'
import type { TestService } from './service.js'
import { TEST_AUDIENCE, TEST_SECRET } from './service.js'

/** The API's view of a job, as far as the tests look at it. */
export interface ApiJob {
  id: string
  type: string
  queue: string
  state: string
  payload: unknown
  cancelRequested: boolean
  progress: { fraction: number; message?: string } | null
  result: unknown
  [key: string]: unknown
}

export interface Problem {
  type: string
  title: string
  status: number
  detail?: string
  requestId?: string
  errors?: { pointer: string; message: string; index?: number }[]
}

/** Asserts `response` is an RFC 9457 problem with `status` and returns its body. */
export async function expectProblem(response: Response, status: number, type?: string): Promise<Problem> {
  const text = await response.text()
  assert.equal(response.status, status, `expected ${status}, got ${response.status}: ${text}`)
  assert.match(response.headers.get('content-type') ?? '', /^application\/problem\+json/)
  const body = JSON.parse(text) as Problem
  assert.equal(typeof body.type, 'string')
  assert.equal(typeof body.title, 'string')
  assert.equal(body.status, status)
  if (type !== undefined) assert.equal(body.type, `urn:job-runner:problem:${type}`)
  return body
}

/** Asserts a JSON answer with `status` and returns its body. */
export async function expectJson<T = ApiJob>(response: Response, status: number): Promise<T> {
  const text = await response.text()
  assert.equal(response.status, status, `expected ${status}, got ${response.status}: ${text}`)
  assert.match(response.headers.get('content-type') ?? '', /^application\/json/)
  return JSON.parse(text) as T
}

type RequestOptions = Parameters<TestService['request']>[1]

/** POST /v1/jobs and expect 202. */
export async function enqueue(
  service: TestService,
  body: Record<string, unknown>,
  init: RequestOptions = {},
): Promise<ApiJob> {
  const response = await service.request('/v1/jobs', { ...init, method: 'POST', body: JSON.stringify(body) })
  return expectJson(response, 202)
}

/** Long-polls GET /v1/jobs/{id}?wait= until `done(job)`; never sleeps. */
export async function pollUntil(
  service: TestService,
  id: string,
  done: (job: ApiJob) => boolean,
  { sub, deadlineMs = 30_000 }: { sub?: string; deadlineMs?: number } = {},
): Promise<ApiJob> {
  const deadline = Date.now() + deadlineMs
  let etag: string | undefined
  let job: ApiJob | undefined
  for (;;) {
    // The first look answers at once; later ones wait for a change from the ETag seen.
    const query = etag === undefined ? '' : '?wait=5'
    const response = await service.request(`/v1/jobs/${id}${query}`, {
      ...(sub ? { sub } : {}),
      headers: etag ? { 'if-none-match': etag } : {},
    })
    if (response.status === 200) {
      job = (await response.json()) as ApiJob
      if (done(job)) return job
    } else {
      assert.equal(response.status, 304, await response.text())
    }
    etag = response.headers.get('etag') ?? undefined
    if (Date.now() > deadline) assert.fail(`job ${id} did not get there in time; last seen: ${JSON.stringify(job)}`)
  }
}

/** Signs an HS256 token with the test secret and any claims (`exp` etc. as given: nothing is added). */
export function signHs256(claims: JWTPayload, secret: string | Uint8Array = TEST_SECRET): Promise<string> {
  const key = typeof secret === 'string' ? new TextEncoder().encode(secret) : secret
  return new SignJWT(claims).setProtectedHeader({ alg: 'HS256', typ: 'JWT' }).sign(key)
}

/** Claims of a valid token for `sub` with every scope, valid for an hour. */
export function goodClaims(overrides: JWTPayload = {}): JWTPayload {
  const now = Math.floor(Date.now() / 1000)
  return {
    sub: 'alice',
    aud: TEST_AUDIENCE,
    iat: now,
    exp: now + 3600,
    scope: 'jobs:write jobs:read admin',
    ...overrides,
  }
}
