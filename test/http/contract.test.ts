/**
 * openapi.yaml is the contract: for every operation and every status it lists, a real request over
 * HTTP produces that status, and the answer (status, declared headers, content type, body) is
 * validated against the document. The routes the app serves and the operations of the spec must be
 * the same set, both ways.
 */
import assert from 'node:assert/strict'
import fs from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { after, before, describe, it } from 'node:test'
import { OpenApiSpec, schemaProblems } from '../../src/http/openapi.js'
import { projectRoot } from '../../src/support/projectRoot.js'
import { databaseTargets, onceSkip, type TestDatabase } from '../support/databases.js'
import { enqueue, pollUntil, type ApiJob } from '../support/http.js'
import { startTestService, type TestService } from '../support/service.js'
import { suiteService } from '../support/suiteService.js'

const spec = OpenApiSpec.load()
const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options', 'trace'] as const

interface ResponseObject {
  $ref?: string
  headers?: Record<string, { $ref?: string; schema?: unknown }>
  content?: Record<string, { schema?: unknown }>
}

/** JSON Pointer escaping of one reference token (RFC 6901). */
const escape = (token: string) => token.replace(/~/g, '~0').replace(/\//g, '~1')

function resolve<T>(pointer: string): T {
  let node: unknown = spec.document
  for (const token of pointer.replace(/^#\//, '').split('/')) {
    node = (node as Record<string, unknown>)[token.replace(/~1/g, '/').replace(/~0/g, '~')]
  }
  assert.ok(node !== undefined, `openapi.yaml has nothing at ${pointer}`)
  return node as T
}

/** Every (method, path, status) the spec lists. */
function specResponses(): string[] {
  const all: string[] = []
  for (const [path, item] of Object.entries(spec.document.paths)) {
    for (const method of METHODS) {
      const operation = item[method]
      if (!operation) continue
      for (const status of Object.keys(operation.responses ?? {})) all.push(`${method.toUpperCase()} ${path} ${status}`)
    }
  }
  return all.sort()
}

/** Operations that need no token (`security: []`). */
function isPublic(method: string, path: string): boolean {
  const operation = spec.document.paths[path]?.[method.toLowerCase()] as { security?: unknown[] } | undefined
  return Array.isArray(operation?.security) && operation.security.length === 0
}

function specOperations(): string[] {
  const all: string[] = []
  for (const [path, item] of Object.entries(spec.document.paths)) {
    for (const method of METHODS) if (item[method]) all.push(`${method.toUpperCase()} ${path}`)
  }
  return all.sort()
}

/**
 * Asserts `response` is what the spec says `method path` answers with `status`: the status, every
 * header the response declares (present and matching its schema), the media type and the body.
 */
async function conforms(
  response: Response,
  method: string,
  path: string,
  status: number,
  covered: Set<string>,
): Promise<unknown> {
  const text = await response.text()
  assert.equal(response.status, status, `${method} ${path}: expected ${status}, got ${response.status}: ${text}`)
  let pointer = `#/paths/${escape(path)}/${method.toLowerCase()}/responses/${status}`
  let object = resolve<ResponseObject | undefined>(pointer)
  if (object?.$ref) {
    pointer = object.$ref
    object = resolve<ResponseObject>(pointer)
  }
  assert.ok(object, `openapi.yaml lists no ${status} for ${method} ${path}`)
  for (const [name, declared] of Object.entries(object.headers ?? {})) {
    const headerPointer = declared.$ref ?? `${pointer}/headers/${escape(name)}`
    const value = response.headers.get(name)
    assert.ok(value !== null, `${method} ${path} ${status}: header ${name} is declared but missing`)
    const validate = spec.validatorFor(`${headerPointer}/schema`)
    assert.ok(
      validate(value),
      `${method} ${path} ${status}: header ${name}=${value}: ${JSON.stringify(validate.errors)}`,
    )
  }
  let body: unknown
  if (object.content) {
    const mediaType = (response.headers.get('content-type') ?? '').split(';')[0]!.trim()
    assert.ok(
      mediaType in object.content,
      `${method} ${path} ${status}: content type ${mediaType} is not one of ${Object.keys(object.content).join(', ')}`,
    )
    body = /[/+]json$/.test(mediaType) ? JSON.parse(text) : text
    const validate = spec.validatorFor(`${pointer}/content/${escape(mediaType)}/schema`)
    assert.ok(
      validate(body),
      `${method} ${path} ${status}: body does not match the spec: ${JSON.stringify(validate.errors)}\n${text}`,
    )
  } else {
    assert.equal(text, '', `${method} ${path} ${status}: the spec declares no body`)
  }
  covered.add(`${method} ${path} ${status}`)
  return body
}

const json = (value: unknown): RequestInit => ({ method: 'POST', body: JSON.stringify(value) })

/** A concrete URL for a spec path: a job id, or a file the /docs page really loads. */
const samplePath = (path: string) => path.replace('{id}', '1').replace('{asset}', 'swagger-ui.css')

/** JSON nested `levels` deep. */
const nested = (levels: number): unknown => (levels <= 1 ? {} : { a: nested(levels - 1) })

/**
 * Keywords a schema object of openapi.yaml may hold (JSON Schema 2020-12 and OpenAPI's additions).
 * A key outside it is most often YAML read differently than meant: in a flow mapping such as
 * `{ description: a, b }` the comma ends the value and `b` becomes a key of its own.
 */
const SCHEMA_KEYWORDS = new Set([
  '$ref',
  '$id',
  '$schema',
  '$defs',
  '$comment',
  'type',
  'enum',
  'const',
  'format',
  'pattern',
  'minLength',
  'maxLength',
  'minimum',
  'maximum',
  'exclusiveMinimum',
  'exclusiveMaximum',
  'multipleOf',
  'items',
  'prefixItems',
  'minItems',
  'maxItems',
  'uniqueItems',
  'contains',
  'properties',
  'patternProperties',
  'additionalProperties',
  'required',
  'minProperties',
  'maxProperties',
  'propertyNames',
  'allOf',
  'anyOf',
  'oneOf',
  'not',
  'if',
  'then',
  'else',
  'dependentRequired',
  'dependentSchemas',
  'unevaluatedProperties',
  'unevaluatedItems',
  'title',
  'description',
  'default',
  'examples',
  'example',
  'deprecated',
  'readOnly',
  'writeOnly',
  'nullable',
  'discriminator',
  'xml',
  'externalDocs',
  'contentMediaType',
  'contentEncoding',
])

/** Every schema object in the document, with its JSON Pointer. */
function* schemasOf(node: unknown, pointer: string, isSchema: boolean): Generator<[string, Record<string, unknown>]> {
  if (node === null || typeof node !== 'object') return
  if (Array.isArray(node)) {
    for (const [i, item] of node.entries()) yield* schemasOf(item, `${pointer}/${i}`, isSchema)
    return
  }
  const object = node as Record<string, unknown>
  if (isSchema) yield [pointer, object]
  for (const [key, child] of Object.entries(object)) {
    const at = `${pointer}/${escape(key)}`
    if (isSchema && ['properties', 'patternProperties', '$defs', 'dependentSchemas'].includes(key)) {
      for (const [name, schema] of Object.entries(child as Record<string, unknown>)) {
        yield* schemasOf(schema, `${at}/${escape(name)}`, true)
      }
    } else if (isSchema && ['enum', 'const', 'default', 'examples', 'example', 'required'].includes(key)) {
      continue
    } else {
      const holdsSchemas = key === 'schema' || (isSchema && SCHEMA_KEYWORDS.has(key))
      yield* schemasOf(child, at, holdsSchemas || pointer === '#/components/schemas')
    }
  }
}

describe('openapi.yaml as a document', () => {
  it('holds no schema key that is not a JSON Schema or OpenAPI keyword', () => {
    const stray: string[] = []
    for (const [pointer, schema] of schemasOf(spec.document, '#', false)) {
      for (const key of Object.keys(schema)) {
        if (!SCHEMA_KEYWORDS.has(key) && !key.startsWith('x-')) stray.push(`${pointer}: ${JSON.stringify(key)}`)
      }
    }
    assert.deepEqual(stray, [])
  })

  it('holds only schemas valid under JSON Schema 2020-12, the check the build fails on', () => {
    assert.deepEqual(schemaProblems(spec.document), [])
    const broken = structuredClone(spec.document)
    broken.components.schemas.JobType = { type: 'strin' }
    const problems = schemaProblems(broken)
    assert.ok(
      problems.length > 0 && problems.every((p) => p.startsWith('#/components/schemas/JobType/type: ')),
      problems.join('\n'),
    )
  })

  it('is read from the build when the build parsed this text, and parsed again when the text changed', async () => {
    const file = path.join(projectRoot(), 'openapi.yaml')
    const text = await fs.readFile(file, 'utf8')
    const built = JSON.parse(await fs.readFile(path.join(projectRoot(), 'dist/openapi.json'), 'utf8')) as {
      document: unknown
    }
    assert.deepEqual(built.document, new OpenApiSpec(text).document, 'the build wrote the YAML parse')
    assert.equal(spec.document, OpenApiSpec.load().document, 'one parse per process')

    // A copy of the project root whose openapi.yaml was edited after the build: the edit is served.
    const root = await fs.mkdtemp(path.join(os.tmpdir(), 'job-runner-spec-'))
    try {
      await fs.mkdir(path.join(root, 'dist'))
      await fs.copyFile(path.join(projectRoot(), 'dist/openapi.json'), path.join(root, 'dist/openapi.json'))
      await fs.writeFile(path.join(root, 'openapi.yaml'), text.replace(/^(\s+title:).*$/m, '$1 An edited title'))
      const edited = OpenApiSpec.load(path.join(root, 'openapi.yaml'))
      assert.equal((edited.document.info as { title: string }).title, 'An edited title')
    } finally {
      await fs.rm(root, { recursive: true, force: true })
    }
  })
})

for (const target of databaseTargets()) {
  describe(`openapi.yaml contract (${target.name})`, { skip: onceSkip(target, 'routes and spec, not SQL') }, () => {
    const covered = new Set<string>()
    let service: TestService

    suiteService(target, (started) => (service = started), {
      MAX_BODY_BYTES: '2048',
      LONG_POLLS_PER_OWNER: '1',
      EVENT_STREAMS_PER_OWNER: '1',
    })

    const check = (response: Response, method: string, path: string, status: number) =>
      conforms(response, method, path, status, covered)
    /** A stream that does not end: its status and media type checked, its body cancelled unread. */
    const checkOpenStream = async (response: Response, method: string, path: string) => {
      assert.equal(response.status, 200, `${method} ${path}`)
      const mediaType = (response.headers.get('content-type') ?? '').split(';')[0]!.trim()
      const declared = resolve<ResponseObject>(`#/paths/${escape(path)}/${method.toLowerCase()}/responses/200`)
      assert.ok(mediaType in (declared.content ?? {}), `${method} ${path}: ${mediaType}`)
      await response.body?.cancel()
      covered.add(`${method} ${path} 200`)
    }

    it('serves a route for every spec operation and no route the spec lacks', async () => {
      const served = new Set(
        service.app.routes
          .filter((route) => route.method !== 'ALL')
          .map((route) => `${route.method} ${route.path.replace(/:([A-Za-z_]+)(\{[^}]*\})?/g, '{$1}')}`),
      )
      const inSpec = new Set(specOperations())
      assert.deepEqual(
        [...served].filter((op) => !inSpec.has(op)),
        [],
        'routes the spec lacks',
      )
      assert.deepEqual(
        [...inSpec].filter((op) => !served.has(op)),
        [],
        'spec operations without a route',
      )
      // The same from outside: a spec operation never answers 404 or 405 (without a token, so
      // nothing runs: authenticated routes stop at 401) …
      for (const operation of inSpec) {
        const [method, path] = operation.split(' ') as [string, string]
        const response = await service.request(samplePath(path), { method, token: null })
        await response.arrayBuffer()
        assert.ok(![404, 405].includes(response.status), `${operation} answered ${response.status}`)
      }
      // A method the spec lacks at a path answers 405, and Allow lists exactly the spec's methods there
      // (a literal segment such as /v1/jobs/batch is not read as an {id}).
      for (const [path, item] of Object.entries(spec.document.paths)) {
        const methods = METHODS.filter((m) => item[m]).map((m) => m.toUpperCase())
        const allowed = [...methods, ...(methods.includes('GET') ? ['HEAD'] : [])].sort()
        // GET too: GET /v1/jobs/batch is not GET /v1/jobs/{id} for a job named "batch".
        for (const method of ['GET', 'OPTIONS', 'PUT', 'DELETE', 'PATCH'].filter((m) => !methods.includes(m))) {
          const response = await service.request(samplePath(path), { method })
          await response.arrayBuffer()
          assert.equal(response.status, 405, `${method} ${path}`)
          const allow = (response.headers.get('allow') ?? '').split(',').map((m) => m.trim())
          assert.deepEqual(allow.sort(), allowed, `Allow at ${path}`)
        }
      }
      // … and paths outside it do.
      for (const path of [
        '/v1',
        '/v1/admin',
        '/v1/jobs/1/rerun',
        '/v1/jobs/batch/1',
        '/v1/schedules/1/run',
        '/v2/jobs',
        '/openapi.json',
        '/docs/x',
        '/livez/x',
      ]) {
        const response = await service.request(path)
        assert.equal(response.status, 404, `${path} answered ${response.status}`)
        await response.arrayBuffer()
      }
    })

    it('POST /v1/jobs: 202, 200, 400, 401, 403, 413, 415, 422', async () => {
      const path = '/v1/jobs'
      const body = { type: 'echo', payload: { n: 1 }, queue: 'nobody' }
      const first = await service.request(path, { ...json(body), headers: { 'idempotency-key': 'contract-1' } })
      const job = (await check(first, 'POST', path, 202)) as ApiJob
      assert.equal(first.headers.get('location'), `/v1/jobs/${job.id}`)
      const replay = await service.request(path, { ...json(body), headers: { 'idempotency-key': 'contract-1' } })
      assert.equal(((await check(replay, 'POST', path, 200)) as ApiJob).id, job.id)
      await check(await service.request(path, { method: 'POST', body: '{"type":' }), 'POST', path, 400)
      await check(await service.request(path, { ...json(body), token: null }), 'POST', path, 401)
      await check(await service.request(path, { ...json(body), scopes: ['jobs:read'] }), 'POST', path, 403)
      await check(
        await service.request(path, json({ type: 'echo', payload: { s: 'x'.repeat(4096) } })),
        'POST',
        path,
        413,
      )
      await check(
        await service.request(path, {
          method: 'POST',
          body: JSON.stringify(body),
          headers: { 'content-type': 'text/plain' },
        }),
        'POST',
        path,
        415,
      )
      await check(await service.request(path, json({ type: 'no-such-type' })), 'POST', path, 422)
    })

    it('POST /v1/jobs/batch: 202, 400, 401, 403, 413, 415, 422', async () => {
      const path = '/v1/jobs/batch'
      const body = {
        jobs: [
          { type: 'echo', queue: 'nobody' },
          { type: 'sleep', payload: { ms: 1 }, queue: 'nobody', idempotencyKey: 'b-1' },
        ],
      }
      const { jobs } = (await check(await service.request(path, json(body)), 'POST', path, 202)) as { jobs: ApiJob[] }
      assert.equal(jobs.length, 2)
      await check(await service.request(path, { method: 'POST', body: '[' }), 'POST', path, 400)
      await check(await service.request(path, { ...json(body), token: null }), 'POST', path, 401)
      await check(await service.request(path, { ...json(body), scopes: ['jobs:read', 'admin'] }), 'POST', path, 403)
      await check(
        await service.request(path, json({ jobs: [{ type: 'echo', payload: 'x'.repeat(4096) }] })),
        'POST',
        path,
        413,
      )
      await check(
        await service.request(path, {
          method: 'POST',
          body: JSON.stringify(body),
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
        }),
        'POST',
        path,
        415,
      )
      await check(
        await service.request(path, json({ jobs: [{ type: 'echo' }, { type: 'sleep', payload: { ms: -1 } }] })),
        'POST',
        path,
        422,
      )
    })

    it('GET /v1/jobs: 200, 400, 401, 403', async () => {
      const path = '/v1/jobs'
      const page = (await check(await service.request(`${path}?limit=1`), 'GET', path, 200)) as {
        jobs: ApiJob[]
        nextCursor: string | null
      }
      assert.equal(page.jobs.length, 1)
      assert.equal(typeof page.nextCursor, 'string')
      await check(
        await service.request(`${path}?cursor=${page.nextCursor}&state=queued&type=echo&queue=nobody`),
        'GET',
        path,
        200,
      )
      await check(await service.request(`${path}?limit=101`), 'GET', path, 400)
      await check(await service.request(path, { token: null }), 'GET', path, 401)
      await check(await service.request(path, { scopes: ['jobs:write'] }), 'GET', path, 403)
    })

    it('GET /v1/jobs/{id}: 200, 304, 400, 401, 403, 404', async () => {
      const path = '/v1/jobs/{id}'
      const job = await enqueue(service, { type: 'echo', queue: 'nobody' })
      const url = `/v1/jobs/${job.id}`
      const found = await service.request(url)
      await check(found, 'GET', path, 200)
      const etag = found.headers.get('etag')!
      await check(await service.request(url, { headers: { 'if-none-match': etag } }), 'GET', path, 304)
      await check(await service.request(`${url}?wait=61`), 'GET', path, 400)
      await check(await service.request(url, { token: null }), 'GET', path, 401)
      await check(await service.request(url, { scopes: ['jobs:write'] }), 'GET', path, 403)
      await check(await service.request('/v1/jobs/999999999'), 'GET', path, 404)
    })

    it('GET /v1/jobs/{id}/logs: 200, 400, 401, 403, 404', async () => {
      const path = '/v1/jobs/{id}/logs'
      const job = await enqueue(service, { type: 'echo', queue: 'nobody' })
      const url = `/v1/jobs/${job.id}/logs`
      const page = (await check(await service.request(url), 'GET', path, 200)) as { lines: unknown[] }
      assert.deepEqual(page.lines, [])
      await check(await service.request(`${url}?cursor=forged`), 'GET', path, 400)
      await check(await service.request(`${url}?limit=0`), 'GET', path, 400)
      await check(await service.request(url, { token: null }), 'GET', path, 401)
      await check(await service.request(url, { scopes: ['jobs:write'] }), 'GET', path, 403)
      await check(await service.request('/v1/jobs/999999999/logs'), 'GET', path, 404)
    })

    it('POST /v1/jobs/{id}/cancel: 200, 202, 401, 403, 404, 409', async () => {
      const path = '/v1/jobs/{id}/cancel'
      const queued = await enqueue(service, { type: 'echo', queue: 'nobody' })
      const cancelled = (await check(
        await service.request(`/v1/jobs/${queued.id}/cancel`, { method: 'POST' }),
        'POST',
        path,
        200,
      )) as ApiJob
      assert.equal(cancelled.state, 'cancelled')
      const sleeper = await enqueue(service, { type: 'sleep', payload: { ms: 60_000 } })
      await pollUntil(service, sleeper.id, (job) => job.state === 'running')
      const requested = (await check(
        await service.request(`/v1/jobs/${sleeper.id}/cancel`, { method: 'POST' }),
        'POST',
        path,
        202,
      )) as ApiJob
      assert.equal(requested.cancelRequested, true)
      await pollUntil(service, sleeper.id, (job) => job.state === 'cancelled')
      await check(
        await service.request(`/v1/jobs/${queued.id}/cancel`, { method: 'POST', token: null }),
        'POST',
        path,
        401,
      )
      await check(
        await service.request(`/v1/jobs/${queued.id}/cancel`, { method: 'POST', scopes: ['jobs:read'] }),
        'POST',
        path,
        403,
      )
      await check(await service.request('/v1/jobs/999999999/cancel', { method: 'POST' }), 'POST', path, 404)
      const echo = await enqueue(service, { type: 'echo', payload: 1 })
      await pollUntil(service, echo.id, (job) => job.state === 'succeeded')
      await check(await service.request(`/v1/jobs/${echo.id}/cancel`, { method: 'POST' }), 'POST', path, 409)
    })

    it('POST /v1/jobs/{id}/pause and /resume: 200, 202, 401, 403, 404, 409', async () => {
      const pause = '/v1/jobs/{id}/pause'
      const resume = '/v1/jobs/{id}/resume'
      const post = (id: string, action: string, init: Parameters<typeof service.request>[1] = {}) =>
        service.request(`/v1/jobs/${id}/${action}`, { method: 'POST', ...init })
      const queued = await enqueue(service, { type: 'echo', queue: 'nobody' })
      const paused = (await check(await post(queued.id, 'pause'), 'POST', pause, 200)) as ApiJob
      assert.equal(paused.state, 'paused')
      const resumed = (await check(await post(queued.id, 'resume'), 'POST', resume, 200)) as ApiJob
      assert.equal(resumed.state, 'queued')
      const sleeper = await enqueue(service, { type: 'sleep', payload: { ms: 60_000 } })
      await pollUntil(service, sleeper.id, (job) => job.state === 'running')
      const requested = (await check(await post(sleeper.id, 'pause'), 'POST', pause, 202)) as ApiJob
      assert.equal(requested.pauseRequested, true)
      await pollUntil(service, sleeper.id, (job) => job.state === 'paused')
      await post(sleeper.id, 'cancel').then((r) => r.arrayBuffer())
      for (const [action, path] of [
        ['pause', pause],
        ['resume', resume],
      ] as const) {
        await check(await post(queued.id, action, { token: null }), 'POST', path, 401)
        await check(await post(queued.id, action, { scopes: ['jobs:read'] }), 'POST', path, 403)
        await check(await post('999999999', action), 'POST', path, 404)
        const problem = (await check(await post(sleeper.id, action), 'POST', path, 409)) as { detail: string }
        assert.match(problem.detail, /is cancelled/, 'the 409 names the state')
      }
    })

    it('pause and resume of queues and job types: 200, 400, 404, 413, 415, 422; GET /v1/admin/pauses: 200', async () => {
      for (const [segment, name] of [
        ['queues', 'default'],
        ['job-types', 'echo'],
      ] as const) {
        const param = segment === 'queues' ? '{queue}' : '{type}'
        const pause = `/v1/admin/${segment}/${param}/pause`
        const resume = `/v1/admin/${segment}/${param}/resume`
        const url = `/v1/admin/${segment}/${name}/pause`
        await check(await service.request(url, json({ mode: 'finish' })), 'POST', pause, 200)
        await check(await service.request('/v1/admin/pauses'), 'GET', '/v1/admin/pauses', 200)
        await check(await service.request(url, { method: 'POST', body: '{' }), 'POST', pause, 400)
        await check(await service.request(`/v1/admin/${segment}/nothing-here/pause`, json({})), 'POST', pause, 404)
        await check(await service.request(url, json({ mode: 'x'.repeat(4096) })), 'POST', pause, 413)
        const textPlain = { method: 'POST', body: '{}', headers: { 'content-type': 'text/plain' } }
        await check(await service.request(url, textPlain), 'POST', pause, 415)
        await check(await service.request(url, json({ mode: 'soon' })), 'POST', pause, 422)
        const back = `/v1/admin/${segment}/${name}/resume`
        await check(await service.request(back, { method: 'POST' }), 'POST', resume, 200)
        const unknownResume = `/v1/admin/${segment}/nothing-here/resume`
        await check(await service.request(unknownResume, { method: 'POST' }), 'POST', resume, 404)
      }
    })

    it('POST /v1/jobs/{id}/retry: 200, 400, 404, 409, 413, 415, 422', async () => {
      const path = '/v1/jobs/{id}/retry'
      const queued = await enqueue(service, { type: 'echo', queue: 'nobody' })
      const url = `/v1/jobs/${queued.id}/retry`
      await check(await service.request(url, { method: 'POST' }), 'POST', path, 409)
      await service.request(`/v1/jobs/${queued.id}/cancel`, { method: 'POST' }).then((r) => r.arrayBuffer())
      const retried = (await check(await service.request(url, json({ from: 'start' })), 'POST', path, 200)) as ApiJob
      assert.equal(retried.state, 'queued')
      await check(await service.request(url, { method: 'POST', body: '{"from":' }), 'POST', path, 400)
      await check(await service.request('/v1/jobs/999999999/retry', { method: 'POST' }), 'POST', path, 404)
      await check(await service.request(url, json({ from: 'x'.repeat(4096) })), 'POST', path, 413)
      await check(
        await service.request(url, { method: 'POST', body: '{}', headers: { 'content-type': 'text/plain' } }),
        'POST',
        path,
        415,
      )
      await check(await service.request(url, json({ from: 'middle' })), 'POST', path, 422)
    })

    it('GET and PUT /v1/jobs/{id}/checkpoint, GET /v1/jobs/{id}/checkpoints: every status', async () => {
      const path = '/v1/jobs/{id}/checkpoint'
      const failed = await enqueue(service, { type: 'flaky', payload: { failTimes: 1 }, maxAttempts: 1 })
      const succeeded = await enqueue(service, { type: 'count', payload: { to: 1, stepMs: 0 } })
      await pollUntil(service, failed.id, (j) => j.state === 'failed')
      await pollUntil(service, succeeded.id, (j) => j.state === 'succeeded')
      const url = `/v1/jobs/${failed.id}/checkpoint`
      const read = await service.request(url)
      assert.deepEqual(await check(read, 'GET', path, 200), { failed: 1 })
      const etag = read.headers.get('etag')!
      const queued = await enqueue(service, { type: 'echo', queue: 'nobody' })
      await check(await service.request(`/v1/jobs/${queued.id}/checkpoint`), 'GET', path, 404)
      const put = (body: string, headers: Record<string, string> = { 'if-match': etag }, at = url) =>
        service.request(at, { method: 'PUT', body, headers })
      await check(await put('{"failed":0}', {}), 'PUT', path, 428)
      await check(await put('{"failed":0}', { 'if-match': 'no-quotes' }), 'PUT', path, 400)
      await check(await put('{"failed":'), 'PUT', path, 400)
      await check(await put('null'), 'PUT', path, 422)
      await check(await put(JSON.stringify({ pad: 'x'.repeat(4096) })), 'PUT', path, 413)
      await check(await put('{}', { 'if-match': etag, 'content-type': 'text/plain' }), 'PUT', path, 415)
      await check(await put('{}', { 'if-match': '*' }, '/v1/jobs/999999999/checkpoint'), 'PUT', path, 404)
      const done = await service.request(`/v1/jobs/${succeeded.id}/checkpoint`)
      const doneTag = done.headers.get('etag')!
      await done.arrayBuffer()
      await check(
        await put('{"cursor":0}', { 'if-match': doneTag }, `/v1/jobs/${succeeded.id}/checkpoint`),
        'PUT',
        path,
        409,
      )
      assert.deepEqual(await check(await put('{"failed":0}'), 'PUT', path, 200), { failed: 0 })
      await check(await put('{"failed":0}'), 'PUT', path, 412)
      const history = '/v1/jobs/{id}/checkpoints'
      const entries = (await check(await service.request(`${url}s`), 'GET', history, 200)) as {
        checkpoints: unknown[]
      }
      assert.equal(entries.checkpoints.length, 1)
      await check(await service.request('/v1/jobs/999999999/checkpoints'), 'GET', history, 404)
    })

    it('POST /v1/jobs/{id}/replay: 202, 400, 404, 413, 415, 422', async () => {
      const path = '/v1/jobs/{id}/replay'
      const original = await enqueue(service, { type: 'echo', payload: { n: 1 }, queue: 'nobody' })
      const url = `/v1/jobs/${original.id}/replay`
      const response = await service.request(url, { method: 'POST' })
      const copy = (await check(response, 'POST', path, 202)) as ApiJob
      assert.equal(response.headers.get('location'), `/v1/jobs/${copy.id}`)
      assert.equal(copy.replayOf, original.id)
      await check(await service.request(url, { method: 'POST', body: '[' }), 'POST', path, 400)
      await check(await service.request('/v1/jobs/999999999/replay', { method: 'POST' }), 'POST', path, 404)
      await check(await service.request(url, json({ payload: 'x'.repeat(4096) })), 'POST', path, 413)
      await check(
        await service.request(url, { method: 'POST', body: '{}', headers: { 'content-type': 'text/plain' } }),
        'POST',
        path,
        415,
      )
      await check(await service.request(url, json({ priority: 5000 })), 'POST', path, 422)
    })

    it('POST /v1/bulk-actions: 202, 200, 400, 401, 403, 413, 415, 422; GET /v1/bulk-actions/{id}: 200, 404', async () => {
      const path = '/v1/bulk-actions'
      const queued = await enqueue(service, { type: 'echo', queue: 'nobody' })
      const body = { action: 'cancel', ids: [queued.id] }
      const completed = service.bulkWorker.events.waitFor('bulk:completed')
      const response = await service.request(path, json(body))
      const created = (await check(response, 'POST', path, 202)) as { id: string }
      assert.equal(response.headers.get('location'), `/v1/bulk-actions/${created.id}`)
      await completed
      const url = `/v1/bulk-actions/${created.id}`
      const shown = (await check(await service.request(url), 'GET', '/v1/bulk-actions/{id}', 200)) as {
        state: string
        done: number
      }
      assert.deepEqual([shown.state, shown.done], ['completed', 1])
      await check(await service.request('/v1/bulk-actions/999999999'), 'GET', '/v1/bulk-actions/{id}', 404)
      const preview = { action: 'retry', filter: { state: 'failed' }, dryRun: true }
      await check(await service.request(path, json(preview)), 'POST', path, 200)
      await check(await service.request(path, { method: 'POST', body: '{"action":' }), 'POST', path, 400)
      await check(await service.request(path, { ...json(body), token: null }), 'POST', path, 401)
      await check(await service.request(path, { ...json(body), scopes: ['jobs:read'] }), 'POST', path, 403)
      await check(
        await service.request(path, json({ ...body, ids: Array.from({ length: 200 }, () => '9'.repeat(18)) })),
        'POST',
        path,
        413,
      )
      await check(
        await service.request(path, { method: 'POST', body: '{}', headers: { 'content-type': 'text/plain' } }),
        'POST',
        path,
        415,
      )
      await check(await service.request(path, json({ action: 'delete', filter: {} })), 'POST', path, 422)
    })

    it('event streams: 200, 204, 400, 404, 429', async () => {
      const job = await enqueue(service, { type: 'echo', payload: { n: 1 } })
      const done = await pollUntil(service, job.id, (j) => j.state === 'succeeded')
      const path = '/v1/jobs/{id}/events'
      const url = `/v1/jobs/${done.id}/events`
      const text = (await check(await service.request(url), 'GET', path, 200)) as string
      const id = /^id: (.+)$/m.exec(text)?.[1] ?? ''
      await check(await service.request(url, { headers: { 'last-event-id': id } }), 'GET', path, 204)
      // An event id over the 100 characters openapi.yaml allows (none the service sends is that long).
      await check(await service.request(url, { headers: { 'last-event-id': id.padEnd(101, '1') } }), 'GET', path, 400)
      await check(await service.request('/v1/jobs/999999999/events'), 'GET', path, 404)
      await check(await service.request('/v1/events?state=nope'), 'GET', '/v1/events', 400)
      // One stream per caller here (EVENT_STREAMS_PER_OWNER=1): a second is 429 on either route.
      // The first stream is held open while the second is refused, then cancelled.
      const open = await service.request('/v1/events', { sub: 'streamer' })
      assert.equal(open.status, 200)
      await check(await service.request('/v1/events', { sub: 'streamer' }), 'GET', '/v1/events', 429)
      await check(await service.request(url, { sub: 'streamer' }), 'GET', path, 429)
      await checkOpenStream(open, 'GET', '/v1/events')
    })

    it('webhooks and deliveries: every status', async () => {
      const path = '/v1/webhooks'
      const body = { url: 'https://hooks.example.test/jobs', events: ['failed'] }
      const response = await service.request(path, json(body))
      const created = (await check(response, 'POST', path, 201)) as { id: string; secret: string }
      assert.equal(response.headers.get('location'), `/v1/webhooks/${created.id}`)
      await check(await service.request(path, { method: 'POST', body: '{"url":' }), 'POST', path, 400)
      await check(
        await service.request(path, json({ url: `https://hooks.example.test/${'x'.repeat(3000)}` })),
        'POST',
        path,
        413,
      )
      await check(
        await service.request(path, { method: 'POST', body: '{}', headers: { 'content-type': 'text/plain' } }),
        'POST',
        path,
        415,
      )
      await check(await service.request(path, json({ url: 'http://hooks.example.test/plain' })), 'POST', path, 422)
      await check(await service.request(`${path}?limit=1`), 'GET', path, 200)
      await check(await service.request(`${path}?limit=101`), 'GET', path, 400)
      const byId = '/v1/webhooks/{id}'
      await check(await service.request(`/v1/webhooks/${created.id}`, { method: 'DELETE' }), 'DELETE', byId, 204)
      await check(await service.request(`/v1/webhooks/${created.id}`, { method: 'DELETE' }), 'DELETE', byId, 404)
      const job = await enqueue(service, { type: 'echo', queue: 'nobody' })
      const deliveries = '/v1/jobs/{id}/deliveries'
      await check(await service.request(`/v1/jobs/${job.id}/deliveries`), 'GET', deliveries, 200)
      await check(await service.request('/v1/jobs/999999999/deliveries'), 'GET', deliveries, 404)
    })

    it('/v1/schedules: every status of every operation', async () => {
      const one = '/v1/schedules/{id}'
      const body = { every: 'PT1H', job: { type: 'echo', payload: { n: 1 }, queue: 'nobody' } }
      const put = (value: unknown, init: Parameters<TestService['request']>[1] = {}) =>
        service.request('/v1/schedules/contract', { method: 'PUT', body: JSON.stringify(value), ...init })
      await check(await put(body), 'PUT', one, 201)
      await check(await put({ ...body, overlap: 'skip' }), 'PUT', one, 200)
      await check(await put('{', { body: '{' }), 'PUT', one, 400)
      await check(await put(body, { sub: 'mallory', scopes: ['jobs:write'] }), 'PUT', one, 409)
      await check(await put({ ...body, job: { type: 'echo', payload: 'x'.repeat(4096) } }), 'PUT', one, 413)
      await check(await put(body, { headers: { 'content-type': 'text/plain' } }), 'PUT', one, 415)
      await check(await put({ ...body, every: 'PT0.1S' }), 'PUT', one, 422)

      await check(await service.request('/v1/schedules/contract'), 'GET', one, 200)
      await check(await service.request('/v1/schedules/nothing-here'), 'GET', one, 404)
      await check(await service.request('/v1/schedules?limit=1'), 'GET', '/v1/schedules', 200)
      await check(await service.request('/v1/schedules?limit=0'), 'GET', '/v1/schedules', 400)

      for (const action of ['pause', 'resume']) {
        const path = `/v1/schedules/{id}/${action}`
        await check(await service.request(`/v1/schedules/contract/${action}`, { method: 'POST' }), 'POST', path, 200)
        await check(
          await service.request(`/v1/schedules/nothing-here/${action}`, { method: 'POST' }),
          'POST',
          path,
          404,
        )
      }

      const trigger = '/v1/schedules/{id}/trigger'
      const fire = (init: Parameters<TestService['request']>[1] = {}, id = 'contract') =>
        service.request(`/v1/schedules/${id}/trigger`, { method: 'POST', ...init })
      const triggered = await fire({ headers: { 'idempotency-key': 'contract-trigger' } })
      const job = (await check(triggered, 'POST', trigger, 202)) as ApiJob
      const replayed = await fire({ headers: { 'idempotency-key': 'contract-trigger' } })
      assert.equal(((await check(replayed, 'POST', trigger, 200)) as ApiJob).id, job.id)
      await check(await fire({ headers: { 'idempotency-key': 'k'.repeat(201) } }), 'POST', trigger, 400)
      await check(await fire({}, 'nothing-here'), 'POST', trigger, 404)
      // A job type gone since the schedule was stored (a deploy removed it): the trigger is refused.
      await service.db.sql`
        insert into job_runner.job_runner_schedules (id, owner, source, every, every_ms, timezone, job, overlap, paused)
        values ('contract-gone', 'alice', 'api', 'PT1H', 3600000, 'UTC', '{"type":"gone"}', 'allow', true)`
      await check(await fire({}, 'contract-gone'), 'POST', trigger, 422)

      // Declared in code: deleted by removing it from the code, not over HTTP.
      await service.db.sql`
        insert into job_runner.job_runner_schedules (id, owner, source, every, every_ms, timezone, job, overlap, paused)
        values ('contract-code', 'system', 'code', 'PT1H', 3600000, 'UTC', '{"type":"echo"}', 'allow', true)`
      await check(await service.request('/v1/schedules/contract-code', { method: 'DELETE' }), 'DELETE', one, 409)
      await check(await service.request('/v1/schedules/contract', { method: 'DELETE' }), 'DELETE', one, 204)
      await check(await service.request('/v1/schedules/contract', { method: 'DELETE' }), 'DELETE', one, 404)
    })

    it('every secured operation: 401 without a token, 403 without its scope', async () => {
      for (const operation of specOperations()) {
        const [method, path] = operation.split(' ') as [string, string]
        if (isPublic(method, path)) continue
        const url = samplePath(path)
        await check(await service.request(url, { method, token: null }), method, path, 401)
        await check(await service.request(url, { method, scopes: [] }), method, path, 403)
      }
    })

    it('every GET without parameters: 200 for an admin', async () => {
      for (const operation of specOperations()) {
        const [method, path] = operation.split(' ') as [string, string]
        if (method !== 'GET' || path.includes('{')) continue
        const response = await service.request(path)
        if (response.headers.get('content-type')?.startsWith('text/event-stream'))
          await checkOpenStream(response, method, path)
        else await check(response, method, path, 200)
      }
      const yaml = (await check(
        await service.request('/openapi.yaml', { token: null }),
        'GET',
        '/openapi.yaml',
        200,
      )) as string
      assert.equal(yaml, spec.text)
      const asked = await service.request('/openapi.yaml', { token: null, headers: { accept: 'application/yaml' } })
      assert.equal(asked.headers.get('content-type'), 'application/yaml; charset=utf-8')
      assert.equal(await check(asked, 'GET', '/openapi.yaml', 200), spec.text)
      const html = (await check(await service.request('/docs', { token: null }), 'GET', '/docs', 200)) as string
      assert.match(html, /<html/i)
      await check(await service.request('/livez', { token: null }), 'GET', '/livez', 200)
    })

    it('GET /docs/{asset}: 200 for each file the page loads, 404 for any other', async () => {
      const path = '/docs/{asset}'
      const html = await (await service.request('/docs', { token: null })).text()
      const assets = [...html.matchAll(/(?:src|href)="(\/docs\/[^"]+)"/g)].map((m) => m[1]!)
      assert.equal(assets.length, 3, html)
      for (const url of assets) await check(await service.request(url, { token: null }), 'GET', path, 200)
      await check(await service.request('/docs/swagger-ui.js', { token: null }), 'GET', path, 404)
    })

    it("every operation: 431 for headers over the HTTP parser's limit", async () => {
      for (const operation of specOperations()) {
        const [method, path] = operation.split(' ') as [string, string]
        const padding = 'x'.repeat(32 * 1024)
        const response = await service.request(samplePath(path), { method, headers: { 'x-padding': padding } })
        await check(response, method, path, 431)
      }
    })

    it('POST /v1/jobs and /v1/jobs/batch: 422 for a body nested past the limit', async () => {
      const deep = { type: 'echo', payload: nested(70) }
      const single = await check(await service.request('/v1/jobs', json(deep)), 'POST', '/v1/jobs', 422)
      assert.match((single as { detail: string }).detail, /nested deeper than 64/)
      const batchResponse = await service.request('/v1/jobs/batch', json({ jobs: [deep] }))
      const batch = await check(batchResponse, 'POST', '/v1/jobs/batch', 422)
      assert.match((batch as { detail: string }).detail, /nested deeper than 64/)
    })

    it('GET /v1/jobs/{id}: 429 past the long-polls one caller may hold', async () => {
      const job = await enqueue(service, { type: 'echo', queue: 'nobody' }, { sub: 'poller' })
      // Two long-polls at once for one caller who may hold one: one of them is refused.
      for (let attempt = 0; ; attempt++) {
        const answers = await Promise.all(
          [0, 1].map(() => service.request(`/v1/jobs/${job.id}?wait=2`, { sub: 'poller' })),
        )
        const refused = answers.find((response) => response.status === 429)
        if (refused || attempt === 5) {
          await check(refused ?? answers[0]!, 'GET', '/v1/jobs/{id}', 429)
          await Promise.all(
            answers.filter((response) => response !== refused).map((response) => response.arrayBuffer()),
          )
          break
        }
        await Promise.all(answers.map((response) => response.arrayBuffer()))
      }
    })

    it('while drained: 503 with Retry-After on every job and schedule route and /readyz; admin routes answer', async () => {
      const queued = await enqueue(service, { type: 'echo', queue: 'nobody' })
      await check(await service.request('/v1/admin/drain?wait=61', { method: 'POST' }), 'POST', '/v1/admin/drain', 400)
      const drained = service.lifecycle.events.waitFor('lifecycle:state', ({ state }) => state === 'drained')
      const drain = await service.request('/v1/admin/drain', { method: 'POST' })
      assert.ok(
        ['draining', 'drained'].includes(
          ((await check(drain, 'POST', '/v1/admin/drain', 202)) as { state: string }).state,
        ),
      )
      if (service.lifecycle.state !== 'drained') await drained
      // A waiting drain of a drained instance answers at once: drained, with the report.
      await check(await service.request('/v1/admin/drain?wait=5', { method: 'POST' }), 'POST', '/v1/admin/drain', 200)
      await check(await service.request('/v1/jobs', json({ type: 'echo' })), 'POST', '/v1/jobs', 503)
      await check(
        await service.request('/v1/jobs/batch', json({ jobs: [{ type: 'echo' }] })),
        'POST',
        '/v1/jobs/batch',
        503,
      )
      await check(await service.request('/v1/jobs'), 'GET', '/v1/jobs', 503)
      await check(await service.request(`/v1/jobs/${queued.id}`), 'GET', '/v1/jobs/{id}', 503)
      await check(
        await service.request(`/v1/jobs/${queued.id}/cancel`, { method: 'POST' }),
        'POST',
        '/v1/jobs/{id}/cancel',
        503,
      )
      await check(
        await service.request(`/v1/jobs/${queued.id}/retry`, { method: 'POST' }),
        'POST',
        '/v1/jobs/{id}/retry',
        503,
      )
      await check(
        await service.request(`/v1/jobs/${queued.id}/replay`, { method: 'POST' }),
        'POST',
        '/v1/jobs/{id}/replay',
        503,
      )
      await check(
        await service.request('/v1/bulk-actions', json({ action: 'retry', filter: { state: 'failed' } })),
        'POST',
        '/v1/bulk-actions',
        503,
      )
      await check(await service.request('/v1/bulk-actions/1'), 'GET', '/v1/bulk-actions/{id}', 503)
      await check(await service.request('/v1/schedules'), 'GET', '/v1/schedules', 503)
      await check(
        await service.request('/v1/schedules/x/trigger', { method: 'POST' }),
        'POST',
        '/v1/schedules/{id}/trigger',
        503,
      )
      await check(await service.request('/readyz', { token: null }), 'GET', '/readyz', 503)
      const status = (await check(await service.request('/v1/admin/status'), 'GET', '/v1/admin/status', 200)) as {
        state: string
      }
      assert.equal(status.state, 'drained')
      await check(await service.request('/v1/admin/resume', { method: 'POST' }), 'POST', '/v1/admin/resume', 200)
      await check(await service.request('/readyz', { token: null }), 'GET', '/readyz', 200)
    })

    describe('while shutting down', () => {
      let stopping: TestDatabase
      let stoppingService: TestService
      before(async () => {
        stopping = await target.create()
        // A job that ignores its token holds the shutdown open (answering 503) until the grace deadline.
        stoppingService = await startTestService(stopping, { SHUTDOWN_GRACE_SECONDS: '4' })
      })
      after(async () => {
        await stoppingService?.close()
        await stopping?.cleanup()
      })

      it('503 with Retry-After and Connection: close on every route but /livez', async () => {
        // 5 s of steps: past the 4 s grace, yet over soon after, as an abandoned job runs on in this process.
        const stubborn = await enqueue(stoppingService, { type: 'stubborn', payload: { to: 250, stepMs: 20 } })
        await pollUntil(stoppingService, stubborn.id, (job) => job.state === 'running')
        const stopped = stoppingService.lifecycle.shutdown('contract test')
        const call = (path: string, init: Parameters<TestService['request']>[1] = {}) =>
          stoppingService.request(path, init)
        // All at once: one after the other, they outlasted the grace on a loaded machine.
        await Promise.all(
          specOperations().map(async (operation) => {
            const [method, path] = operation.split(' ') as [string, string]
            if (path === '/livez') return
            const response = await call(samplePath(path), { method, ...(method === 'POST' ? { body: '{}' } : {}) })
            assert.equal(response.headers.get('connection'), 'close', operation)
            await check(response, method, path, 503)
          }),
        )
        await check(await call('/livez'), 'GET', '/livez', 200)
        await stopped
        assert.equal(stoppingService.lifecycle.state, 'exited')
      })
    })

    it('covers every status of every operation in the spec', () => {
      const missing = specResponses().filter((response) => !covered.has(response))
      assert.deepEqual(missing, [], 'spec responses no test produced')
    })
  })
}
