/**
 * Event streams over real HTTP on each database, followed with the `eventsource` package: a job's
 * stream from queued to its terminal state (each state once, progress between, ids that grow, a
 * reconnect after the end answered 204); `Last-Event-ID` brings a client up to the stored state; a
 * stream of many jobs with filters, and its catch-up from the table; owner isolation; the per-owner
 * limit (429); and `event: shutdown` with a retry hint when the instance drains.
 */
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { databaseTargets, type TestDatabase } from '../support/databases.js'
import { followEvents, type ReceivedEvent } from '../support/events.js'
import { enqueue, expectJson, expectProblem, pollUntil } from '../support/http.js'
import { startTestService, type TestService } from '../support/service.js'

const states = (events: readonly ReceivedEvent[]) =>
  events.filter((e) => e.type === 'state').map((e) => (e.data as { state: string }).state)

for (const target of databaseTargets()) {
  describe(`event streams (${target.name})`, () => {
    let database: TestDatabase
    let service: TestService

    before(async () => {
      database = await target.create()
      service = await startTestService(database, { EVENT_STREAMS_PER_OWNER: '3' })
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
