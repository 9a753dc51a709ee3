/**
 * Owner isolation and scopes, operation by operation, read from openapi.yaml. Every operation names
 * the one scope it needs in its description ("Scope `jobs:read`"), or is public (`security: []`).
 * Every operation whose path names an owner's job, webhook, bulk action or schedule answers another
 * owner 404, as for an id that names nothing (a schedule PUT 409: ids are one namespace, as the spec
 * says), and leaves the resource as it was, while the owner's same call acts on it. Every operation
 * answers 403 to its owner's token that lacks its scope, naming the scope the spec names, and admits
 * a token with that scope alone. The lists and the stream of many jobs show each owner only its own.
 *
 * The tables below are keyed by operationId and checked against the spec both ways: an operation
 * added to openapi.yaml without a case here fails, and so does a case left behind by a removed one.
 * "Another owner" holds `jobs:read` and `jobs:write`: `admin` sees every owner's resources by design.
 */
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { JobRegistry } from '../../jobs/registry.js'
import { ALL_SCOPES, type Scope } from '../../src/auth/scopes.js'
import { databaseTargets, onceSkip } from '../support/databases.js'
import { enqueue, expectJson, expectProblem, pollUntil, type ApiJob, type Problem } from '../support/http.js'
import type { TestService } from '../support/service.js'
import { keysMissingAndStale, specOperations, type SpecOperation } from '../support/specOperations.js'
import { FAR_AWAY, markedJob, YEARLY } from '../support/markedJob.js'
import { suiteService } from '../support/suiteService.js'
import { startWebhookReceiver, type WebhookReceiver } from '../support/webhookReceiver.js'

interface Caller {
  sub: string
  scopes: Scope[]
}

const ALICE: Caller = { sub: 'alice', scopes: ['jobs:read', 'jobs:write'] }
const BOB: Caller = { sub: 'bob', scopes: ['jobs:read', 'jobs:write'] }
const ADMIN: Caller = { sub: 'root', scopes: [...ALL_SCOPES] }

/** An id of every kind that names nothing (a schedule id may be digits too). */
const MISSING_ID = '999999999'
// ---------------------------------------------------------------------------------------------
// The operations of openapi.yaml

type ResourceKind = 'job' | 'webhook' | 'bulk action' | 'schedule'

/** The path parameters of openapi.yaml that name an owner's resource. */
const OWNED_PARAMETERS: Readonly<Record<string, ResourceKind>> = {
  '#/components/parameters/JobId': 'job',
  '#/components/parameters/WebhookId': 'webhook',
  '#/components/parameters/BulkActionId': 'bulk action',
  '#/components/parameters/ScheduleId': 'schedule',
}

const OPERATIONS = specOperations()

const pathParameters = (operation: SpecOperation) => operation.parameters.filter((p) => p.in === 'path')

/** The owner's resource a path parameter of `operation` names, if one does. */
function ownedBy(operation: SpecOperation): ResourceKind | undefined {
  return pathParameters(operation)
    .map((parameter) => (parameter.ref === undefined ? undefined : OWNED_PARAMETERS[parameter.ref]))
    .find((kind) => kind !== undefined)
}

/** Path parameters that name no owner's resource (a queue, a job type, a file). */
function sharedPathParameters(operation: SpecOperation): string[] {
  return pathParameters(operation)
    .filter((parameter) => parameter.ref === undefined || !(parameter.ref in OWNED_PARAMETERS))
    .map((parameter) => parameter.name)
}

/** The scope `operation` needs, as its description names it (checked below to be exactly one). */
function scopeOf(operation: SpecOperation): Scope {
  return operation.scopesNamed[0] as Scope
}

// ---------------------------------------------------------------------------------------------
// Calls

/** What a call adds to the operation's method and path. */
interface Call {
  query?: string
  headers?: Record<string, string>
  body?: unknown
}

/** Whether the answer is an event stream, whose body does not end on its own. */
const isEventStream = (response: Response) =>
  (response.headers.get('content-type') ?? '').startsWith('text/event-stream')

/** Ends an answer whose status is all a test looks at: an event stream is hung up on, not read to its end. */
async function discard(response: Response): Promise<void> {
  if (isEventStream(response)) await response.body?.cancel()
  else await response.text()
}

function pathOf(operation: SpecOperation, parameters: Readonly<Record<string, string>>, query = ''): string {
  const path = operation.path.replace(/\{([^}]+)\}/g, (_, name: string) => {
    const value = parameters[name]
    assert.ok(value !== undefined, `${operation.operationId}: no value for the path parameter {${name}}`)
    return encodeURIComponent(value)
  })
  return path + query
}

function send(
  service: TestService,
  operation: SpecOperation,
  parameters: Readonly<Record<string, string>>,
  { query, headers, body }: Call,
  caller: Caller | { token: null },
): Promise<Response> {
  return service.request(pathOf(operation, parameters, query), {
    ...caller,
    method: operation.method,
    ...(headers ? { headers } : {}),
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  })
}

/** Prefixes an assertion's message with the operation it was about, so a loop's failure names it. */
async function about<T>(operation: SpecOperation, check: () => Promise<T>): Promise<T> {
  try {
    return await check()
  } catch (error) {
    if (error instanceof Error)
      error.message = `${operation.operationId} (${operation.method} ${operation.path}): ${error.message}`
    throw error
  }
}

// ---------------------------------------------------------------------------------------------
// Another owner's id: one case per operation that takes one

interface Owned {
  kind: ResourceKind
  id: string
}

/** Owner A's resources in the states the operations act on, one new resource per call. */
interface Fixtures {
  queuedJob(): Promise<Owned>
  pausedJob(): Promise<Owned>
  /** Failed, with a log line, a checkpoint, its history and a delivery of its own callback. */
  failedJob(): Promise<Owned>
  webhook(): Promise<Owned>
  bulkAction(): Promise<Owned>
  schedule(): Promise<Owned>
  pausedSchedule(): Promise<Owned>
  /** Triggered once by its owner with the Idempotency-Key `TRIGGER_KEY`. */
  triggeredSchedule(): Promise<Owned>
}

interface IsolationCase {
  setup(fixtures: Fixtures): Promise<Owned>
  /**
   * The calls another owner makes with the resource's id (default: the bare call); the first is
   * the owner's too. The others add what the owner would be answered without a change (a wait, a
   * Last-Event-ID naming the end, the owner's Idempotency-Key): the lookup must refuse them first.
   */
  calls?: (id: string) => Call[]
  /** What another owner gets when the spec says other than 404 `not-found`. */
  otherOwner?: { status: number; type: string }
  /** What the owner gets for the same call: the resource was there to find. */
  ownerStatus: number
}

const scheduleBody = (paused = false) => ({
  cron: YEARLY,
  job: { type: 'marked', payload: { from: 'schedule' } },
  paused,
})

const TRIGGER_KEY = 'the-owners-trigger'

/** Every operation whose path names an owner's resource (`OWNED_PARAMETERS`). */
const ISOLATION: Readonly<Record<string, IsolationCase>> = {
  getJob: { setup: (f) => f.queuedJob(), calls: () => [{}, { query: '?wait=1' }], ownerStatus: 200 },
  getJobLogs: { setup: (f) => f.failedJob(), ownerStatus: 200 },
  getJobCheckpoint: { setup: (f) => f.failedJob(), ownerStatus: 200 },
  replaceJobCheckpoint: {
    setup: (f) => f.failedJob(),
    calls: () => [{ headers: { 'if-match': '*' }, body: { step: 2 } }],
    ownerStatus: 200,
  },
  listJobCheckpoints: { setup: (f) => f.failedJob(), ownerStatus: 200 },
  cancelJob: { setup: (f) => f.queuedJob(), ownerStatus: 200 },
  pauseJob: { setup: (f) => f.queuedJob(), ownerStatus: 200 },
  resumeJob: { setup: (f) => f.pausedJob(), ownerStatus: 200 },
  jobEvents: {
    setup: (f) => f.failedJob(),
    // An id naming the state the job ended in is a 204 to its owner ("nothing more will come").
    calls: (id) => [{}, { headers: { 'last-event-id': `${'0'.repeat(20)}.${id}.failed` } }],
    ownerStatus: 200,
  },
  jobDeliveries: { setup: (f) => f.failedJob(), ownerStatus: 200 },
  retryJob: { setup: (f) => f.failedJob(), ownerStatus: 200 },
  replayJob: {
    setup: (f) => f.failedJob(),
    calls: () => [{}, { body: { payload: { replayed: true } } }],
    ownerStatus: 202,
  },
  deleteWebhook: { setup: (f) => f.webhook(), ownerStatus: 204 },
  getBulkAction: { setup: (f) => f.bulkAction(), ownerStatus: 200 },
  getSchedule: { setup: (f) => f.schedule(), ownerStatus: 200 },
  putSchedule: {
    setup: (f) => f.schedule(),
    calls: () => [{ body: scheduleBody() }],
    // openapi.yaml: "Ids are one namespace: another owner's id is 409".
    otherOwner: { status: 409, type: 'schedule-conflict' },
    ownerStatus: 200,
  },
  deleteSchedule: { setup: (f) => f.schedule(), ownerStatus: 204 },
  pauseSchedule: { setup: (f) => f.schedule(), ownerStatus: 200 },
  resumeSchedule: { setup: (f) => f.pausedSchedule(), ownerStatus: 200 },
  triggerSchedule: {
    setup: (f) => f.triggeredSchedule(),
    // The owner's key would answer 200 with the job it made.
    calls: () => [{}, { headers: { 'idempotency-key': TRIGGER_KEY } }],
    ownerStatus: 202,
  },
}

/** Operations whose path parameters name something every owner shares, and why that is not a leak. */
const SHARED_PATH_PARAMETERS: Readonly<Record<string, string>> = {
  pauseQueue: 'a queue belongs to no owner; only an admin pauses it',
  resumeQueue: 'a queue belongs to no owner; only an admin resumes it',
  pauseJobType: 'a job type belongs to no owner; only an admin pauses it',
  resumeJobType: 'a job type belongs to no owner; only an admin resumes it',
  docsAsset: 'a file of the public /docs page',
}

// ---------------------------------------------------------------------------------------------
// Scopes: one call per operation that changes nothing, whoever makes it

/** Path parameters of the scope probes: names that name nothing (a file the /docs page does load). */
const PROBE_PARAMETERS: Readonly<Record<string, string>> = {
  id: MISSING_ID,
  queue: 'no-such-queue',
  type: 'no-such-type',
  asset: 'docs.js',
}

/**
 * Per operation, a call that changes nothing (an id that names nothing, a body refused before
 * anything is stored, a read) yet gets past the scope check to the handler, so that the answer to a
 * token with the scope shows it was admitted.
 */
const PROBES: Readonly<Record<string, Call>> = {
  enqueueJob: { body: {} },
  listJobs: {},
  enqueueJobs: { body: {} },
  getJob: {},
  getJobLogs: {},
  getJobCheckpoint: {},
  replaceJobCheckpoint: { headers: { 'if-match': '*' }, body: { step: 1 } },
  listJobCheckpoints: {},
  cancelJob: {},
  pauseJob: {},
  resumeJob: {},
  jobEvents: {},
  events: {},
  jobDeliveries: {},
  createWebhook: { body: {} },
  listWebhooks: {},
  deleteWebhook: {},
  listJobTypes: {},
  retryJob: {},
  replayJob: {},
  createBulkAction: { body: {} },
  getBulkAction: {},
  listSchedules: {},
  getSchedule: {},
  putSchedule: { body: {} },
  deleteSchedule: {},
  pauseSchedule: {},
  resumeSchedule: {},
  triggerSchedule: {},
  // Refused for its parameter, before any drain starts.
  drain: { query: '?wait=never' },
  // Resuming a running instance changes nothing.
  resume: {},
  status: {},
  queueCounts: {},
  pauseQueue: {},
  resumeQueue: {},
  pauseJobType: {},
  resumeJobType: {},
  listPauses: {},
  metrics: {},
  livez: {},
  readyz: {},
  openapi: {},
  dashboard: {},
  docs: {},
  docsAsset: {},
}

// ---------------------------------------------------------------------------------------------
// Lists

/** An operation that lists owners' resources: where its answer holds them, and which kind they are. */
interface ListCase {
  items: string
  kind: ResourceKind
}

/**
 * Every secured GET without a path parameter, short of `admin` (whose reads span owners by design):
 * a list of the caller's resources, or why it is not one.
 */
const LISTS: Readonly<Record<string, ListCase | { coveredBy: string } | { ownsNothing: string }>> = {
  listJobs: { items: 'jobs', kind: 'job' },
  listSchedules: { items: 'schedules', kind: 'schedule' },
  listWebhooks: { items: 'webhooks', kind: 'webhook' },
  events: { coveredBy: 'the test of the stream of many jobs, live and caught up from the table' },
  listJobTypes: { ownsNothing: 'the job types this instance runs are the same for every caller' },
}

const isListOperation = (operation: SpecOperation) =>
  operation.method === 'GET' &&
  !operation.isPublic &&
  !operation.path.includes('{') &&
  !operation.scopesNamed.includes('admin')

// ---------------------------------------------------------------------------------------------
// The spec's side: every operation accounted for

describe('openapi.yaml: every operation states its scope, and this test has a case for each', () => {
  it('names exactly one known scope for every secured operation, none for a public one, and lists 401 and 403', () => {
    const problems: string[] = []
    for (const operation of OPERATIONS) {
      const where = `${operation.operationId} (${operation.method} ${operation.path})`
      if (operation.isPublic) {
        if (operation.scopesNamed.length > 0) problems.push(`${where} is public yet names ${operation.scopesNamed}`)
        continue
      }
      if (operation.scopesNamed.length !== 1) {
        problems.push(`${where} names ${operation.scopesNamed.length} scopes (Scope \`…\`), not one`)
      } else if (!(ALL_SCOPES as readonly string[]).includes(scopeOf(operation))) {
        problems.push(`${where} names the unknown scope ${scopeOf(operation)}`)
      }
      for (const status of ['401', '403']) {
        if (!operation.responses.includes(status)) problems.push(`${where} lists no ${status}`)
      }
    }
    assert.deepEqual(problems, [])
    assert.equal(new Set(OPERATIONS.map((operation) => operation.operationId)).size, OPERATIONS.length)
  })

  it("has an isolation case for every operation that takes an owner's resource id, and a reason for other path parameters", () => {
    const owning = OPERATIONS.filter((operation) => ownedBy(operation) !== undefined).map((o) => o.operationId)
    assert.deepEqual(keysMissingAndStale(ISOLATION, owning), { missing: [], stale: [] })
    const shared = OPERATIONS.filter((operation) => sharedPathParameters(operation).length > 0).map(
      (o) => o.operationId,
    )
    assert.deepEqual(keysMissingAndStale(SHARED_PATH_PARAMETERS, shared), { missing: [], stale: [] })
    for (const operation of OPERATIONS) {
      assert.ok(
        !(ownedBy(operation) && sharedPathParameters(operation).length > 0),
        `${operation.operationId}: an owner's id beside other path parameters needs a case of its own`,
      )
    }
  })

  it('has a scope probe for every operation and a list case for every list', () => {
    const all = OPERATIONS.map((operation) => operation.operationId)
    assert.deepEqual(keysMissingAndStale(PROBES, all), { missing: [], stale: [] })
    const lists = OPERATIONS.filter(isListOperation).map((operation) => operation.operationId)
    assert.deepEqual(keysMissingAndStale(LISTS, lists), { missing: [], stale: [] })
  })
})

// ---------------------------------------------------------------------------------------------
// The service's side

/** An event of an event stream, parsed from its text. */
interface StreamEvent {
  type: string
  id: string | undefined
  data: { id?: string; jobId?: string; state?: string }
}

/** An event stream read as it comes: the events so far, and a wait for one. */
interface EventReader {
  readonly events: StreamEvent[]
  waitFor(predicate: (event: StreamEvent) => boolean, timeoutMs?: number): Promise<StreamEvent>
  close(): Promise<void>
}

function readEvents(response: Response): EventReader {
  assert.equal(response.status, 200)
  assert.ok(isEventStream(response), `not an event stream: ${response.headers.get('content-type')}`)
  const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader()
  const events: StreamEvent[] = []
  const wakers = new Set<() => void>()
  let ended = false
  void (async () => {
    let text = ''
    try {
      for (;;) {
        const { value, done } = await reader.read()
        if (done) break
        text += value
        const blocks = text.split('\n\n')
        text = blocks.pop()!
        for (const block of blocks) {
          const type = /^event: (.*)$/m.exec(block)?.[1]
          const data = /^data: (.*)$/m.exec(block)?.[1]
          if (type === undefined || data === undefined) continue // a comment (the heartbeat)
          events.push({ type, id: /^id: (.*)$/m.exec(block)?.[1], data: JSON.parse(data) as StreamEvent['data'] })
        }
        for (const wake of wakers) wake()
      }
    } catch {
      // Closed by `close()`.
    } finally {
      ended = true
      for (const wake of wakers) wake()
    }
  })()
  return {
    events,
    waitFor(predicate, timeoutMs = 20_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const found = events.find(predicate)
          if (!found && !ended) return
          wakers.delete(check)
          clearTimeout(timer)
          if (found) resolve(found)
          else reject(new Error(`the stream ended without the awaited event; events: ${JSON.stringify(events)}`))
        }
        const timer = setTimeout(() => {
          wakers.delete(check)
          reject(new Error(`the awaited event did not come in ${timeoutMs} ms; events: ${JSON.stringify(events)}`))
        }, timeoutMs)
        wakers.add(check)
        check()
      })
    },
    close: () => reader.cancel(),
  }
}

/** The job ids an event refers to: a state's job, a log line's, a checkpoint's. */
const jobOf = (event: StreamEvent) => event.data.jobId ?? event.data.id

const failedStateOf = (jobId: string) => (event: StreamEvent) =>
  event.type === 'state' && event.data.id === jobId && event.data.state === 'failed'

for (const target of databaseTargets()) {
  // Each route's SQL, and each stream's way to its changes, runs on both databases in its own suite
  // (jobs.test, events.test, schedules.test …); this walks the routes for owners and scopes.
  const skip = onceSkip(target, 'the routes of the suites that run on both, walked for owners and scopes')
  describe(`route isolation and scopes (${target.name})`, { timeout: 180_000, skip }, () => {
    let service: TestService
    let receiver: WebhookReceiver
    let fixtures: Fixtures

    suiteService(
      target,
      (started) => (service = started),
      {
        WEBHOOK_SECRET: `whsec_${Buffer.alloc(32, 7).toString('base64')}`,
        WEBHOOK_ALLOW_HTTP: 'true',
        WEBHOOK_ALLOWED_HOSTS: '127.0.0.1',
      },
      { registry: new JobRegistry([markedJob]) },
    )
    before(async () => {
      receiver = await startWebhookReceiver()
      fixtures = fixturesOf(service, receiver, ALICE)
    })
    after(() => receiver?.close())

    const read = async <T = unknown>(path: string, caller: Caller): Promise<T> =>
      expectJson<T>(await service.request(path, caller), 200)

    /** The first page of each owner's jobs, newest first: a job made by the call shows at its top. */
    const jobIds = async (caller: Caller) =>
      (await read<{ jobs: ApiJob[] }>('/v1/jobs?limit=100', caller)).jobs.map((job) => job.id)

    /** What the owner reads of a resource (and, for jobs and schedules, of both owners' jobs). */
    async function snapshot({ kind, id }: Owned): Promise<unknown> {
      switch (kind) {
        case 'job':
          return {
            job: await read(`/v1/jobs/${id}`, ALICE),
            checkpoints: await read(`/v1/jobs/${id}/checkpoints`, ALICE),
            logs: await read(`/v1/jobs/${id}/logs`, ALICE),
            jobs: { alice: await jobIds(ALICE), bob: await jobIds(BOB) },
          }
        case 'schedule':
          return {
            schedule: await read(`/v1/schedules/${id}`, ALICE),
            jobs: { alice: await jobIds(ALICE), bob: await jobIds(BOB) },
          }
        case 'webhook':
          return { webhooks: await read('/v1/webhooks', ALICE) }
        case 'bulk action':
          return { action: await read(`/v1/bulk-actions/${id}`, ALICE) }
      }
    }

    describe("another owner's id", () => {
      for (const operation of OPERATIONS.filter((o) => ownedBy(o) !== undefined)) {
        const expected = ISOLATION[operation.operationId]?.otherOwner ?? { status: 404, type: 'not-found' }
        it(`${operation.operationId}: ${expected.status} to another owner, the resource unchanged`, async () => {
          const isolation = ISOLATION[operation.operationId]
          assert.ok(isolation, `no isolation case for ${operation.operationId}`)
          const callsFor = isolation.calls ?? (() => [{}])
          const owned = await isolation.setup(fixtures)
          assert.equal(owned.kind, ownedBy(operation), "the case's resource is not the kind the spec's parameter names")
          const before = await snapshot(owned)

          const missingCalls = callsFor(MISSING_ID)
          for (const [index, call] of callsFor(owned.id).entries()) {
            const hidden = await expectProblem(
              await send(service, operation, { id: owned.id }, call, BOB),
              expected.status,
              expected.type,
            )
            if (expected.status === 404) {
              // Nothing tells another owner's resource from one that does not exist.
              const missing = await expectProblem(
                await send(service, operation, { id: MISSING_ID }, missingCalls[index]!, BOB),
                404,
                'not-found',
              )
              assert.equal(hidden.title, missing.title)
              assert.equal(hidden.detail?.replace(owned.id, MISSING_ID), missing.detail)
            }
          }
          assert.deepEqual(await snapshot(owned), before, 'a call of another owner changed the resource')

          const own = await send(service, operation, { id: owned.id }, callsFor(owned.id)[0]!, ALICE)
          assert.equal(own.status, isolation.ownerStatus, `the owner's own call answered ${own.status}`)
          await discard(own)
        })
      }
    })

    describe('scopes', () => {
      for (const operation of OPERATIONS) {
        const title = operation.isPublic
          ? 'public: answered without a token'
          : `401 without a token, 403 without ${operation.scopesNamed[0] ?? 'the scope it does not name'}, admitted with it alone`
        it(`${operation.operationId}: ${title}`, async () => {
          const probe = PROBES[operation.operationId]
          assert.ok(probe, `no scope probe for ${operation.operationId}`)
          if (operation.isPublic) {
            const answer = await send(service, operation, PROBE_PARAMETERS, probe, { token: null })
            assert.equal(answer.status, 200)
            return discard(answer)
          }
          const scope = scopeOf(operation)
          await expectProblem(
            await send(service, operation, PROBE_PARAMETERS, probe, { token: null }),
            401,
            'unauthorized',
          )

          const lacking = { sub: ALICE.sub, scopes: ALL_SCOPES.filter((other) => other !== scope) }
          const refused = await send(service, operation, PROBE_PARAMETERS, probe, lacking)
          await expectProblem(refused, 403, 'insufficient-scope')
          // The scope the code checks is the one the spec names.
          assert.match(refused.headers.get('www-authenticate') ?? '', new RegExp(`scope="${scope}"`))

          const admitted = await send(service, operation, PROBE_PARAMETERS, probe, { sub: ALICE.sub, scopes: [scope] })
          if ([401, 403, 405].includes(admitted.status)) {
            assert.fail(`a token with ${scope} alone answered ${admitted.status}: ${await admitted.text()}`)
          }
          if (admitted.status === 404) {
            // The handler's 404 (an id that names nothing), not the router's: the route was reached.
            const problem = (await admitted.json()) as Problem
            assert.doesNotMatch(problem.detail ?? '', /^no route /)
          } else {
            await discard(admitted)
          }
        })
      }
    })

    it('lists show each owner its own jobs, schedules and webhooks, on every page', async () => {
      const made = {
        alice: await oneOfEach(ALICE),
        bob: await oneOfEach(BOB),
      }
      for (const operation of OPERATIONS.filter(isListOperation)) {
        const list = LISTS[operation.operationId]
        if (!list || !('items' in list)) continue
        await about(operation, async () => {
          const paged = operation.parameters.some((p) => p.in === 'query' && p.name === 'cursor')
          const seen = {
            alice: await listAll(operation.path, list.items, ALICE, paged),
            bob: await listAll(operation.path, list.items, BOB, paged),
            admin: await listAll(operation.path, list.items, ADMIN, paged),
          }
          const own = (sub: 'alice' | 'bob') => made[sub].find((owned) => owned.kind === list.kind)!.id
          assert.ok(seen.alice.has(own('alice')) && seen.bob.has(own('bob')), 'an owner misses its own')
          const shared = [...seen.alice].filter((id) => seen.bob.has(id))
          assert.deepEqual(shared, [], 'both owners see these')
          // An admin sees both: they were there to leak.
          for (const id of [...seen.alice, ...seen.bob]) assert.ok(seen.admin.has(id), `the admin misses ${id}`)
        })
      }
    })

    it("a job's deliveries never go to another owner's subscription", async () => {
      const bobs = await createWebhook(BOB, `${receiver.url}/bob`)
      const job = await fixtures.failedJob()
      // The outbox inserts a job's deliveries with its outcome, in one statement: all of them are there.
      const { deliveries } = await read<{ deliveries: { webhookId: string | null }[] }>(
        `/v1/jobs/${job.id}/deliveries`,
        ADMIN,
      )
      assert.ok(deliveries.length > 0, 'the job has its own callback at least')
      assert.ok(
        deliveries.every((delivery) => delivery.webhookId !== bobs),
        JSON.stringify(deliveries),
      )
    })

    it('the stream of many jobs shows each owner its own jobs and lines, live and caught up from the table', async () => {
      const alices = readEvents(await service.request('/v1/events', ALICE))
      const bobs = readEvents(await service.request('/v1/events', BOB))
      try {
        const first = await failedJob(ALICE)
        await alices.waitFor(failedStateOf(first))
        const bobsJob = await failedJob(BOB)
        await bobs.waitFor(failedStateOf(bobsJob))
        // Bob's job has finished before alice's last one starts: its events would come before.
        const last = await failedJob(ALICE)
        await alices.waitFor(failedStateOf(last))
        assert.ok(alices.events.some((event) => event.type === 'log' && jobOf(event) === last))
        const alicesJobs = await listAll('/v1/jobs', 'jobs', ALICE, true)
        const bobsJobs = await listAll('/v1/jobs', 'jobs', BOB, true)
        assert.deepEqual(
          alices.events.filter((event) => !alicesJobs.has(jobOf(event)!)),
          [],
          "alice's stream shows others' jobs",
        )
        assert.deepEqual(
          bobs.events.filter((event) => !bobsJobs.has(jobOf(event)!)),
          [],
          "bob's stream shows others' jobs",
        )
      } finally {
        await alices.close()
        await bobs.close()
      }

      // A reconnect from the oldest point there is (a stream of many jobs reads the version and the
      // line of an id, not its job): every job written since, and every line after the first.
      const oldest = `${'0'.repeat(20)}.1.queued.1`
      const caughtUp = readEvents(
        await service.request('/v1/events', { ...ALICE, headers: { 'last-event-id': oldest } }),
      )
      try {
        const alicesJobs = await listAll('/v1/jobs', 'jobs', ALICE, true)
        // The catch-up is written at once, a state for each job: wait for all of alice's.
        for (const id of alicesJobs) await caughtUp.waitFor((event) => event.type === 'state' && event.data.id === id)
        assert.ok(
          caughtUp.events.some((event) => event.type === 'log'),
          'the catch-up sent no log line',
        )
        const others = caughtUp.events.filter((event) => !alicesJobs.has(jobOf(event)!))
        assert.deepEqual(others, [], "alice's catch-up shows others' jobs")
      } finally {
        await caughtUp.close()
      }
    })

    it("a bulk action of another owner passes over the owner's jobs, named by id or matched by a filter", async () => {
      const queued = await fixtures.queuedJob()
      const failed = await fixtures.failedJob()
      const before = [await read(`/v1/jobs/${queued.id}`, ALICE), await read(`/v1/jobs/${failed.id}`, ALICE)]
      // A dry run counts the caller's jobs only.
      const bobsQueued = await read<{ jobs: ApiJob[] }>('/v1/jobs?state=queued&limit=100', BOB)
      const dryRun = JSON.stringify({ action: 'cancel', filter: { state: 'queued' }, dryRun: true })
      const preview = await expectJson<{ matched: number }>(
        await service.request('/v1/bulk-actions', { ...BOB, method: 'POST', body: dryRun }),
        200,
      )
      assert.equal(preview.matched, bobsQueued.jobs.length)
      const byIds = await runBulkAction(BOB, { action: 'cancel', ids: [queued.id, MISSING_ID] })
      assert.equal(byIds.failed, 2)
      // Another owner's job fails as an id that names nothing does.
      const [hidden, missing] = byIds.failures
      assert.equal(hidden?.reason, missing?.reason)
      await runBulkAction(BOB, { action: 'retry', ids: [failed.id] })
      await runBulkAction(BOB, { action: 'cancel', filter: {}, all: true })
      await runBulkAction(BOB, { action: 'retry', filter: {}, all: true })
      assert.deepEqual([await read(`/v1/jobs/${queued.id}`, ALICE), await read(`/v1/jobs/${failed.id}`, ALICE)], before)
    })

    /** POSTs a bulk action and waits until a worker completes it; answers it as completed. */
    async function runBulkAction(
      caller: Caller,
      body: unknown,
    ): Promise<{ id: string; failed: number; failures: { id: string; reason: string }[] }> {
      const completed = service.bulkWorker.events.waitFor('bulk:completed')
      const created = await expectJson<{ id: string }>(
        await service.request('/v1/bulk-actions', { ...caller, method: 'POST', body: JSON.stringify(body) }),
        202,
      )
      assert.equal((await completed).action.id, created.id)
      return read(`/v1/bulk-actions/${created.id}`, caller)
    }

    /** A job, a schedule and a webhook of `caller`'s. */
    async function oneOfEach(caller: Caller): Promise<Owned[]> {
      const own = fixturesOf(service, receiver, caller)
      return [await own.queuedJob(), await own.schedule(), await own.webhook()]
    }

    async function failedJob(caller: Caller): Promise<string> {
      return (await fixturesOf(service, receiver, caller).failedJob()).id
    }

    async function createWebhook(caller: Caller, url: string): Promise<string> {
      const body = JSON.stringify({ url })
      return (
        await expectJson<{ id: string }>(
          await service.request('/v1/webhooks', { ...caller, method: 'POST', body }),
          201,
        )
      ).id
    }

    /** Every id a list shows `caller`, page by page where it is paged. */
    async function listAll(path: string, items: string, caller: Caller, paged: boolean): Promise<Set<string>> {
      const ids = new Set<string>()
      let cursor: string | null = null
      for (let page = 0; page < 1000; page++) {
        // One a page for the owners, so that every cursor is walked; an admin's list is long.
        const query: string = paged ? `?limit=${caller === ADMIN ? 100 : 1}${cursor ? `&cursor=${cursor}` : ''}` : ''
        const answer: Record<string, unknown> = await read(path + query, caller)
        for (const item of answer[items] as { id: string }[]) ids.add(item.id)
        cursor = (answer.nextCursor as string | null | undefined) ?? null
        if (!cursor) return ids
      }
      assert.fail(`${path} never ended`)
    }
  })
}

/** Schedule ids are the caller's to choose: each fixture's is new in this process. */
let schedulesMade = 0

/** `caller`'s resources, each made anew. */
function fixturesOf(service: TestService, receiver: WebhookReceiver, caller: Caller): Fixtures {
  const job = (id: string): Owned => ({ kind: 'job', id })
  const queuedJob = async () => job((await enqueue(service, { type: 'marked', runAt: FAR_AWAY }, caller)).id)
  const putSchedule = async (paused: boolean): Promise<Owned> => {
    const id = `${caller.sub}-${paused ? 'paused' : 'yearly'}-${++schedulesMade}`
    const body = JSON.stringify(scheduleBody(paused))
    await expectJson(await service.request(`/v1/schedules/${id}`, { ...caller, method: 'PUT', body }), 201)
    return { kind: 'schedule', id }
  }
  return {
    queuedJob,
    async pausedJob() {
      const queued = await queuedJob()
      await expectJson(await service.request(`/v1/jobs/${queued.id}/pause`, { ...caller, method: 'POST' }), 200)
      return queued
    },
    async failedJob() {
      const callback = { url: `${receiver.url}/${caller.sub}` }
      const { id } = await enqueue(service, { type: 'marked', callback }, caller)
      await pollUntil(service, id, (seen) => seen.state === 'failed', { sub: caller.sub })
      return job(id)
    },
    async webhook() {
      const body = JSON.stringify({ url: `${receiver.url}/${caller.sub}/subscription`, events: ['cancelled'] })
      const created = await service.request('/v1/webhooks', { ...caller, method: 'POST', body })
      return { kind: 'webhook', id: (await expectJson<{ id: string }>(created, 201)).id }
    },
    async bulkAction() {
      const completed = service.bulkWorker.events.waitFor('bulk:completed')
      const body = JSON.stringify({ action: 'cancel', ids: [MISSING_ID] })
      const created = await service.request('/v1/bulk-actions', { ...caller, method: 'POST', body })
      const { id } = await expectJson<{ id: string }>(created, 202)
      // Completed, so that its progress holds still between two reads.
      assert.equal((await completed).action.id, id)
      return { kind: 'bulk action', id }
    },
    schedule: () => putSchedule(false),
    pausedSchedule: () => putSchedule(true),
    async triggeredSchedule() {
      const schedule = await putSchedule(false)
      const init = { ...caller, method: 'POST', headers: { 'idempotency-key': TRIGGER_KEY } }
      const triggered = await expectJson(await service.request(`/v1/schedules/${schedule.id}/trigger`, init), 202)
      // Its job's end shows in the schedule (`lastJob`): it must hold still before the calls.
      await pollUntil(service, triggered.id, (seen) => seen.state === 'failed', { sub: caller.sub })
      return schedule
    },
  }
}
