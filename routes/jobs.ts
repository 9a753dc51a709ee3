/**
 * /v1/jobs: enqueue (one and many), status with ETag and long-poll, list, cancel, pause, resume, retry, replay. Owner isolation
 * is by the token's `sub`: without `admin`, another owner's job is simply not found.
 */
import { createHash } from 'node:crypto'
import { Hono } from 'hono'
import type { Context } from 'hono'
import { authenticate, ownerScope } from '../src/http/authenticate.js'
import { readJsonBody } from '../src/http/jsonBody.js'
import { decodeCursor, encodeCursor } from '../src/http/cursor.js'
import { readInteger } from '../src/http/queryInteger.js'
import type { OpenApiSpec } from '../src/http/openapi.js'
import { HttpProblem } from '../src/http/problem.js'
import type { TokenVerifier } from '../src/auth/tokenVerifier.js'
import { FINISHED_STATES, JOB_STATES, type Job, type JobState, type OwnedJob } from '../src/queue/job.js'
import {
  InvalidJobError,
  type EnqueueRequest,
  type JobService,
  type ReplayRequest,
  type RetryRequest,
} from '../src/queue/jobService.js'
import { IdempotencyConflictError } from '../src/queue/store.js'
import { formatTraceparent } from '../src/observability/traceparent.js'
import { linkAbortSignals } from '../src/support/linkedAbortSignal.js'

export interface JobsRoutesOptions {
  jobs: JobService
  spec: OpenApiSpec
  verifyToken: TokenVerifier
  /** Ends long-polls early when the service shuts down. */
  shutdownSignal: AbortSignal
  /** `?wait` long-polls one owner may hold at once; more get 429 (default 50). */
  longPollsPerOwner?: number
}

const MAX_WAIT_SECONDS = 60
const DEFAULT_LIMIT = 50
const MAX_LIMIT = 100

export function jobsRoutes({
  jobs,
  spec,
  verifyToken,
  shutdownSignal,
  longPollsPerOwner = 50,
}: JobsRoutesOptions): Hono {
  const app = new Hono()
  /** Long-polls held open per owner (`sub`): each holds a request and a notifier subscription. */
  const longPolls = new Map<string, number>()
  const validateEnqueue = spec.schema('EnqueueRequest')
  const validateBatch = spec.schema('BatchEnqueueRequest')
  const validateRetry = spec.schema('RetryRequest')
  const validateReplay = spec.schema('ReplayRequest')
  // The list filters' schemas in openapi.yaml; a NUL byte or a 10 kB value never reaches SQL.
  const filterSchemas = { type: spec.schema('JobType'), queue: spec.schema('QueueName') }
  // Per route, not app.use('*'): a wrong method must answer 405, not ask for a token first.
  const write = authenticate(verifyToken, 'jobs:write')
  const read = authenticate(verifyToken, 'jobs:read')

  app.post('/', write, async (c) => {
    const request = await readJsonBody<EnqueueRequest>(c, validateEnqueue)
    const idempotencyKey = readIdempotencyKey(c)
    const [enqueued] = await enqueue(() =>
      jobs.enqueue({
        owner: c.get('principal').sub,
        jobs: [idempotencyKey === undefined ? request : { ...request, idempotencyKey }],
        traceparent: enqueueTrace(c),
      }),
    )
    const { job, replayed } = enqueued!
    // A Response with plain headers, not c.header() and c.json(): Hono keeps headers set that way in
    // a WHATWG Headers object, which the node adapter converts back; this is the busiest route.
    const headers: Record<string, string> = { 'content-type': 'application/json', location: `/v1/jobs/${job.id}` }
    if (replayed) headers['idempotent-replayed'] = 'true'
    return new Response(JSON.stringify(publicJob(job)), { status: replayed ? 200 : 202, headers })
  })

  app.post('/batch', write, async (c) => {
    const { jobs: requests } = await readJsonBody<{ jobs: EnqueueRequest[] }>(c, validateBatch)
    const enqueued = await enqueue(() =>
      jobs.enqueue({ owner: c.get('principal').sub, jobs: requests, traceparent: enqueueTrace(c) }),
    )
    return c.json({ jobs: enqueued.map(({ job }) => publicJob(job)) }, 202)
  })

  app.get('/', read, async (c) => {
    const state = c.req.query('state')
    if (state !== undefined && !(JOB_STATES as readonly string[]).includes(state)) {
      throw new HttpProblem('invalid-parameter', `state must be one of ${JOB_STATES.join(', ')}`)
    }
    const limit = readInteger(c.req.query('limit'), 'limit', { min: 1, max: MAX_LIMIT }) ?? DEFAULT_LIMIT
    const cursor = c.req.query('cursor')
    const beforeId = cursor === undefined ? undefined : decodeCursor(cursor, 'before', JOB_ID)
    const page = await jobs.list({
      ...ownerScope(c.get('principal')),
      ...(state === undefined ? {} : { state: state as JobState }),
      ...optional('type', readFilter(c.req.query('type'), 'type', filterSchemas.type)),
      ...optional('queue', readFilter(c.req.query('queue'), 'queue', filterSchemas.queue)),
      ...readScheduled(c.req.query('scheduled')),
      ...(beforeId === undefined ? {} : { beforeId }),
      limit: limit + 1,
    })
    const hasMore = page.length > limit
    const shown = page.slice(0, limit)
    return c.json({ jobs: shown.map(publicJob), nextCursor: hasMore ? encodeCursor('before', shown.at(-1)!.id) : null })
  })

  // Digits only: `GET /v1/jobs/batch` is a method the batch route lacks (405), not a job named "batch".
  app.get('/:id{[0-9]+}', read, async (c) => {
    const scope = { ...ownerScope(c.get('principal')), id: c.req.param('id') }
    const waitSeconds = readInteger(c.req.query('wait'), 'wait', { min: 0, max: MAX_WAIT_SECONDS }) ?? 0
    const ifNoneMatch = c.req.header('if-none-match')
    let job = await jobs.get(scope)
    if (!job) throw notFound(scope.id)
    // A finished job changes only if someone retries it: it answers at once unless the caller names
    // the tag it holds (If-None-Match), so "wait until it is done" never waits out a done job.
    const waits = waitSeconds > 0 && (ifNoneMatch !== undefined || !FINISHED_STATES.includes(job.state))
    if (waits) {
      const from = ifNoneMatch ?? etagOf(job)
      if (etagOf(job) === from) {
        const owner = c.get('principal').sub
        const held = longPolls.get(owner) ?? 0
        if (held >= longPollsPerOwner) {
          throw new HttpProblem(
            'too-many-requests',
            `at most ${longPollsPerOwner} ?wait requests may be open at once per caller`,
            {
              headers: { 'retry-after': '1' },
            },
          )
        }
        longPolls.set(owner, held + 1)
        // Not AbortSignal.any(): on Node 20 it leaks one entry on the shutdown signal per request.
        const { signal, dispose } = linkAbortSignals([shutdownSignal, c.req.raw.signal])
        try {
          job = await jobs.waitForChange(scope, (current) => etagOf(current) !== from, {
            timeoutMs: waitSeconds * 1000,
            signal,
          })
        } finally {
          dispose()
          const left = (longPolls.get(owner) ?? 1) - 1
          if (left > 0) longPolls.set(owner, left)
          else longPolls.delete(owner)
        }
        if (!job) throw notFound(scope.id)
      }
    }
    const etag = etagOf(job)
    c.header('etag', etag)
    if (ifNoneMatch !== undefined && matchesEtag(ifNoneMatch, etag)) return c.body(null, 304)
    return c.json(publicJob(job))
  })

  app.get('/:id{[0-9]+}/logs', read, async (c) => {
    const scope = { ...ownerScope(c.get('principal')), id: c.req.param('id') }
    const limit = readInteger(c.req.query('limit'), 'limit', { min: 1, max: MAX_LOG_LIMIT }) ?? DEFAULT_LOG_LIMIT
    const cursor = c.req.query('cursor')
    const afterId = cursor === undefined ? undefined : decodeCursor(cursor, 'after', LOG_LINE_ID)
    const lines = await jobs.logs(scope, { limit, ...(afterId === undefined ? {} : { afterId }) })
    if (!lines) throw notFound(scope.id)
    const last = lines.at(-1)?.id ?? afterId ?? '0'
    return c.json({ lines: lines.map(({ id: _id, ...line }) => line), nextCursor: encodeCursor('after', last) })
  })

  app.post('/:id/cancel', write, async (c) => {
    const id = c.req.param('id')
    const outcome = await jobs.cancel({ ...ownerScope(c.get('principal')), id })
    switch (outcome.kind) {
      case 'not-found':
        throw notFound(id)
      case 'finished':
        throw new HttpProblem('job-finished', `job ${id} has already ${outcome.job.state}; there is nothing to cancel`)
      case 'requested':
        return c.json(publicJob(outcome.job), 202)
      case 'cancelled':
      case 'already-cancelled':
        return c.json(publicJob(outcome.job), 200)
    }
  })

  app.post('/:id/pause', write, async (c) => {
    const id = c.req.param('id')
    const outcome = await jobs.pause({ ...ownerScope(c.get('principal')), id })
    switch (outcome.kind) {
      case 'not-found':
        throw notFound(id)
      case 'finished':
        throw new HttpProblem(
          'job-finished',
          `job ${id} is ${outcome.job.state}; only a queued or running job can be paused`,
        )
      case 'requested':
        return c.json(publicJob(outcome.job), 202)
      case 'paused':
      case 'already-paused':
        return c.json(publicJob(outcome.job), 200)
    }
  })

  app.post('/:id/resume', write, async (c) => {
    const id = c.req.param('id')
    const outcome = await jobs.resume({ ...ownerScope(c.get('principal')), id })
    switch (outcome.kind) {
      case 'not-found':
        throw notFound(id)
      case 'finished':
        throw new HttpProblem('job-finished', `job ${id} is ${outcome.job.state}; only a paused job can be resumed`)
      case 'resumed':
      case 'unchanged':
        return c.json(publicJob(outcome.job), 200)
    }
  })

  app.post('/:id/retry', write, async (c) => {
    const id = c.req.param('id')
    const request = hasBody(c) ? await readJsonBody<RetryRequest>(c, validateRetry) : {}
    const outcome = await enqueue(() => jobs.retry({ ...ownerScope(c.get('principal')), id }, request))
    switch (outcome.kind) {
      case 'not-found':
        throw notFound(id)
      case 'not-retryable':
        throw new HttpProblem(
          'job-not-retryable',
          `job ${id} is ${outcome.job.state}; only a failed or cancelled job can be retried`,
        )
      case 'retried':
        return c.json(publicJob(outcome.job), 200)
    }
  })

  app.post('/:id/replay', write, async (c) => {
    const id = c.req.param('id')
    const request = hasBody(c) ? await readJsonBody<ReplayRequest>(c, validateReplay) : {}
    const job = await enqueue(() => jobs.replay({ ...ownerScope(c.get('principal')), id }, request))
    if (!job) throw notFound(id)
    c.header('location', `/v1/jobs/${job.id}`)
    return c.json(publicJob(job), 202)
  })

  return app
}

/** Retry and replay take an optional body: none at all means every default. */
function hasBody(c: Context): boolean {
  return (
    c.req.header('content-type') !== undefined ||
    (c.req.header('content-length') ?? '0') !== '0' ||
    c.req.header('transfer-encoding') !== undefined
  )
}

async function enqueue<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work()
  } catch (error) {
    if (error instanceof InvalidJobError) {
      throw new HttpProblem('invalid-job', error.message, error.problems.length > 0 ? { errors: error.problems } : {})
    }
    if (error instanceof IdempotencyConflictError) throw new HttpProblem('idempotency-conflict', error.message)
    throw error
  }
}

function readIdempotencyKey(c: Context): string | undefined {
  const key = c.req.header('idempotency-key')
  if (key === undefined) return undefined
  if (key.length < 1 || key.length > 255)
    throw new HttpProblem('invalid-parameter', 'Idempotency-Key must be 1 to 255 characters')
  return key
}

function readFilter(raw: string | undefined, name: string, validate: (value: unknown) => boolean): string | undefined {
  if (raw !== undefined && !validate(raw))
    throw new HttpProblem('invalid-parameter', `${name} is not a valid ${name} name`)
  return raw
}

/** `scheduled=true`: only queued jobs whose runAt is in the future (the dashboard's Scheduled view). */
function readScheduled(raw: string | undefined): { scheduled?: true } {
  if (raw === undefined) return {}
  if (raw !== 'true') throw new HttpProblem('invalid-parameter', 'scheduled must be true when given')
  return { scheduled: true }
}

function optional<K extends string>(key: K, value: string | undefined): { [P in K]?: string } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: string }
}

/** The API never shows the owner: it is the caller (or, for an admin, beside the point). */
/** The trace the enqueued jobs' runs join: this request's server span (src/observability/httpTracing.ts). */
function enqueueTrace(c: Context): string | null {
  const spanContext = c.get('spanContext')
  return (spanContext && formatTraceparent(spanContext)) ?? null
}

export function publicJob({ owner: _owner, ...job }: OwnedJob): Job {
  return job
}

function etagOf(job: OwnedJob): string {
  return `"${createHash('sha1')
    .update(JSON.stringify(publicJob(job)))
    .digest('base64url')}"`
}

/** RFC 9110 §13.1.2: a list of tags, `*`, weak tags compared weakly. */
function matchesEtag(header: string, etag: string): boolean {
  if (header.trim() === '*') return true
  return header.split(',').some((tag) => tag.trim().replace(/^W\//, '') === etag)
}

const DEFAULT_LOG_LIMIT = 200
const MAX_LOG_LIMIT = 1000
/** A job's id, as its list's cursor holds it. */
const JOB_ID = /^[1-9][0-9]{0,17}$/
/** A log line's id, as the log's cursor holds it (0 before the first line). */
const LOG_LINE_ID = /^(0|[1-9][0-9]{0,17})$/

function notFound(id: string): HttpProblem {
  return new HttpProblem('not-found', `no job ${JSON.stringify(id.slice(0, 100))} for this caller`)
}
