/**
 * Event streams over real HTTP on each database, followed with the `eventsource` package: a job's
 * stream from queued to its terminal state (each state once, progress between, ids that grow, a
 * reconnect after the end answered 204); `Last-Event-ID` brings a client up to the stored state; a
 * stream of many jobs with filters, and its catch-up from the table; a job's stored log lines as
 * `log` events (before its terminal state, and after a reconnect from the stored log, on both kinds
 * of stream, and on PostgreSQL to a stream on an instance that does not run the job); a checkpoint
 * the job writes and a failed attempt going back to the queue as `checkpoint` and `retry` events, on
 * both kinds of stream; owner isolation; the per-owner limit (429); a heartbeat comment (a short interval
 * here); and `event: shutdown` with a retry hint when the instance drains.
 */
import assert from 'node:assert/strict'
import { setTimeout as sleep } from 'node:timers/promises'
import { after, before, describe, it } from 'node:test'
import { defineJob } from '../../jobs/defineJob.js'
import { JobRegistry, loadJobRegistry } from '../../jobs/registry.js'
import { databaseTargets, postgresOnly, type TestDatabase } from '../support/databases.js'
import { followEvents, type EventFollower, type ReceivedEvent } from '../support/events.js'
import { enqueue, expectJson, expectProblem, pollUntil } from '../support/http.js'
import { startTestService, type TestService } from '../support/service.js'
import { eventsSince } from '../../src/events/jobEvents.js'
import type { OwnedJob } from '../../src/queue/job.js'
import type { VersionedJob } from '../../src/queue/store.js'

const states = (events: readonly ReceivedEvent[]) =>
  events.filter((e) => e.type === 'state').map((e) => (e.data as { state: string }).state)

interface LogData {
  jobId: string
  id: string
  level: string
  message: string
}

/** Logs `line 1` … `line N`, one a step, saving its place: its lines are stored with its checkpoints. */
const chatty = defineJob<{ lines: number; stepMs: number; pad?: number }, { logged: number }, { logged: number }>({
  name: 'chatty',
  payloadSchema: {
    type: 'object',
    properties: { lines: { type: 'integer' }, stepMs: { type: 'integer' }, pad: { type: 'integer' } },
    required: ['lines', 'stepMs'],
  },
  async run({ payload, log, signal, checkpoint, saveCheckpoint }) {
    for (let i = (checkpoint?.logged ?? 0) + 1; i <= payload.lines; i++) {
      log.info({ i }, `line ${i}${payload.pad ? ` ${'x'.repeat(payload.pad)}` : ''}`)
      saveCheckpoint({ logged: i })
      await sleep(payload.stepMs, undefined, { signal })
    }
    return { logged: payload.lines }
  },
})

/** A gate the test opens; `open()` lets every run waiting on it go on. */
function newGate(): { opened: Promise<void>; open: () => void } {
  let open!: () => void
  const opened = new Promise<void>((resolve) => (open = resolve))
  return { opened, open }
}

/** The steps of a `faltering` run, each let through by the test: a new pair for each test run. */
let cues = { checkpoint: newGate(), fail: newGate() }

/**
 * Writes a checkpoint, then fails, each when the test says: so that a stream sees the job running
 * before each, and each as its own event rather than folded into one later state.
 */
const faltering = defineJob<Record<string, never>, { step: number }, null>({
  name: 'faltering',
  payloadSchema: { type: 'object' },
  // Still queued when the streams read it, however loaded the machine; the test cancels it then.
  retryDelay: () => 60_000,
  async run({ saveCheckpoint, flush }) {
    await cues.checkpoint.opened
    saveCheckpoint({ step: 1 })
    await flush()
    await cues.fail.opened
    throw new Error('faltering on cue')
  },
})

/** The complete events of an event stream's text so far, in order (comments left out). */
function parseEvents(text: string): { type: string; id: string | undefined; data: unknown }[] {
  return text
    .split('\n\n')
    .slice(0, -1)
    .filter((block) => /^event: /m.test(block))
    .map((block) => ({
      type: /^event: (.*)$/m.exec(block)![1]!,
      id: /^id: (.*)$/m.exec(block)?.[1],
      data: JSON.parse(/^data: (.*)$/m.exec(block)![1]!) as unknown,
    }))
}

describe('retry events of a job whose queued state the stream did not see', () => {
  const at = (second: number) => `2026-12-07T10:00:${String(second).padStart(2, '0')}.000Z`
  const failure = (attempt: number, second: number) => ({
    attempt,
    at: at(second),
    message: `try ${attempt}`,
    name: 'Error',
  })
  /** Only the fields a stream compares; the rest of a job does not matter here. */
  const job = (fields: Partial<Record<keyof OwnedJob, unknown>>): VersionedJob => ({
    version: '20261207100000000000',
    job: {
      id: '7',
      owner: 'alice',
      state: 'running',
      attempts: 1,
      error: null,
      errors: [],
      runAt: at(0),
      startedAt: at(0),
      checkpoint: null,
      progress: null,
      cancelRequestedAt: null,
      pauseRequested: false,
      ...fields,
    } as unknown as OwnedJob,
  })
  /** What a stream that saw the first run sends when it next reads `later`. */
  const typesAfter = (later: VersionedJob) => {
    const { seen } = eventsSince(undefined, job({}))
    return eventsSince(seen, later).events.map((e) => [e.event, (e.data as { attempts?: number }).attempts])
  }

  it('finds the failed attempt in the history when the job already runs again, or has ended', () => {
    assert.deepEqual(typesAfter(job({ attempts: 2, startedAt: at(2), errors: [failure(1, 1)] })), [
      ['retry', 1],
      ['state', 2],
    ])
    assert.deepEqual(typesAfter(job({ state: 'succeeded', attempts: 2, errors: [failure(1, 1)] })), [
      ['retry', 1],
      ['state', 2],
    ])
  })

  it('sends none for the last attempt of a failed job, nor for an interruption', () => {
    assert.deepEqual(typesAfter(job({ state: 'failed', errors: [failure(1, 1)] })), [['state', 1]])
    assert.deepEqual(typesAfter(job({ state: 'failed', attempts: 2, errors: [failure(1, 1), failure(2, 2)] })), [
      ['retry', 1],
      ['state', 2],
    ])
    assert.deepEqual(typesAfter(job({ state: 'queued', attempts: 0 })), [['state', 0]])
  })
})

for (const target of databaseTargets()) {
  describe(`event streams (${target.name})`, () => {
    let database: TestDatabase
    let service: TestService

    before(async () => {
      database = await target.create()
      const shipped = await loadJobRegistry()
      const registry = new JobRegistry([...shipped.names().map((name) => shipped.get(name)!), chatty, faltering])
      service = await startTestService(
        database,
        { EVENT_STREAMS_PER_OWNER: '3', EVENT_HEARTBEAT_SECONDS: '0.2' },
        { registry },
      )
    })
    after(async () => {
      await service?.close()
      await database?.cleanup()
    })

    it('follows a job from queued to succeeded: each state once, progress between, then 204 on reconnect', async () => {
      // Due in 3 s: the stream connects while it is still queued, however loaded the machine.
      const job = await enqueue(service, { type: 'count', payload: { to: 8, stepMs: 60 }, runAt: future(3000) })
      const follower = followEvents(`${service.url}/v1/jobs/${job.id}/events`, () => service.token())
      try {
        await follower.closed()
        const seen = states(follower.events)
        assert.deepEqual(seen, ['queued', 'running', 'succeeded'], JSON.stringify(follower.events))
        assert.ok(follower.events.some((e) => e.type === 'progress'))
        const last = follower.events.at(-1)!
        assert.equal((last.data as { result: { counted: number } }).result.counted, 8)
        // Ids grow with the stored row's version; the reconnect after the end was told 204.
        const ids = follower.events.filter((e) => e.type === 'state').map((e) => e.id)
        assert.deepEqual([...ids].sort(), ids)
        assert.equal(follower.connections.length, 2)
        assert.equal(follower.connections[1], last.id)
      } finally {
        follower.close()
      }
    })

    it('a checkpoint the job writes is a checkpoint event, a failed attempt sent back to the queue a retry event, on the job’s stream and its owner’s', async () => {
      cues = { checkpoint: newGate(), fail: newGate() }
      // A stream of many jobs sends only what changes after it opened: it is open before the enqueue.
      const ownerFollower = followEvents(`${service.url}/v1/events?type=faltering`, () => service.token())
      let jobFollower: EventFollower | undefined
      let jobId: string | undefined
      try {
        await waitUntil(() => service.eventHub.size === 1)
        const job = await enqueue(service, { type: 'faltering' })
        jobId = job.id
        jobFollower = followEvents(`${service.url}/v1/jobs/${job.id}/events`, () => service.token())
        const followers = [jobFollower, ownerFollower]
        const isState = (state: string) => (e: ReceivedEvent) =>
          e.type === 'state' && (e.data as { state: string }).state === state
        for (const follower of followers) await follower.waitFor(isState('running'))

        cues.checkpoint.open()
        for (const follower of followers) {
          const checkpoint = await follower.waitFor((e) => e.type === 'checkpoint')
          assert.deepEqual(checkpoint.data, { jobId: job.id, checkpoint: { step: 1 } })
          assert.match(checkpoint.id, new RegExp(`^[0-9]{20}\\.${job.id}\\.running$`))
        }

        const failedAt = Date.now()
        cues.fail.open()
        for (const follower of followers) {
          const retry = await follower.waitFor((e) => e.type === 'retry')
          const data = retry.data as { jobId: string; attempts: number; error: string; runAt: string }
          assert.deepEqual(Object.keys(data).sort(), ['attempts', 'error', 'jobId', 'runAt'])
          assert.deepEqual([data.jobId, data.attempts, data.error], [job.id, 1, 'faltering on cue'])
          // Its runAt is the retryDelay's minute away, not now.
          assert.ok(Date.parse(data.runAt) >= failedAt + 50_000, `runAt ${data.runAt}`)
          assert.match(retry.id, new RegExp(`^[0-9]{20}\\.${job.id}\\.queued$`))
          // The state it went back to comes right after.
          const next = follower.events[follower.events.indexOf(retry) + 1]
          assert.ok(next && isState('queued')(next), JSON.stringify(follower.events))
          assert.equal(follower.events.filter((e) => e.type === 'retry').length, 1)
          assert.equal(follower.events.filter((e) => e.type === 'checkpoint').length, 1)
        }
      } finally {
        cues.checkpoint.open()
        cues.fail.open()
        ownerFollower.close()
        jobFollower?.close()
        if (jobId !== undefined) await service.jobs.cancel({ id: jobId, owner: undefined })
      }
      // The next tests count this owner's streams.
      await waitUntil(() => service.eventHub.size === 0)
    })

    it('log events: each stored line once, before the terminal state; a reconnect gets the lines it missed', async () => {
      const job = await enqueue(service, { type: 'chatty', payload: { lines: 6, stepMs: 40 } })
      const follower = followEvents(`${service.url}/v1/jobs/${job.id}/events`, () => service.token())
      let logs: ReceivedEvent[]
      let last: ReceivedEvent
      try {
        await follower.waitFor((e) => e.type === 'state' && (e.data as { state: string }).state === 'succeeded')
        logs = follower.events.filter((e) => e.type === 'log')
        const messages = logs.map((e) => (e.data as LogData).message)
        assert.deepEqual(messages, ['line 1', 'line 2', 'line 3', 'line 4', 'line 5', 'line 6'])
        last = follower.events.at(-1)!
        assert.deepEqual([last.type, (last.data as { state: string }).state], ['state', 'succeeded'])
        for (const event of logs) {
          const line = event.data as LogData
          assert.deepEqual([line.jobId, line.level], [job.id, 'info'])
          // The id names the stored line: a reconnect resumes after it.
          assert.match(event.id, new RegExp(`^[0-9]{20}\\.${job.id}\\.[a-z]+\\.${line.id}$`))
        }
        // The terminal state's id carries the last line too: a reconnect with it is told 204.
        assert.ok(last.id.endsWith(`.succeeded.${(logs.at(-1)!.data as LogData).id}`), last.id)
      } finally {
        follower.close()
      }
      const done = await service.request(`/v1/jobs/${job.id}/events`, { headers: { 'last-event-id': last.id } })
      assert.equal(done.status, 204)
      // From the third line's id, on a fresh connection: the three stored after it, then the state.
      const resumed = parseEvents(
        await (
          await service.request(`/v1/jobs/${job.id}/events`, { headers: { 'last-event-id': logs[2]!.id } })
        ).text(),
      )
      assert.deepEqual(
        resumed.map((e) => (e.type === 'log' ? (e.data as LogData).message : e.type)),
        ['line 4', 'line 5', 'line 6', 'state'],
      )
      // The same id as ?lastEventId= (for a client that cannot set headers): the same catch-up.
      const byQuery = parseEvents(
        await (
          await service.request(`/v1/jobs/${job.id}/events?lastEventId=${encodeURIComponent(logs[2]!.id)}`)
        ).text(),
      )
      assert.deepEqual(
        byQuery.map((e) => e.id),
        resumed.map((e) => e.id),
      )
      // A new stream of the finished job: its whole stored log, then its state.
      const fresh = parseEvents(await (await service.request(`/v1/jobs/${job.id}/events`)).text())
      assert.deepEqual(
        fresh.map((e) => e.type),
        ['log', 'log', 'log', 'log', 'log', 'log', 'state'],
      )
    })

    it('a log larger than a burst goes out as the client reads it, then the terminal state', async () => {
      // 60 lines of 4 KiB: past the half of the stream's bound that one burst may fill.
      const job = await enqueue(service, { type: 'chatty', payload: { lines: 60, stepMs: 0, pad: 4000 } })
      await pollUntil(service, job.id, (j) => j.state === 'succeeded')
      const events = parseEvents(await (await service.request(`/v1/jobs/${job.id}/events`)).text())
      const logs = events.filter((e) => e.type === 'log').map((e) => (e.data as LogData).message.split(' ')[1])
      assert.deepEqual(
        logs,
        Array.from({ length: 60 }, (_, i) => String(i + 1)),
      )
      assert.deepEqual(
        events.slice(-1).map((e) => [e.type, (e.data as { state: string }).state]),
        [['state', 'succeeded']],
      )
    })

    it('GET /v1/events: log events of the caller’s jobs as they are stored, and those it missed on reconnect', async () => {
      const token = () => service.token({ sub: 'erin', scopes: ['jobs:read'] })
      const follower = followEvents(`${service.url}/v1/events?type=chatty`, token)
      const lineOf = (e: ReceivedEvent) => (e.type === 'log' ? (e.data as LogData) : undefined)
      let lastId: string
      try {
        await waitUntil(() => service.eventHub.size === 1)
        const mine = await enqueue(service, { type: 'chatty', payload: { lines: 3, stepMs: 20 } }, { sub: 'erin' })
        const theirs = await enqueue(service, { type: 'chatty', payload: { lines: 3, stepMs: 20 } }, { sub: 'frank' })
        await follower.waitFor((e) => lineOf(e)?.jobId === mine.id && lineOf(e)?.message === 'line 3')
        await pollUntil(service, theirs.id, (j) => j.state === 'succeeded')
        const done = await follower.waitFor(
          (e) => e.type === 'state' && (e.data as { id: string; state: string }).state === 'succeeded',
        )
        assert.equal((done.data as { id: string }).id, mine.id)
        const lines = follower.events.flatMap((e) => lineOf(e) ?? [])
        assert.deepEqual(
          lines.map((l) => [l.jobId, l.message]),
          [1, 2, 3].map((i) => [mine.id, `line ${i}`]),
          'each of the caller’s lines once, no other owner’s',
        )
        lastId = follower.events.at(-1)!.id
      } finally {
        follower.close()
      }
      // Lines stored while the client was away come from the stored log, then the job's state.
      const missed = await enqueue(service, { type: 'chatty', payload: { lines: 2, stepMs: 1 } }, { sub: 'erin' })
      await pollUntil(service, missed.id, (j) => j.state === 'succeeded')
      const response = await service.request('/v1/events?type=chatty', {
        sub: 'erin',
        scopes: ['jobs:read'],
        headers: { 'last-event-id': lastId },
      })
      const reader = response.body!.getReader()
      let text = ''
      let caughtUp: ReturnType<typeof parseEvents> = []
      while (!caughtUp.some((e) => e.type === 'state' && (e.data as { id: string }).id === missed.id)) {
        text += new TextDecoder().decode((await reader.read()).value)
        caughtUp = parseEvents(text)
      }
      await reader.cancel()
      assert.deepEqual(
        caughtUp.map((e) => (e.type === 'log' ? [(e.data as LogData).jobId, (e.data as LogData).message] : e.type)),
        [[missed.id, 'line 1'], [missed.id, 'line 2'], 'state'],
      )
    })

    it('a comment line comes every EVENT_HEARTBEAT_SECONDS', async () => {
      const job = await enqueue(service, { type: 'echo', runAt: future(60_000) })
      const response = await service.request(`/v1/jobs/${job.id}/events`)
      const reader = response.body!.getReader()
      let text = ''
      while (!text.includes(': heartbeat\n\n')) text += new TextDecoder().decode((await reader.read()).value)
      assert.match(text, /^event: state\n/)
      await reader.cancel()
      await service.jobs.cancel({ id: job.id, owner: undefined })
    })

    it('Last-Event-ID: the state again only if it changed; a finished job seen finished is 204', async () => {
      const job = await enqueue(service, { type: 'echo', payload: { n: 1 } })
      await pollUntil(service, job.id, (j) => j.state === 'succeeded')
      const first = await service.request(`/v1/jobs/${job.id}/events`)
      assert.equal(first.status, 200)
      assert.match(first.headers.get('content-type') ?? '', /^text\/event-stream/)
      const text = await first.text()
      const id = /^id: (.+)$/m.exec(text)?.[1] ?? ''
      assert.ok(id.endsWith(`.${job.id}.succeeded`), text)
      const again = await service.request(`/v1/jobs/${job.id}/events`, { headers: { 'last-event-id': id } })
      assert.equal(again.status, 204)
      // An id that saw it queued gets the stored state.
      const stale = id.replace(/\.succeeded$/, '.queued')
      const caughtUp = await (
        await service.request(`/v1/jobs/${job.id}/events`, { headers: { 'last-event-id': stale } })
      ).text()
      assert.match(caughtUp, /"state":"succeeded"/)
    })

    it("another owner's job is 404; past the per-owner limit is 429; an admin follows anyone's", async () => {
      const job = await enqueue(service, { type: 'echo', runAt: future(60_000) })
      await expectProblem(
        await service.request(`/v1/jobs/${job.id}/events`, { sub: 'mallory', scopes: ['jobs:read'] }),
        404,
        'not-found',
      )
      const open = await Promise.all([1, 2, 3].map(() => service.request(`/v1/jobs/${job.id}/events`)))
      for (const response of open) assert.equal(response.status, 200)
      const refused = await service.request(`/v1/jobs/${job.id}/events`)
      await expectProblem(refused, 429, 'too-many-requests')
      assert.equal(refused.headers.get('retry-after'), '1')
      // Another caller has a quota of its own.
      const admin = await service.request(`/v1/jobs/${job.id}/events`, { sub: 'root', scopes: ['admin', 'jobs:read'] })
      assert.equal(admin.status, 200)
      for (const response of [...open, admin]) await response.body?.cancel()
      // The slots are free again once the streams are gone.
      await waitUntil(() => service.eventHub.size === 0)
      const reopened = await service.request(`/v1/jobs/${job.id}/events`)
      assert.equal(reopened.status, 200)
      await reopened.body?.cancel()
      await service.jobs.cancel({ id: job.id, owner: undefined })
    })

    it('GET /v1/events: the caller’s jobs matching the filter, and what it missed on reconnect', async () => {
      const follower = followEvents(`${service.url}/v1/events?type=echo`, () =>
        service.token({ sub: 'carol', scopes: ['jobs:read'] }),
      )
      try {
        await waitUntil(() => service.eventHub.size === 1)
        const mine = await enqueue(service, { type: 'echo', payload: { mine: true } }, { sub: 'carol' })
        const theirs = await enqueue(service, { type: 'echo', payload: { mine: false } }, { sub: 'dave' })
        const other = await enqueue(service, { type: 'sleep', payload: { ms: 1 } }, { sub: 'carol' })
        const done = await follower.waitFor(
          (e) => e.type === 'state' && (e.data as { id: string; state: string }).state === 'succeeded',
        )
        assert.equal((done.data as { id: string }).id, mine.id)
        await pollUntil(service, other.id, (j) => j.state === 'succeeded')
        await pollUntil(service, theirs.id, (j) => j.state === 'succeeded')
        const ids = new Set(follower.events.map((e) => (e.data as { id?: string; jobId?: string }).id))
        assert.ok(!ids.has(theirs.id) && !ids.has(other.id), JSON.stringify(follower.events))
        follower.close()

        // Reconnecting with the last id: a job written since is sent from the table.
        const missed = await enqueue(service, { type: 'echo', payload: { missed: true } }, { sub: 'carol' })
        await pollUntil(service, missed.id, (j) => j.state === 'succeeded')
        const response = await service.request('/v1/events?type=echo', {
          sub: 'carol',
          scopes: ['jobs:read'],
          headers: { 'last-event-id': done.id },
        })
        assert.equal(response.status, 200)
        const reader = response.body!.getReader()
        let text = ''
        while (!text.includes(`"id":"${missed.id}"`)) text += new TextDecoder().decode((await reader.read()).value)
        assert.match(text, /"state":"succeeded"/)
        assert.ok(!text.includes(`"id":"${mine.id}"`), 'a job seen before is not sent again')
        await reader.cancel()
      } finally {
        follower.close()
      }
      await expectProblem(await service.request('/v1/events?state=nope'), 400, 'invalid-parameter')
    })

    it('a drain ends every stream with event: shutdown and a retry hint', async () => {
      const job = await enqueue(service, { type: 'echo', runAt: future(60_000) })
      const response = await service.request(`/v1/jobs/${job.id}/events`)
      assert.equal(response.status, 200)
      await waitUntil(() => service.eventHub.size === 1)
      const drained = service.lifecycle.events.waitFor('lifecycle:state', ({ state }) => state === 'drained')
      await expectJson(await service.request('/v1/admin/drain', { method: 'POST' }), 202)
      const text = await response.text()
      assert.match(text, /retry: [0-9]+\nevent: shutdown\ndata: \{"retryMs":[0-9]+\}\n\n$/)
      await drained
      await expectJson(await service.request('/v1/admin/resume', { method: 'POST' }), 200)
    })
  })
}

const postgres = postgresOnly()
describe('log events on another instance (postgres)', { skip: postgres ? false : 'needs TEST_DATABASE_URL' }, () => {
  let database: TestDatabase
  let runnerInstance: TestService
  let watcherInstance: TestService

  before(async () => {
    database = await postgres!.create()
    const shipped = await loadJobRegistry()
    const registry = new JobRegistry([...shipped.names().map((name) => shipped.get(name)!), chatty])
    runnerInstance = await startTestService(database, {}, { registry })
    // Serves another queue: it never runs the job, it hears of its stored lines over NOTIFY.
    watcherInstance = await startTestService(database, { QUEUES: 'elsewhere' }, { registry })
  })
  after(async () => {
    await watcherInstance?.close()
    await runnerInstance?.close()
    await database?.cleanup()
  })

  it('sends the lines a job running elsewhere stores, before its terminal state', async () => {
    const job = await enqueue(runnerInstance, { type: 'chatty', payload: { lines: 4, stepMs: 50 } })
    const follower = followEvents(`${watcherInstance.url}/v1/jobs/${job.id}/events`, () => watcherInstance.token())
    try {
      await follower.waitFor((e) => e.type === 'state' && (e.data as { state: string }).state === 'succeeded')
      const lines = follower.events.flatMap((e) => (e.type === 'log' ? [(e.data as LogData).message] : []))
      assert.deepEqual(lines, ['line 1', 'line 2', 'line 3', 'line 4'])
      assert.equal(follower.events.at(-1)!.type, 'state')
    } finally {
      follower.close()
    }
  })
})

function future(ms: number): string {
  return new Date(Date.now() + ms).toISOString()
}

async function waitUntil(condition: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time')
    await new Promise((resolve) => setImmediate(resolve))
  }
}
