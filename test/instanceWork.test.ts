/**
 * What a resume starts beside the runner takes work at once. Work that came while the instance was
 * drained (a bulk action, a webhook delivery, made through the services as another instance's routes
 * would: this one's answer 503) waits for the resume; then the bulk action worker and the webhook
 * worker start and must look for it at once, not after their idle poll. The poll is set to its
 * longest (POLL_INTERVAL_MS=60000) and nothing else rings them, so only a look at start-up gets the
 * work done before the test's 30 s limit: it is `mayClaim()` answering yes while a resume starts the
 * runner (src/lifecycle.ts), which the workers ask as they start.
 */
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { BulkActionService } from '../src/bulk/bulkActionService.js'
import { BulkActionStore } from '../src/bulk/bulkActionStore.js'
import { withTimeout } from '../src/support/withTimeout.js'
import { databaseTargets, onceSkip } from './support/databases.js'
import { enqueue, expectJson } from './support/http.js'
import type { TestService } from './support/service.js'
import { suiteService } from './support/suiteService.js'
import { startWebhookReceiver, type WebhookReceiver } from './support/webhookReceiver.js'

const CALLBACK_SECRET = `whsec_${Buffer.alloc(32, 3).toString('base64')}`
/** Half the idle poll: what gets done within it was looked for at the start, not at the poll. */
const PROMPTLY_MS = 30_000

for (const target of databaseTargets()) {
  const skip = onceSkip(target, "the lifecycle's start of the workers, not SQL")
  describe(`the workers a resume starts (${target.name})`, { skip }, () => {
    let service: TestService
    let receiver: WebhookReceiver

    suiteService(target, (started) => (service = started), {
      POLL_INTERVAL_MS: '60000',
      WEBHOOK_SECRET: CALLBACK_SECRET,
      WEBHOOK_ALLOW_HTTP: 'true',
      WEBHOOK_ALLOWED_HOSTS: '127.0.0.1',
    })
    before(async () => (receiver = await startWebhookReceiver(() => 200)))
    after(() => receiver?.close())

    it('works a bulk action and sends a webhook made while drained as soon as the instance is resumed', async () => {
      // The bulk retry's jobs: failed, in a queue no instance serves, so the retry is all that moves them.
      await service.db.sql`
        insert into job_runner.job_runner_jobs (owner, type, queue, max_attempts, state, finished_at)
        select 'alice', 'echo', 'parked', 1, 'failed', now() from generate_series(1, 5)`
      // The webhook's job: queued for an hour from now, its callback asked for its cancel.
      const waiting = await enqueue(service, {
        type: 'echo',
        runAt: new Date(Date.now() + 3600_000).toISOString(),
        callback: { url: `${receiver.url}/cancelled`, events: ['cancelled'] },
      })
      await expectJson(await service.request('/v1/admin/drain?wait=20', { method: 'POST' }), 200)

      const cancel = await service.jobs.cancel({ owner: 'alice', id: waiting.id })
      assert.equal(cancel.kind, 'cancelled')
      const bulkActions = new BulkActionService(
        new BulkActionStore(service.db.sql, service.db.schema),
        service.bulkWorker,
      )
      const action = await bulkActions.create(
        { owner: 'alice', allOwners: false },
        { action: 'retry', filter: { queue: 'parked' } },
      )
      assert.equal(action.matched, 5)
      const [delivery] = await service.db.sql<{ id: string; attempts: number }[]>`
        select id::text, attempts from job_runner.job_runner_webhook_deliveries where job_id = ${waiting.id}`
      assert.ok(delivery, 'the cancel put a delivery in the outbox')
      assert.equal(delivery.attempts, 0, 'drained: the delivery waits')
      assert.equal((await bulkActions.get({ id: action.id, owner: 'alice' }))?.done, 0, 'drained: the action waits')

      const completed = service.bulkWorker.events.waitFor('bulk:completed', (e) => e.action.id === action.id)
      const delivered = service.webhookWorker.events.waitFor('delivery:settled', (e) => e.delivery.id === delivery.id)
      assert.deepEqual(
        await expectJson<{ state: string }>(await service.request('/v1/admin/resume', { method: 'POST' }), 200),
        { state: 'running' },
      )
      const promptly = <T>(work: Promise<T>, worker: string) =>
        withTimeout(work, PROMPTLY_MS, () => new Error(`the ${worker} waited for its idle poll after the resume`))
      const [{ action: done }, { settlement }] = await Promise.all([
        promptly(completed, 'bulk action worker'),
        promptly(delivered, 'webhook worker'),
      ])
      assert.deepEqual([done.state, done.done], ['completed', 5])
      assert.equal(settlement.kind, 'delivered')
      const arrived = receiver.received.filter((r) => r.path === '/cancelled')
      assert.equal(arrived.length, 1)
      assert.equal((JSON.parse(arrived[0]!.body) as { type: string }).type, 'job.cancelled')
    })
  })
}
