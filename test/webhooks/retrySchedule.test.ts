/**
 * The real webhook retry schedule, unscaled (WEBHOOK_RETRY_SCALE left at 1): the delay after each
 * failed attempt (5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h), their sum (27.6 hours), and no ninth
 * attempt; then the real service's worker walks one delivery through all eight attempts against a
 * receiver that always answers 503, the clock of each retry brought forward in the row (27.6 hours
 * cannot be waited for): each settlement carries the schedule's delay, written into the row, and the
 * eighth fails the delivery for good.
 */
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { MAX_ATTEMPTS, retryDelayMs } from '../../src/webhooks/retrySchedule.js'
import type { WebhookWorkerEvents } from '../../src/webhooks/webhookWorker.js'
import { WebhookStore } from '../../src/webhooks/webhookStore.js'
import { databaseTargets, onceSkip } from '../support/databases.js'
import { enqueue } from '../support/http.js'
import type { TestService } from '../support/service.js'
import { suiteService } from '../support/suiteService.js'
import { startWebhookReceiver, type WebhookReceiver } from '../support/webhookReceiver.js'

const SECOND = 1000
const MINUTE = 60 * SECOND
const HOUR = 60 * MINUTE
/** Standard Webhooks' schedule, as the README states it: the waits after attempts 1 to 7. */
const DOCUMENTED_DELAYS = [5 * SECOND, 5 * MINUTE, 30 * MINUTE, 2 * HOUR, 5 * HOUR, 10 * HOUR, 10 * HOUR]

const CALLBACK_SECRET = `whsec_${Buffer.alloc(32, 5).toString('base64')}`

describe('the webhook retry schedule at scale 1', () => {
  it('waits 5 s, 5 min, 30 min, 2 h, 5 h, 10 h and 10 h after attempts 1 to 7', () => {
    const delays = DOCUMENTED_DELAYS.map((_, index) => retryDelayMs(index + 1))
    assert.deepEqual(delays, DOCUMENTED_DELAYS)
  })

  it('spans 27.6 hours from the first attempt to the eighth', () => {
    const total = DOCUMENTED_DELAYS.reduce((sum, _, index) => sum + retryDelayMs(index + 1)!, 0)
    assert.equal(total, 99_305 * SECOND)
    assert.equal((total / HOUR).toFixed(1), '27.6')
  })

  it('makes eight attempts: none after the eighth', () => {
    assert.equal(MAX_ATTEMPTS, 8)
    assert.equal(retryDelayMs(8), undefined)
    assert.equal(retryDelayMs(9), undefined, 'a ninth claim (a lease that expired mid-send) is not retried either')
  })

  it('is multiplied by the scale: 0.001 turns 5 s into 5 ms', () => {
    assert.equal(retryDelayMs(1, 0.001), 5)
    assert.equal(retryDelayMs(8, 0.001), undefined)
  })

  it('refuses an attempt number below 1', () => {
    assert.throws(() => retryDelayMs(0), RangeError)
  })
})

for (const target of databaseTargets()) {
  const skip = onceSkip(target, "the worker's use of the schedule; the outbox's SQL runs on both in webhooks.test.ts")
  describe(`the webhook retry schedule in the running service (${target.name})`, { skip }, () => {
    let service: TestService
    let receiver: WebhookReceiver

    // No WEBHOOK_RETRY_SCALE: the production schedule.
    suiteService(target, (started) => (service = started), {
      WEBHOOK_SECRET: CALLBACK_SECRET,
      WEBHOOK_ALLOW_HTTP: 'true',
      WEBHOOK_ALLOWED_HOSTS: '127.0.0.1',
    })
    before(async () => (receiver = await startWebhookReceiver(() => 503)))
    after(() => receiver?.close())

    /** The next settlement of `deliveryId` (register before causing it). */
    const nextSettlement = (deliveryId?: string): Promise<WebhookWorkerEvents['delivery:settled']> =>
      service.webhookWorker.events.waitFor(
        'delivery:settled',
        ({ delivery }) => deliveryId === undefined || delivery.id === deliveryId,
        { signal: AbortSignal.timeout(20_000) },
      )

    /** How long until the row's next attempt, read from the database right after its settlement. */
    async function msUntilNextAttempt(deliveryId: string): Promise<number> {
      const [row] = await service.db.sql<{ ms: number }[]>`
        select (extract(epoch from next_attempt_at - now()) * 1000)::float8 as ms
        from job_runner.job_runner_webhook_deliveries where id = ${deliveryId}`
      return row!.ms
    }

    it('retries a failing delivery after each delay of the schedule and fails it after the eighth attempt', async () => {
      const firstSettled = nextSettlement()
      const job = await enqueue(service, { type: 'echo', callback: { url: `${receiver.url}/always-503` } })
      let { delivery, settlement } = await firstSettled
      assert.equal(delivery.jobId, job.id)

      for (let attempt = 1; attempt < MAX_ATTEMPTS; attempt += 1) {
        assert.equal(delivery.attempts, attempt)
        assert.equal(settlement.kind, 'retry', `attempt ${attempt}`)
        const delayMs = settlement.kind === 'retry' ? settlement.delayMs : NaN
        assert.equal(delayMs, DOCUMENTED_DELAYS[attempt - 1], `the wait after attempt ${attempt}`)
        // Written into the row: due that long after the settlement, read a moment later.
        const remaining = await msUntilNextAttempt(delivery.id)
        assert.ok(remaining <= delayMs && remaining > delayMs - 10 * SECOND, `due in ${remaining} ms, not ${delayMs}`)

        // The wait itself is not waited for: the retry is made due now and the worker rung.
        const settled = nextSettlement(delivery.id)
        await service.db.sql`
          update job_runner.job_runner_webhook_deliveries set next_attempt_at = now() where id = ${delivery.id}`
        service.webhookWorker.wake()
        ;({ delivery, settlement } = await settled)
      }

      assert.equal(delivery.attempts, 8)
      assert.deepEqual([settlement.kind, settlement.status], ['failed', 503])
      const [row] = await service.db.sql<{ state: string; attempts: number; lease_owner: string | null }[]>`
        select state, attempts, lease_owner from job_runner.job_runner_webhook_deliveries where id = ${delivery.id}`
      assert.deepEqual({ ...row }, { state: 'failed', attempts: 8, lease_owner: null })
      // No ninth attempt: even made due, a failed delivery is not claimed again.
      await service.db.sql`
        update job_runner.job_runner_webhook_deliveries set next_attempt_at = now() where id = ${delivery.id}`
      const store = new WebhookStore(service.db.sql, service.db.schema)
      assert.deepEqual(await store.claimDeliveries({ instanceId: 'probe', limit: 10, leaseMs: MINUTE }), [])

      const arrived = receiver.received.filter((r) => r.path === '/always-503')
      assert.equal(arrived.length, 8, 'eight requests reached the receiver')
      assert.equal(new Set(arrived.map((r) => r.headers['webhook-id'])).size, 1, 'one webhook-id throughout')
    })
  })
}
