/**
 * job-runner/client against a real service on each database: enqueue (with an automatic
 * Idempotency-Key), enqueueBatch, get, wait, cancel, list over every page, problem+json errors;
 * and against spawned servers, a SIGTERM in the middle of `wait`: the client carries on through a
 * router against a second instance, which resumes the job from its checkpoint.
 */
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { createClient, JobRunnerError, type JobRunnerClient } from '../../src/client/index.js'
import { databaseTargets, onceSkip, type TestDatabase } from '../support/databases.js'
import { spawnServer, type ServerProcess } from '../support/process.js'
import { startRouter, type TestRouter } from '../support/router.js'
import { startTestService, type TestService } from '../support/service.js'

for (const target of databaseTargets()) {
  const once = { skip: onceSkip(target, 'a client of the HTTP API') }
  describe(`job-runner/client (${target.name})`, once, () => {
    let database: TestDatabase
    let service: TestService
    let client: JobRunnerClient

    before(async () => {
      database = await target.create()
      service = await startTestService(database)
      client = createClient({ url: service.url, token: () => service.token({ sub: 'client' }) })
    })
    after(async () => {
      await service?.close()
      await database?.cleanup()
    })

    it('enqueues and waits for the result', async () => {
      const job = await client.enqueue('count', { to: 3, stepMs: 1 })
      // Running already when the instance that accepted it had room (it started where it was accepted).
      assert.ok(['queued', 'running'].includes(job.state), job.state)
      const done = await client.wait(job.id)
      assert.equal(done.state, 'succeeded')
      assert.deepEqual(done.result, { counted: 3, resumedFrom: 0, runs: 1 })
      assert.equal((await client.get(job.id)).state, 'succeeded')
    })

    it('sends an Idempotency-Key: the caller’s replays the job, its own is new per call', async () => {
      const first = await client.enqueue('echo', { n: 1 }, { idempotencyKey: 'order-1' })
      const again = await client.enqueue('echo', { n: 1 }, { idempotencyKey: 'order-1' })
      assert.equal(again.id, first.id)
      const other = await client.enqueue('echo', { n: 1 })
      const another = await client.enqueue('echo', { n: 1 })
      assert.notEqual(other.id, another.id)
    })

    it('enqueues a batch, cancels, and lists every page', async () => {
      const runAt = new Date(Date.now() + 3_600_000).toISOString()
      const jobs = await client.enqueueBatch(
        Array.from({ length: 5 }, (_, n) => ({ type: 'echo', payload: { n }, runAt, queue: 'later' })),
      )
      assert.equal(jobs.length, 5)
      const cancelled = await client.cancel(jobs[0]!.id)
      assert.equal(cancelled.state, 'cancelled')
      const listed: string[] = []
      for await (const job of client.list({ queue: 'later', pageSize: 2 })) listed.push(job.id)
      assert.deepEqual(listed, jobs.map((j) => j.id).reverse())
      const queued: string[] = []
      for await (const job of client.list({ queue: 'later', state: 'queued', pageSize: 3 })) queued.push(job.id)
      assert.equal(queued.length, 4)
    })

    it('turns problem+json into a JobRunnerError', async () => {
      await assert.rejects(client.enqueue('no-such-type', {}), (error: unknown) => {
        assert.ok(error instanceof JobRunnerError)
        assert.equal(error.status, 422)
        assert.match(error.problem?.detail ?? '', /no-such-type/)
        return true
      })
      await assert.rejects(
        client.get('999999'),
        (error: unknown) => error instanceof JobRunnerError && error.status === 404,
      )
      const stranger = createClient({ url: service.url, token: 'not-a-token' })
      await assert.rejects(
        stranger.get('1'),
        (error: unknown) => error instanceof JobRunnerError && error.status === 401,
      )
    })

    it('reads and replaces a checkpoint with its ETag; a stale one is a 412 JobRunnerError', async () => {
      const job = await client.enqueue('flaky', { failTimes: 1 }, { maxAttempts: 1 })
      assert.equal((await client.wait(job.id)).state, 'failed')
      const read = await client.getCheckpoint(job.id)
      assert.deepEqual([read.checkpoint, read.version], [{ failed: 1 }, 1])
      const replaced = await client.replaceCheckpoint(job.id, { failed: 0 }, { etag: read.etag })
      assert.deepEqual(replaced.checkpoint, { failed: 0 })
      assert.equal((await client.getCheckpoint(job.id)).etag, replaced.etag)
      await assert.rejects(
        client.replaceCheckpoint(job.id, { failed: 5 }, { etag: read.etag }),
        (error: unknown) => error instanceof JobRunnerError && error.status === 412,
      )
    })

    it('wait rejects when its signal aborts', async () => {
      const job = await client.enqueue('echo', { n: 2 }, { runAt: new Date(Date.now() + 3_600_000).toISOString() })
      await assert.rejects(client.wait(job.id, { signal: AbortSignal.timeout(200) }), { name: 'TimeoutError' })
    })
  })

  describe(`job-runner/client across a SIGTERM (${target.name})`, once, () => {
    let database: TestDatabase
    let router: TestRouter
    const servers: ServerProcess[] = []

    before(async () => {
      database = await target.create()
      router = await startRouter()
    })
    after(async () => {
      for (const server of servers) await server.dispose()
      await router?.close()
      await database?.cleanup()
    })

    it('goes on waiting against a second instance, which resumes the job', async () => {
      const first = await spawnServer(database)
      servers.push(first)
      // Two processes may share PostgreSQL; the embedded database takes one at a time, so there the
      // second instance starts once the first has exited, as a restarted dyno would. On PostgreSQL
      // it starts once the job runs on the first (so that the first is the one to interrupt it).
      const shared = target.name === 'postgres'
      router.backends = [first.url]
      const client = createClient({
        url: router.url,
        token: () => first.token({ sub: 'client' }),
        retry: { retries: 50, maxDelayMs: 300, baseDelayMs: 100 },
        waitSeconds: 2,
      })
      const job = await client.enqueue('count', { to: 100, stepMs: 100 })
      const waited = client.wait(job.id)
      await untilCheckpointed(first, job.id)
      if (shared) {
        servers.push(await spawnServer(database))
        router.backends = servers.map((s) => s.url)
      }
      first.kill('SIGTERM')
      assert.equal((await first.exited).code, 0)
      if (!shared) {
        const second = await spawnServer(database)
        servers.push(second)
        router.backends = [second.url]
      }
      const done = await waited
      assert.equal(done.state, 'succeeded')
      const result = done.result as { counted: number; resumedFrom: number; runs: number }
      assert.equal(result.counted, 100)
      assert.equal(result.runs, 2)
      assert.ok(result.resumedFrom > 0, `resumed from its checkpoint (${result.resumedFrom})`)
      assert.ok(router.forwarded.includes(servers[1]!.url), 'the second instance answered the wait')
    })
  })
}

/** Long-polls the instance until the running job has a written checkpoint past zero. */
async function untilCheckpointed(server: ServerProcess, id: string): Promise<void> {
  let etag: string | undefined
  for (;;) {
    const response = await server.request(`/v1/jobs/${id}?wait=5`, { headers: etag ? { 'if-none-match': etag } : {} })
    etag = response.headers.get('etag') ?? etag
    if (response.status === 304) continue
    const job = (await response.json()) as { checkpoint: { cursor?: number } | null }
    if (job.checkpoint?.cursor) return
  }
}
