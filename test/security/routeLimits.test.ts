/**
 * Bad input, operation by operation, read from openapi.yaml: every route bounds what it takes and
 * answers what it refuses with problem+json, storing nothing. Every operation with a request body
 * refuses a body one byte over MAX_BODY_BYTES with 413, with a Content-Length and without one
 * (chunked), a body that is not JSON with 400, and JSON of the wrong type with 400 or 422. Every
 * query parameter the spec bounds (`maximum`, `minimum`, `maxLength`) is refused past its bound, and
 * a non-integer where it takes an integer, with 400 naming it. Every path parameter with a
 * `maxLength` is refused one character over it with 400 or 404, never 500. Each answer's status is
 * one the operation lists, and what the suite stored is the same after each operation's probes.
 *
 * Every probe is a request the service would take but for what is probed: the body one it accepts,
 * padded; the cursor one it issued, its JSON spaced out; the path the suite's own job or schedule.
 * So a bound the service does not keep shows as a request it took, not as one refused for another
 * reason. The token holds every scope, so no scope check hides the validation.
 *
 * The table below is keyed by operationId and checked against the spec both ways, as
 * routeIsolation.test.ts does: an operation added to openapi.yaml without a case here fails.
 */
import assert from 'node:assert/strict'
import { before, describe, it } from 'node:test'
import { JobRegistry } from '../../jobs/registry.js'
import { ALL_SCOPES, type Scope } from '../../src/auth/scopes.js'
import { databaseTargets, onceSkip } from '../support/databases.js'
import { enqueue, expectJson, expectProblem, pollUntil, type Problem } from '../support/http.js'
import type { TestService } from '../support/service.js'
import {
  keysMissingAndStale,
  specOperations,
  type SpecOperation,
  type SpecParameter,
} from '../support/specOperations.js'
import { FAR_AWAY, markedJob, YEARLY } from '../support/markedJob.js'
import { suiteService } from '../support/suiteService.js'

/** Small, so that a body one byte over it is cheap to send. */
const MAX_BODY_BYTES = 4096

const ADMIN: { sub: string; scopes: Scope[] } = { sub: 'root', scopes: [...ALL_SCOPES] }

/** A bound the service does not keep would let a long-poll or a drain's wait hold this long. */
const PROBE_TIMEOUT_MS = 10_000

/** The suite's own resources, which a request the service took would change. */
interface Resources {
  /** Failed, with a log line and a checkpoint: it may be retried, replayed, its checkpoint replaced. */
  failedJob: string
  /** Queued until `FAR_AWAY`. */
  queuedJob: string
  schedule: string
  /** Issued by the service, each for its list's second page. */
  cursors: { jobs: string; schedules: string; logs: string; webhooks: string }
}

// ---------------------------------------------------------------------------------------------
// The operations of openapi.yaml

interface RouteCase {
  /** Values of its path parameters: the suite's own resources, so that a request taken would act. */
  path?: (r: Resources) => Record<string, string>
  /** Headers its probes carry, so that they get as far as what is probed (If-Match before the body). */
  headers?: Record<string, string>
  /** For an operation with a request body: one it takes, which the probes pad or break. */
  body?: (r: Resources) => unknown
  /** For an operation with a request body: a JSON value of another type than its schema's. */
  wrongType?: unknown
  /**
   * For each query parameter with a `maxLength`: a value one past it that the service would take
   * were it shorter, so that only the bound refuses it (where none exists, one it could only ignore).
   */
  overLong?: Record<string, (r: Resources, maxLength: number) => string>
  /** Why it has nothing to probe: no body, no bounded query or path parameter. */
  nothingToProbe?: string
}

const scheduleBody = (cron = YEARLY) => ({ cron, job: { type: 'marked', payload: {} } })
const onFailedJob = (r: Resources) => ({ id: r.failedJob })

/** JSON of another type where the schema wants an object. */
const NOT_AN_OBJECT: unknown = []

/** The id of a job's event in the state it ended in (src/events/jobEvents.ts), padded to `length`. */
const eventIdOf = (jobId: string, length: number) => `${'0'.repeat(20)}.${jobId}.failed`.padEnd(length, '1')

/**
 * A case per operation. One that is empty has no input the spec bounds but an id in its path,
 * which is probed with an id one character too long, from the spec alone.
 */
const ROUTES: Readonly<Record<string, RouteCase>> = {
  enqueueJob: { body: () => ({ type: 'marked', runAt: FAR_AWAY }), wrongType: NOT_AN_OBJECT },
  listJobs: {
    overLong: { cursor: (r, maxLength) => spacedOut(r.cursors.jobs, maxLength) },
  },
  enqueueJobs: { body: () => ({ jobs: [{ type: 'marked', runAt: FAR_AWAY }] }), wrongType: NOT_AN_OBJECT },
  getJob: { path: onFailedJob },
  getJobLogs: {
    path: onFailedJob,
    overLong: { cursor: (r, maxLength) => spacedOut(r.cursors.logs, maxLength) },
  },
  getJobCheckpoint: {},
  replaceJobCheckpoint: {
    path: onFailedJob,
    headers: { 'if-match': '*' },
    body: () => ({ step: 2 }),
    // openapi.yaml: "any JSON value but null".
    wrongType: null,
  },
  listJobCheckpoints: {},
  cancelJob: {},
  pauseJob: {},
  resumeJob: {},
  jobEvents: {
    path: onFailedJob,
    // No event id is this long (the longest is 68 characters): unbounded, it could only be ignored.
    overLong: { lastEventId: (r, maxLength) => eventIdOf(r.failedJob, maxLength + 1) },
  },
  events: { overLong: { lastEventId: (r, maxLength) => eventIdOf(r.failedJob, maxLength + 1) } },
  jobDeliveries: {},
  createWebhook: {
    body: () => ({ url: 'http://127.0.0.1:9/limits', events: ['expired'] }),
    wrongType: NOT_AN_OBJECT,
  },
  listWebhooks: {
    overLong: { cursor: (r, maxLength) => spacedOut(r.cursors.webhooks, maxLength) },
  },
  deleteWebhook: {},
  listJobTypes: { nothingToProbe: 'no parameters; the job types this instance runs' },
  retryJob: { path: onFailedJob, body: () => ({ from: 'start' }), wrongType: NOT_AN_OBJECT },
  replayJob: { path: onFailedJob, body: () => ({ priority: 1 }), wrongType: NOT_AN_OBJECT },
  createBulkAction: { body: (r) => ({ action: 'cancel', ids: [r.queuedJob] }), wrongType: NOT_AN_OBJECT },
  getBulkAction: {},
  listSchedules: {
    overLong: { cursor: (r, maxLength) => spacedOut(r.cursors.schedules, maxLength) },
  },
  getSchedule: {},
  putSchedule: {
    path: (r) => ({ id: r.schedule }),
    // Another timing: taken, it would change the schedule.
    body: () => scheduleBody('0 0 2 1 *'),
    wrongType: NOT_AN_OBJECT,
  },
  deleteSchedule: {},
  pauseSchedule: {},
  resumeSchedule: {},
  triggerSchedule: {},
  // Every probe of `wait` is refused before the drain begins: the shared service keeps running.
  drain: {},
  resume: { nothingToProbe: 'no parameters, no body; resuming a running instance changes nothing' },
  status: { nothingToProbe: 'no parameters' },
  queueCounts: { nothingToProbe: 'no parameters; the answer holds 100 queues at most, the rest summed' },
  pauseQueue: { path: () => ({ queue: 'default' }), body: () => ({ mode: 'checkpoint' }), wrongType: NOT_AN_OBJECT },
  resumeQueue: { nothingToProbe: 'no body; the queue name is checked against QueueName (no maxLength in the spec)' },
  pauseJobType: { path: () => ({ type: 'marked' }), body: () => ({ mode: 'checkpoint' }), wrongType: NOT_AN_OBJECT },
  resumeJobType: { nothingToProbe: 'no body; the type name is checked against JobType (no maxLength in the spec)' },
  listPauses: { nothingToProbe: 'no parameters' },
  metrics: { nothingToProbe: 'no parameters' },
  livez: { nothingToProbe: 'public, no parameters' },
  readyz: { nothingToProbe: 'public, no parameters' },
  openapi: { nothingToProbe: 'public, no parameters' },
  dashboard: { nothingToProbe: 'public, no parameters' },
  docs: { nothingToProbe: 'public, no parameters' },
  docsAsset: { nothingToProbe: 'public; its one path parameter is an enum of three files' },
}

const OPERATIONS = specOperations()

const queryParameters = (operation: SpecOperation) => operation.parameters.filter((p) => p.in === 'query')

/** Query parameters the spec bounds: an integer's range, a string's length. */
const boundedQuery = (operation: SpecOperation) =>
  queryParameters(operation).filter(
    ({ schema }) => schema.maximum !== undefined || schema.minimum !== undefined || schema.maxLength !== undefined,
  )

const boundedPath = (operation: SpecOperation) =>
  operation.parameters.filter((p) => p.in === 'path' && p.schema.maxLength !== undefined)

const hasProbes = (operation: SpecOperation) =>
  operation.requestBody !== undefined || boundedQuery(operation).length > 0 || boundedPath(operation).length > 0

/**
 * A cursor the service issued (base64url of JSON), its JSON spaced out until the cursor is longer
 * than `maxLength`: the same position, which only the bound refuses. Long garbage would be refused
 * as garbage and prove nothing of the bound.
 */
function spacedOut(cursor: string, maxLength: number): string {
  let json = Buffer.from(cursor, 'base64url').toString('utf8')
  JSON.parse(json) // a cursor this suite cannot read says so here, not as a puzzling probe
  let padded = cursor
  while (padded.length <= maxLength) {
    json += ' '
    padded = Buffer.from(json).toString('base64url')
  }
  return padded
}

/** Values past an integer parameter's bounds, and values that are not integers. */
function integerProbes({ schema }: SpecParameter): string[] {
  return [
    ...(schema.maximum === undefined ? [] : [String(schema.maximum + 1)]),
    ...(schema.minimum === undefined ? [] : [String(schema.minimum - 1)]),
    '1.5',
    'ten',
  ]
}

// ---------------------------------------------------------------------------------------------
// The spec's side: every operation accounted for, every list bounded

describe('openapi.yaml: every operation bounds its input, and this test has a case for each', () => {
  it('has a case for every operation, and for each its body, its long query values, or why it has nothing to probe', () => {
    assert.deepEqual(
      keysMissingAndStale(
        ROUTES,
        OPERATIONS.map((o) => o.operationId),
      ),
      { missing: [], stale: [] },
    )
    const problems: string[] = []
    for (const operation of OPERATIONS) {
      const route = ROUTES[operation.operationId]!
      const where = operation.operationId
      const takesBody = operation.requestBody !== undefined
      if (takesBody !== (route.body !== undefined) || takesBody !== 'wrongType' in route) {
        problems.push(`${where}: a body and a wrong type in its case exactly when it takes a body`)
      }
      const longStrings = queryParameters(operation)
        .filter((p) => p.schema.maxLength !== undefined)
        .map((p) => p.name)
      const { missing, stale } = keysMissingAndStale(route.overLong ?? {}, longStrings)
      if (missing.length + stale.length > 0) problems.push(`${where}: overLong misses ${missing}, has stale ${stale}`)
      if (hasProbes(operation) === (route.nothingToProbe !== undefined)) {
        problems.push(`${where}: a reason for nothing to probe exactly when it has no bounded input`)
      }
    }
    assert.deepEqual(problems, [])
  })

  it('lists 400 and 413 for every operation that takes a body', () => {
    const problems = OPERATIONS.filter((o) => o.requestBody !== undefined).flatMap((operation) =>
      ['400', '413']
        .filter((status) => !operation.responses.includes(status))
        .map((status) => `${operation.operationId} lists no ${status}`),
    )
    assert.deepEqual(problems, [])
  })

  it('bounds every integer query parameter both ways, and every paged list by a limit and a cursor length', () => {
    const problems: string[] = []
    for (const operation of OPERATIONS) {
      const where = operation.operationId
      for (const parameter of queryParameters(operation)) {
        const { type, minimum, maximum } = parameter.schema
        if (type === 'integer' && (minimum === undefined || maximum === undefined)) {
          problems.push(`${where}: ${parameter.name} is an integer without a minimum and a maximum`)
        }
      }
      const named = (name: string) => queryParameters(operation).find((p) => p.name === name)
      const pages = operation.okSchema?.properties?.nextCursor !== undefined
      if (pages || named('limit')) {
        if (named('limit')?.schema.maximum === undefined) problems.push(`${where}: a list without a limit's maximum`)
      }
      if (pages || named('cursor')) {
        if (named('cursor')?.schema.maxLength === undefined) problems.push(`${where}: a cursor without a maxLength`)
      }
    }
    assert.deepEqual(problems, [])
    // The lists this checks: a spec that stopped saying `nextCursor` would check none.
    assert.deepEqual(
      OPERATIONS.filter((o) => o.okSchema?.properties?.nextCursor !== undefined).map((o) => o.operationId),
      ['listJobs', 'getJobLogs', 'listWebhooks', 'listSchedules'],
    )
  })
})

// ---------------------------------------------------------------------------------------------
// The service's side

/** What a probe adds to the operation's method and path. */
interface Probe {
  path: Readonly<Record<string, string>>
  query?: string
  headers?: Record<string, string>
  body?: string | ReadableStream<Uint8Array>
}

for (const target of databaseTargets()) {
  const skip = onceSkip(target, 'every bound is checked in the service, before the database is asked')
  describe(`route limits (${target.name})`, { timeout: 60_000, skip }, () => {
    let service: TestService
    let resources: Resources

    suiteService(
      target,
      (started) => (service = started),
      {
        MAX_BODY_BYTES: String(MAX_BODY_BYTES),
        // So that createWebhook's body is one it takes: only what is probed refuses it.
        WEBHOOK_ALLOW_HTTP: 'true',
        WEBHOOK_ALLOWED_HOSTS: '127.0.0.1',
      },
      { registry: new JobRegistry([markedJob]) },
    )

    before(async () => {
      const failed = await enqueue(service, { type: 'marked' }, ADMIN)
      await pollUntil(service, failed.id, (job) => job.state === 'failed', { sub: ADMIN.sub })
      const queued = await enqueue(service, { type: 'marked', runAt: FAR_AWAY }, ADMIN)
      for (const id of ['limits-yearly', 'limits-other']) {
        const body = JSON.stringify(scheduleBody())
        await expectJson(await service.request(`/v1/schedules/${id}`, { ...ADMIN, method: 'PUT', body }), 201)
      }
      for (const path of ['one', 'two']) {
        const body = JSON.stringify({ url: `http://127.0.0.1:9/limits-${path}` })
        await expectJson(await service.request('/v1/webhooks', { ...ADMIN, method: 'POST', body }), 201)
      }
      const nextCursor = async (path: string) => {
        const { nextCursor } = await read<{ nextCursor: string | null }>(path)
        assert.ok(nextCursor, `${path} gave no cursor`)
        return nextCursor
      }
      resources = {
        failedJob: failed.id,
        queuedJob: queued.id,
        schedule: 'limits-yearly',
        cursors: {
          jobs: await nextCursor('/v1/jobs?limit=1'),
          schedules: await nextCursor('/v1/schedules?limit=1'),
          logs: await nextCursor(`/v1/jobs/${failed.id}/logs?limit=1`),
          webhooks: await nextCursor('/v1/webhooks?limit=1'),
        },
      }
    })

    const read = async <T = Record<string, unknown>>(path: string): Promise<T> =>
      expectJson<T>(await service.request(path, ADMIN), 200)

    /**
     * What the suite has stored, as the owner's lists show it, and the instance's state (a drain
     * refused must not have begun). No route lists bulk actions: their table is counted.
     */
    async function stored(): Promise<Record<string, unknown>> {
      const { sql, schema } = service.db
      const [bulkActions] = await sql<{ count: number }[]>`
        select count(*)::int as count from ${sql(schema)}.job_runner_bulk_actions`
      return {
        jobs: (await read('/v1/jobs?limit=100')).jobs,
        schedules: (await read('/v1/schedules?limit=100')).schedules,
        webhooks: (await read('/v1/webhooks')).webhooks,
        pauses: (await read('/v1/admin/pauses')).pauses,
        bulkActions: bulkActions!.count,
        state: (await read('/v1/admin/status')).state,
      }
    }

    /** Runs `probes` on `operation` and asserts that the suite's resources are as they were. */
    async function storingNothing(operation: SpecOperation, probes: () => Promise<void>): Promise<void> {
      const before = await stored()
      try {
        await probes()
      } catch (error) {
        if (error instanceof Error) error.message = `${operation.operationId}: ${error.message}`
        throw error
      }
      assert.deepEqual(await stored(), before, `a request ${operation.operationId} refused changed what was stored`)
    }

    function send(operation: SpecOperation, { path, query = '', headers, body }: Probe): Promise<Response> {
      const url = operation.path.replace(/\{([^}]+)\}/g, (_, name: string) => {
        const value = path[name]
        assert.ok(value !== undefined, `${operation.operationId}: no value for the path parameter {${name}}`)
        return encodeURIComponent(value)
      })
      // `duplex` (a stream's body is sent as it is read) is not in TypeScript's RequestInit yet.
      const init = { ...ADMIN, method: operation.method, signal: AbortSignal.timeout(PROBE_TIMEOUT_MS), headers, body }
      return service.request(url + query, { ...init, ...(body !== undefined && { duplex: 'half' }) } as RequestInit)
    }

    /**
     * Asserts a problem+json refusal with one of `statuses` that the operation lists; `what` names the
     * probe in a failure. An answer that is not a refusal is read no further than its status: it may be
     * an event stream, which does not end.
     */
    async function expectRefused(
      operation: SpecOperation,
      response: Response,
      statuses: readonly number[],
      what: string,
    ): Promise<Problem> {
      if (!statuses.includes(response.status)) {
        const streams = (response.headers.get('content-type') ?? '').startsWith('text/event-stream')
        if (streams) await response.body?.cancel()
        const text = streams ? '(an event stream)' : await response.text()
        assert.fail(`${what}: expected ${statuses.join(' or ')}, got ${response.status}: ${text.slice(0, 300)}`)
      }
      assert.ok(
        operation.responses.includes(String(response.status)),
        `${what}: openapi.yaml lists no ${response.status}`,
      )
      return expectProblem(response, response.status)
    }

    describe('request bodies', () => {
      for (const operation of OPERATIONS.filter((o) => o.requestBody !== undefined)) {
        it(`${operation.operationId}: 413 one byte over MAX_BODY_BYTES (with a Content-Length and chunked), 400 for text that is not JSON, 400 or 422 for JSON of another type; nothing stored`, async () => {
          const route = ROUTES[operation.operationId]!
          await storingNothing(operation, async () => {
            const call = { path: route.path?.(resources) ?? {}, headers: route.headers ?? {} }
            const json = JSON.stringify(route.body!(resources))
            // JSON's own whitespace: the same body, which only its size refuses.
            const overLimit = json + ' '.repeat(MAX_BODY_BYTES + 1 - Buffer.byteLength(json))
            const tooLarge = await send(operation, { ...call, body: overLimit })
            await expectRefused(operation, tooLarge, [413], 'a body over the limit')

            const chunked = await send(operation, { ...call, body: inTwoChunks(overLimit) })
            await expectRefused(operation, chunked, [413], 'a chunked body over the limit')

            // The same body, its last character lost.
            const broken = await send(operation, { ...call, body: json.slice(0, -1) })
            await expectRefused(operation, broken, [400], 'a body that is not JSON')

            const wrongType = await send(operation, { ...call, body: JSON.stringify(route.wrongType) })
            await expectRefused(operation, wrongType, [400, 422], `a body of ${JSON.stringify(route.wrongType)}`)
          })
        })
      }
    })

    describe('query parameters', () => {
      for (const operation of OPERATIONS.filter((o) => boundedQuery(o).length > 0)) {
        const names = boundedQuery(operation).map((p) => p.name)
        it(`${operation.operationId}: 400 naming ${names.join(', ')} past ${names.length > 1 ? 'their bounds' : 'its bound'}; nothing stored`, async () => {
          const route = ROUTES[operation.operationId]!
          await storingNothing(operation, async () => {
            const path = route.path?.(resources) ?? {}
            for (const parameter of boundedQuery(operation)) {
              const values =
                parameter.schema.type === 'integer'
                  ? integerProbes(parameter)
                  : [route.overLong![parameter.name]!(resources, parameter.schema.maxLength!)]
              for (const value of values) {
                const query = `?${parameter.name}=${encodeURIComponent(value)}`
                const what = `${parameter.name}=${value.length > 40 ? `${value.slice(0, 40)}… (${value.length})` : value}`
                const problem = await expectRefused(operation, await send(operation, { path, query }), [400], what)
                assert.equal(problem.type, 'urn:job-runner:problem:invalid-parameter', what)
                assert.match(problem.detail ?? '', new RegExp(parameter.name), `${what}: the detail names no parameter`)
              }
            }
          })
        })
      }
    })

    describe('path parameters', () => {
      for (const operation of OPERATIONS.filter((o) => boundedPath(o).length > 0)) {
        const [parameter, ...others] = boundedPath(operation)
        const overLong = '1'.repeat(parameter!.schema.maxLength! + 1)
        it(`${operation.operationId}: 400 or 404 for {${parameter!.name}} of ${overLong.length} characters; nothing stored`, async () => {
          assert.deepEqual(others, [], 'one bounded path parameter at most: a second needs a probe of its own')
          const route = ROUTES[operation.operationId]!
          await storingNothing(operation, async () => {
            // Digits, which every id may hold: only the length is wrong. The rest is a request it takes.
            const body = route.body && JSON.stringify(route.body(resources))
            const probe = { path: { [parameter!.name]: overLong }, headers: route.headers ?? {}, body }
            const problem = await expectRefused(operation, await send(operation, probe), [400, 404], 'an id too long')
            // The handler's answer, not the router's: the route was reached.
            assert.doesNotMatch(problem.detail ?? '', /^no route /)
          })
        })
      }
    })

    it('logged no error: bad input is the caller’s mistake, not the service’s', () => {
      const errors = service.logs.records().filter((record) => (record.level as number) >= 50)
      assert.deepEqual(errors, [])
    })
  })
}

/** `text` as a stream of two chunks, which fetch sends without a Content-Length (chunked). */
function inTwoChunks(text: string): ReadableStream<Uint8Array> {
  const bytes = new TextEncoder().encode(text)
  return new ReadableStream({
    start(controller) {
      controller.enqueue(bytes.subarray(0, MAX_BODY_BYTES))
      controller.enqueue(bytes.subarray(MAX_BODY_BYTES))
      controller.close()
    },
  })
}
