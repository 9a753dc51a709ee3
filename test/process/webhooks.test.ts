/**
 * A webhook delivery survives a SIGKILL of the instance delivering it: the receiver (127.0.0.1,
 * listed in WEBHOOK_ALLOWED_HOSTS) holds the first request unanswered, the instance is killed
 * mid-send, and once the delivery's lease expires another instance (on PostgreSQL, one already
 * running; on the embedded database, a restart on the same data folder) sends it again with the
 * same `webhook-id` and signature scheme; it ends delivered, after two attempts, nothing lost.
 *
 * And a SIGTERM lets the send under way finish: the receiver holds the request until the instance
 * is stopping, then answers 200; the answer is recorded (delivered, one attempt, one request) before
 * the runner's stop is reported, and the process exits 0 within its grace. A receiver that answers
 * nothing by the grace deadline does not hold the exit: the process still exits 0 in time, the
 * delivery stays leased, and the next instance sends it again once the lease expires.
 */
import assert from 'node:assert/strict'
import { after, describe, it } from 'node:test'
import { Webhook } from 'standardwebhooks'
import { databaseTargets, embeddedInSoak, onceSkip, type TestDatabase } from '../support/databases.js'
import {
  enqueueJob,
  EXIT_MARGIN_MS,
  processFixture,
  withDatabase,
  type ProcessExit,
  type ServerProcess,
} from '../support/process.js'
import { startWebhookReceiver, type ReceiverAnswer, type WebhookReceiver } from '../support/webhookReceiver.js'

const CALLBACK_SECRET = `whsec_${Buffer.alloc(32, 9).toString('base64')}`
const ENV = {
  LEASE_SECONDS: '2',
  SHUTDOWN_GRACE_SECONDS: '3',
  WEBHOOK_SECRET: CALLBACK_SECRET,
  WEBHOOK_ALLOW_HTTP: 'true',
  WEBHOOK_ALLOWED_HOSTS: '127.0.0.1',
}

interface Delivery {
  state: string
  attempts: number
  lastStatus: number | null
}

for (const target of databaseTargets()) {
  // The outbox lease is the same SQL on both; sigkill.test.ts covers the embedded database's restart.
  const once = { skip: onceSkip(target, "the outbox's lease") }
  describe(`process: a webhook delivery across a SIGKILL (${target.name})`, once, () => {
    const { spawn, createDatabase } = processFixture(target)
    // The first request is held until its sender dies; every later one is answered 200.
    const receiverStarted = startWebhookReceiver((_request, index) => (index === 0 ? 'hold' : 200))
    after(async () => (await receiverStarted).close())

    it('is sent again by another instance once the lease of the killed one expires, and ends delivered', async () => {
      const receiver = await receiverStarted
      const database = await createDatabase()
      const first = await spawn(database, ENV)
      await enqueueJob(first, {
        type: 'echo',
        payload: { n: 1 },
        callback: { url: `${receiver.url}/hook` },
      })
      await receiver.waitForCount(1)
      const jobId = (JSON.parse(receiver.received[0]!.body) as { data: { id: string } }).data.id

      let second: ServerProcess
      if (target.name === 'postgres') {
        second = await spawn(database, ENV)
        first.kill('SIGKILL')
        assert.equal((await first.exited).signal, 'SIGKILL')
      } else {
        first.kill('SIGKILL')
        assert.equal((await first.exited).signal, 'SIGKILL')
        second = await spawn(database, ENV)
      }
      await receiver.waitForCount(2, 30_000)
      const [held, resent] = receiver.received
      assert.equal(held!.headers['webhook-id'], resent!.headers['webhook-id'])
      const payload = new Webhook(CALLBACK_SECRET).verify(resent!.body, resent!.headers) as { type: string }
      assert.equal(payload.type, 'job.succeeded')

      let deliveries: Delivery[] = []
      for (let i = 0; i < 50; i += 1) {
        const response = await second.request(`/v1/jobs/${jobId}/deliveries`)
        deliveries = ((await response.json()) as { deliveries: Delivery[] }).deliveries
        if (deliveries[0]?.state === 'delivered') break
        await second.waitForLog((r) => r.msg === 'webhook delivery', { timeoutMs: 5000 }).catch(() => {})
      }
      assert.equal(deliveries.length, 1)
      assert.equal(deliveries[0]?.state, 'delivered')
      assert.equal(deliveries[0]?.attempts, 2)
      assert.equal(receiver.received.length, 2)
      second.kill('SIGTERM')
      assert.equal((await second.exited).code, 0)
    })
  })
}

for (const target of databaseTargets()) {
  const skip = embeddedInSoak(target, "the lifecycle's stop of the webhook worker")
  describe(`process: a webhook delivery across a SIGTERM (${target.name})`, { skip }, () => {
    const { spawn, createDatabase } = processFixture(target)
    const receivers: WebhookReceiver[] = []
    after(async () => Promise.all(receivers.splice(0).map((receiver) => receiver.close())))

    /** A receiver that holds the first request until `release` is called, and answers 200 to the rest. */
    async function heldReceiver(): Promise<{ receiver: WebhookReceiver; release: (answer: ReceiverAnswer) => void }> {
      let release!: (answer: ReceiverAnswer) => void
      const released = new Promise<ReceiverAnswer>((resolve) => (release = resolve))
      const receiver = await startWebhookReceiver((_request, index) => (index === 0 ? released : 200))
      receivers.push(receiver)
      return { receiver, release }
    }

    it('lets the send under way finish: the answer given after the signal is recorded once, and it exits 0 in its grace', async () => {
      const graceSeconds = 5
      const { receiver, release } = await heldReceiver()
      const database = await createDatabase()
      const server = await spawn(database, { ...ENV, SHUTDOWN_GRACE_SECONDS: String(graceSeconds) })
      const job = await enqueueJob(server, { type: 'echo', payload: {}, callback: { url: `${receiver.url}/hook` } })
      await receiver.waitForCount(1)

      const stopping = server.waitForLog((r) => r.msg === 'lifecycle: running → stopping')
      const signalledAt = server.kill('SIGTERM')
      await stopping
      assert.equal(server.logsMatching('runner stopped').length, 0, 'the stop waits for the send')
      release(200)
      const exit = await server.exited
      assertCleanExitWithin(exit, signalledAt, graceSeconds)

      // Settled before the runner's stop was reported: the stop waited for the send, then the write.
      const order = server.logs.map((r) => r.msg).filter((m) => m === 'webhook delivery' || m === 'runner stopped')
      assert.deepEqual(order, ['webhook delivery', 'runner stopped'])
      assert.equal(server.logsMatching('webhook delivery')[0]?.outcome, 'delivered')
      assert.deepEqual(await deliveryRows(database, job.id), [
        { state: 'delivered', attempts: 1, last_status: 200, leased: false },
      ])
      assert.equal(receiver.received.length, 1, 'sent once')
    })

    it('does not wait past its grace for a receiver that never answers; the next instance sends it again once the lease expires', async () => {
      const graceSeconds = 2
      const { receiver } = await heldReceiver()
      const database = await createDatabase()
      const env = { ...ENV, SHUTDOWN_GRACE_SECONDS: String(graceSeconds) }
      const server = await spawn(database, env)
      const job = await enqueueJob(server, { type: 'echo', payload: {}, callback: { url: `${receiver.url}/hook` } })
      await receiver.waitForCount(1)

      const signalledAt = server.kill('SIGTERM')
      assertCleanExitWithin(await server.exited, signalledAt, graceSeconds)
      // Unanswered at the deadline (its own 5 s timeout is longer than the grace): left leased, as after a SIGKILL.
      assert.deepEqual(await deliveryRows(database, job.id), [
        { state: 'pending', attempts: 1, last_status: null, leased: true },
      ])

      const next = await spawn(database, env)
      const delivered = next.waitForLog((r) => r.msg === 'webhook delivery' && r.outcome === 'delivered')
      await receiver.waitForCount(2, 30_000)
      await delivered
      const [held, resent] = receiver.received
      assert.equal(held!.headers['webhook-id'], resent!.headers['webhook-id'])
      next.kill('SIGTERM')
      assert.equal((await next.exited).code, 0)
      assert.deepEqual(await deliveryRows(database, job.id), [
        { state: 'delivered', attempts: 2, last_status: 200, leased: false },
      ])
      assert.equal(receiver.received.length, 2)
    })
  })
}

/** Exit code 0, no signal, by the grace deadline (plus the margin a loaded machine needs). */
function assertCleanExitWithin(exit: ProcessExit, signalledAt: number, graceSeconds: number): void {
  assert.deepEqual([exit.code, exit.signal], [0, null])
  const elapsedMs = exit.at - signalledAt
  assert.ok(elapsedMs < graceSeconds * 1000 + EXIT_MARGIN_MS, `exited ${Math.round(elapsedMs)} ms after SIGTERM`)
}

/** A job's outbox rows, read from the database once no server holds it. */
async function deliveryRows(database: TestDatabase, jobId: string) {
  return withDatabase(database, async (db) => {
    const rows = await db.sql<{ state: string; attempts: number; last_status: number | null; leased: boolean }[]>`
      select state, attempts, last_status, lease_owner is not null as leased
      from job_runner.job_runner_webhook_deliveries where job_id = ${jobId} order by id`
    return rows.map((row) => ({ ...row }))
  })
}
