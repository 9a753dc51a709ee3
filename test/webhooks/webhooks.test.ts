/**
 * Completion webhooks on each database, to a receiver on 127.0.0.1 (listed in
 * WEBHOOK_ALLOWED_HOSTS): a subscription's deliveries verified with the `standardwebhooks`
 * package under the secret its creation answered; a job's own callback, signed with
 * WEBHOOK_SECRET, for the events it names only; a receiver that fails three times, then takes it
 * (one webhook-id throughout); a job that expires unstarted (job.expired); a 410 that disables the subscription; the job's deliveries; the
 * first 1 KiB of an answer kept; a 3xx retried, its Location never visited; the 100 subscriptions
 * of an owner; the routes' owner isolation and bad input; on a service without WEBHOOK_ALLOW_HTTP
 * and WEBHOOK_SECRET, http: URLs and callbacks refused; and, on a service without the allow-list,
 * 127.0.0.1 refused without a byte sent.
 */
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { Webhook } from 'standardwebhooks'
import { databaseTargets } from '../support/databases.js'
import { enqueue, expectJson, expectProblem, pollUntil } from '../support/http.js'
import type { TestService } from '../support/service.js'
import { startWebhookReceiver, type ReceiverAnswer, type WebhookReceiver } from '../support/webhookReceiver.js'
import { suiteService } from '../support/suiteService.js'

interface WebhookPage {
  webhooks: { id: string }[]
  nextCursor: string | null
}

const CALLBACK_SECRET = `whsec_${Buffer.alloc(32, 7).toString('base64')}`

interface Delivery {
  id: string
  webhookId: string | null
  state: string
  attempts: number
  lastStatus: number | null
  lastError: string | null
  lastResponse: string | null
  event: string
}

const json = (body: unknown, method = 'POST'): RequestInit => ({ method, body: JSON.stringify(body) })

for (const target of databaseTargets()) {
  describe(`webhooks (${target.name})`, () => {
    let service: TestService
    let receiver: WebhookReceiver
    /** Per path: the answers to give in turn (200 once they run out). */
    const script = new Map<string, ReceiverAnswer[]>()

    suiteService(target, (started) => (service = started), {
      WEBHOOK_SECRET: CALLBACK_SECRET,
      WEBHOOK_ALLOW_HTTP: 'true',
      WEBHOOK_ALLOWED_HOSTS: '127.0.0.1',
      // 5 s, 5 min, 30 min … scaled to 5 ms, 300 ms, 1.8 s …
      WEBHOOK_RETRY_SCALE: '0.001',
    })
    before(async () => (receiver = await startWebhookReceiver((request) => script.get(request.path)?.shift() ?? 200)))
    after(() => receiver?.close())

    const deliveriesOf = (jobId: string) => deliveriesOfJob(service, jobId)
    const settled = (jobId: string) => settledDeliveries(service, jobId)

    it('a subscription delivers each outcome, signed as Standard Webhooks with the secret shown once', async () => {
      const created = await expectJson<{ id: string; secret: string; url: string; events: string[] | null }>(
        await service.request('/v1/webhooks', { sub: 'erin', ...json({ url: `${receiver.url}/sub`, type: 'echo' }) }),
        201,
      )
      assert.match(created.secret, /^whsec_/)
      const listed = await expectJson<{ webhooks: Record<string, unknown>[] }>(
        await service.request('/v1/webhooks', { sub: 'erin', scopes: ['jobs:read'] }),
        200,
      )
      assert.deepEqual(
        listed.webhooks.map((w) => w.id),
        [created.id],
      )
      assert.ok(!('secret' in listed.webhooks[0]!), 'the secret is shown once')

      const job = await enqueue(service, { type: 'echo', payload: { hello: 'webhook' } }, { sub: 'erin' })
      const other = await enqueue(service, { type: 'sleep', payload: { ms: 1 } }, { sub: 'erin' })
      await settled(job.id)
      const arrived = receiver.received.filter((r) => r.path === '/sub')
      assert.equal(arrived.length, 1)
      const payload = new Webhook(created.secret).verify(arrived[0]!.body, arrived[0]!.headers) as {
        type: string
        data: { id: string; state: string; result: unknown }
      }
      assert.equal(payload.type, 'job.succeeded')
      assert.equal(payload.data.id, job.id)
      assert.deepEqual(payload.data.result, { hello: 'webhook' })
      // Another secret does not verify it.
      assert.throws(() => new Webhook(CALLBACK_SECRET).verify(arrived[0]!.body, arrived[0]!.headers))
      const [delivery] = await deliveriesOf(job.id)
      assert.equal(delivery?.state, 'delivered')
      assert.equal(delivery?.attempts, 1)
      assert.equal(delivery?.webhookId, created.id)
      assert.equal(delivery?.lastStatus, 200)
      // The type filter left the sleep job out: no delivery row at all.
      await pollUntil(service, other.id, (j) => j.state === 'succeeded', { sub: 'erin' })
      assert.deepEqual(await deliveriesOf(other.id), [])

      await expectProblem(
        await service.request(`/v1/webhooks/${created.id}`, {
          sub: 'mallory',
          scopes: ['jobs:write'],
          method: 'DELETE',
        }),
        404,
        'not-found',
      )
      const deleted = await service.request(`/v1/webhooks/${created.id}`, { sub: 'erin', method: 'DELETE' })
      assert.equal(deleted.status, 204)
    })

    it("a job's own callback, signed with WEBHOOK_SECRET, for the events it names", async () => {
      const failing = await enqueue(service, {
        type: 'flaky',
        payload: { failTimes: 5 },
        maxAttempts: 1,
        callback: { url: `${receiver.url}/callback`, events: ['failed'] },
      })
      const quiet = await enqueue(service, {
        type: 'echo',
        callback: { url: `${receiver.url}/callback`, events: ['failed'] },
      })
      await settled(failing.id)
      const arrived = receiver.received.filter((r) => r.path === '/callback')
      assert.equal(arrived.length, 1)
      const payload = new Webhook(CALLBACK_SECRET).verify(arrived[0]!.body, arrived[0]!.headers) as {
        type: string
        data: { id: string; error: string }
      }
      assert.equal(payload.type, 'job.failed')
      assert.equal(payload.data.id, failing.id)
      assert.match(payload.data.error, /failing on purpose/)
      await pollUntil(service, quiet.id, (j) => j.state === 'succeeded')
      assert.deepEqual(await deliveriesOf(quiet.id), [])
    })

    it('a job that expires unstarted delivers job.expired', async () => {
      // Its type paused, the job cannot start before its deadline passes.
      const pause = await service.request('/v1/admin/job-types/sleep/pause', json({ mode: 'finish' }))
      assert.equal(pause.status, 200)
      try {
        const job = await enqueue(service, {
          type: 'sleep',
          payload: { ms: 1 },
          ttlSeconds: 0.2,
          callback: { url: `${receiver.url}/expired`, events: ['expired'] },
        })
        const [delivery] = await settled(job.id)
        assert.equal(delivery!.event, 'expired')
        const arrived = receiver.received.filter((r) => r.path === '/expired')
        assert.equal(arrived.length, 1)
        const payload = new Webhook(CALLBACK_SECRET).verify(arrived[0]!.body, arrived[0]!.headers) as {
          type: string
          data: { id: string; state: string }
        }
        assert.equal(payload.type, 'job.expired')
        assert.deepEqual([payload.data.id, payload.data.state], [job.id, 'expired'])
      } finally {
        await service.request('/v1/admin/job-types/sleep/resume', json({}))
      }
    })

    it('a receiver that fails three times gets it on the fourth attempt, with one webhook-id', async () => {
      script.set('/flaky-receiver', [503, 500, 502])
      const job = await enqueue(service, { type: 'echo', callback: { url: `${receiver.url}/flaky-receiver` } })
      const [outcome] = await settled(job.id)
      assert.equal(outcome?.state, 'delivered')
      const arrived = receiver.received.filter((r) => r.path === '/flaky-receiver')
      assert.equal(arrived.length, 4)
      assert.equal(new Set(arrived.map((r) => r.headers['webhook-id'])).size, 1)
      for (const request of arrived) new Webhook(CALLBACK_SECRET).verify(request.body, request.headers)
      const [delivery] = await deliveriesOf(job.id)
      assert.equal(delivery?.attempts, 4)
      assert.equal(delivery?.state, 'delivered')
    })

    it('a 410 fails the delivery and disables the subscription', async () => {
      script.set('/gone', [410])
      const created = await expectJson<{ id: string }>(
        await service.request('/v1/webhooks', { sub: 'frank', ...json({ url: `${receiver.url}/gone` }) }),
        201,
      )
      const job = await enqueue(service, { type: 'echo' }, { sub: 'frank' })
      const [outcome] = await settled(job.id)
      assert.equal(outcome?.state, 'failed')
      assert.equal(outcome?.lastStatus, 410)
      const { webhooks } = await expectJson<{ webhooks: { id: string; disabledAt: string | null }[] }>(
        await service.request('/v1/webhooks', { sub: 'frank' }),
        200,
      )
      assert.ok(webhooks.find((w) => w.id === created.id)?.disabledAt)
      // Nothing more goes to it.
      const next = await enqueue(service, { type: 'echo' }, { sub: 'frank' })
      await pollUntil(service, next.id, (j) => j.state === 'succeeded', { sub: 'frank' })
      assert.deepEqual(await deliveriesOf(next.id), [])
    })

    it('keeps at most 1 KiB of the answer in lastResponse', async () => {
      // Numbered so that the kept text shows it is the answer's beginning, not any 1 KiB of it.
      const body = Array.from({ length: 4000 }, (_, i) => `${i},`).join('')
      script.set('/talkative', [{ status: 200, body }])
      const job = await enqueue(service, { type: 'echo', callback: { url: `${receiver.url}/talkative` } })
      const [delivery] = await settled(job.id)
      assert.equal(delivery?.state, 'delivered')
      assert.equal(delivery?.lastResponse, body.slice(0, 1024))
    })

    it('retries a 3xx instead of following it: the Location gets nothing', async () => {
      script.set('/moved', [{ status: 307, headers: { location: `${receiver.url}/moved-here` } }])
      const firstAttempt = service.webhookWorker.events.waitFor(
        'delivery:settled',
        ({ delivery }) => delivery.url === `${receiver.url}/moved`,
      )
      const job = await enqueue(service, { type: 'echo', callback: { url: `${receiver.url}/moved` } })
      const { delivery, settlement } = await firstAttempt
      assert.deepEqual([delivery.jobId, settlement.kind, settlement.status], [job.id, 'retry', 307])
      const [outcome] = await settled(job.id)
      assert.deepEqual([outcome?.state, outcome?.attempts, outcome?.lastStatus], ['delivered', 2, 200])
      assert.deepEqual(
        receiver.received.filter((r) => r.path.startsWith('/moved')).map((r) => r.path),
        ['/moved', '/moved'],
      )
    })

    it("refuses an owner's subscriptions past 100 with 422, even 130 asked at once; other owners are not counted", async () => {
      const token = await service.token({ sub: 'gina', scopes: ['jobs:write', 'jobs:read'] })
      const subscribe = (url: string) => service.request('/v1/webhooks', { token, ...json({ url }) })
      // All at once: counted and inserted apart, 130 such requests once made 104 subscriptions.
      const answers = await Promise.all(
        Array.from({ length: 130 }, (_, i) => subscribe(`https://127.0.0.1:9/hooks/${i + 1}`)),
      )
      assert.deepEqual(answers.map((answer) => answer.status).sort(), [
        ...Array<number>(100).fill(201),
        ...Array<number>(30).fill(422),
      ])
      const refused = await expectProblem(await subscribe('https://127.0.0.1:9/hooks/131'), 422, 'invalid-webhook')
      assert.match(refused.detail ?? '', /at most 100/)
      // An owner's subscriptions fit on one page of the default size.
      const own = await expectJson<WebhookPage>(await service.request('/v1/webhooks', { token }), 200)
      assert.deepEqual([own.webhooks.length, own.nextCursor], [100, null])
      await expectJson(
        await service.request('/v1/webhooks', { sub: 'hank', ...json({ url: 'https://127.0.0.1:9/hooks/hank' }) }),
        201,
      )

      // An admin's list crosses every owner's: past 100 it has a next page, and the pages walk
      // every subscription once, oldest first.
      const [counted] = await service.db.sql<{ total: number }[]>`
        select count(*)::int as total from job_runner.job_runner_webhooks`
      const total = counted!.total
      assert.ok(total > 100, `${total} subscriptions`)
      const first = await expectJson<WebhookPage>(await service.request('/v1/webhooks'), 200)
      assert.equal(first.webhooks.length, 100)
      assert.notEqual(first.nextCursor, null)
      const walked: string[] = []
      let cursor: string | null = ''
      while (cursor !== null) {
        const query: string = cursor === '' ? '' : `&cursor=${cursor}`
        const page: WebhookPage = await expectJson<WebhookPage>(
          await service.request(`/v1/webhooks?limit=30${query}`),
          200,
        )
        walked.push(...page.webhooks.map((webhook) => webhook.id))
        cursor = page.nextCursor
      }
      assert.equal(walked.length, total)
      assert.deepEqual(
        walked,
        [...walked].sort((a, b) => Number(a) - Number(b)),
      )
      assert.equal(new Set(walked).size, total)
    })

    it("lists a job's deliveries oldest first by number, not as text (9 before 10)", async () => {
      const job = await enqueue(service, { type: 'echo', runAt: '2100-01-01T00:00:00Z' })
      // Ids chosen to straddle a digit: as text, '10' sorts before '9'.
      await service.db.sql`
        insert into job_runner.job_runner_webhook_deliveries (id, job_id, owner, url, event, payload, state)
        overriding system value
        values (1000009, ${job.id}, 'alice', 'https://127.0.0.1:9/a', 'job.succeeded', '{}', 'failed'),
               (10000010, ${job.id}, 'alice', 'https://127.0.0.1:9/b', 'job.succeeded', '{}', 'failed')`
      const { deliveries } = await expectJson<{ deliveries: { id: string }[] }>(
        await service.request(`/v1/jobs/${job.id}/deliveries`),
        200,
      )
      assert.deepEqual(
        deliveries.map((delivery) => delivery.id),
        ['1000009', '10000010'],
      )
    })

    it('refuses bad webhook input with 422 and an unknown job with 404', async () => {
      await expectProblem(await service.request('/v1/webhooks', json({ url: 'ftp://example.test/x' })), 422)
      await expectProblem(await service.request('/v1/webhooks', json({ url: 'not a url' })), 422)
      await expectProblem(
        await service.request('/v1/jobs', json({ type: 'echo', callback: { url: 'ftp://example.test/x' } })),
        422,
        'invalid-job',
      )
      await expectProblem(await service.request('/v1/jobs/999999/deliveries'), 404, 'not-found')
    })
  })

  describe(`webhooks without WEBHOOK_ALLOW_HTTP or WEBHOOK_SECRET (${target.name})`, () => {
    let service: TestService

    suiteService(target, (started) => (service = started))

    it('refuses an http: URL with 422, for a subscription and for a callback', async () => {
      const subscription = await expectProblem(
        await service.request('/v1/webhooks', json({ url: 'http://127.0.0.1:9/hooks' })),
        422,
        'invalid-webhook',
      )
      assert.deepEqual(
        subscription.errors?.map((e) => e.pointer),
        ['/url'],
      )
      assert.match(subscription.detail ?? '', /WEBHOOK_ALLOW_HTTP/)
      const callback = await expectProblem(
        await service.request('/v1/jobs', json({ type: 'echo', callback: { url: 'http://127.0.0.1:9/hooks' } })),
        422,
        'invalid-job',
      )
      assert.deepEqual(
        callback.errors?.map((e) => e.pointer),
        ['/callback/url'],
      )
      // The same URL over https: is taken: the scheme alone was refused.
      await expectJson(await service.request('/v1/webhooks', json({ url: 'https://127.0.0.1:9/hooks' })), 201)
    })

    it('refuses an enqueue with a callback with 422, since nothing could sign it', async () => {
      const callback = { url: 'https://127.0.0.1:9/hooks' }
      const single = await expectProblem(
        await service.request('/v1/jobs', json({ type: 'echo', callback })),
        422,
        'invalid-job',
      )
      assert.deepEqual(
        single.errors?.map((e) => [e.pointer, e.message]),
        [['/callback', 'needs WEBHOOK_SECRET']],
      )
      const batch = await expectProblem(
        await service.request('/v1/jobs/batch', json({ jobs: [{ type: 'echo' }, { type: 'echo', callback }] })),
        422,
        'invalid-job',
      )
      assert.deepEqual(
        batch.errors?.map((e) => e.pointer),
        ['/jobs/1/callback'],
      )
      const { jobs } = await expectJson<{ jobs: unknown[] }>(await service.request('/v1/jobs'), 200)
      assert.deepEqual(jobs, [], 'neither enqueue made a job')
    })
  })

  describe(`webhooks without WEBHOOK_ALLOWED_HOSTS (${target.name})`, () => {
    let service: TestService
    let receiver: WebhookReceiver

    suiteService(target, (started) => (service = started), {
      WEBHOOK_SECRET: CALLBACK_SECRET,
      WEBHOOK_ALLOW_HTTP: 'true',
    })
    before(async () => (receiver = await startWebhookReceiver()))
    after(() => receiver?.close())

    it('refuses 127.0.0.1 (by address and by name) and sends nothing', async () => {
      for (const url of [`${receiver.url}/x`, receiver.url.replace('127.0.0.1', 'localhost') + '/y']) {
        const job = await enqueue(service, { type: 'echo', callback: { url } })
        const [delivery] = await settledDeliveries(service, job.id)
        assert.equal(delivery?.state, 'failed')
        assert.equal(delivery?.attempts, 1)
        assert.match(delivery?.lastError ?? '', /WEBHOOK_ALLOWED_HOSTS/)
      }
      assert.equal(receiver.received.length, 0)
    })
  })
}

async function deliveriesOfJob(service: TestService, jobId: string): Promise<Delivery[]> {
  return (await expectJson<{ deliveries: Delivery[] }>(await service.request(`/v1/jobs/${jobId}/deliveries`), 200))
    .deliveries
}

/** The job's deliveries once none is pending: re-read on each settled delivery (the event is the wake-up). */
async function settledDeliveries(service: TestService, jobId: string): Promise<Delivery[]> {
  const deadline = Date.now() + 20_000
  for (;;) {
    const next = service.webhookWorker.events.waitFor('delivery:settled', () => true, {
      signal: AbortSignal.timeout(1000),
    })
    next.catch(() => {})
    const deliveries = await deliveriesOfJob(service, jobId)
    if (deliveries.length > 0 && deliveries.every((d) => d.state !== 'pending')) return deliveries
    if (Date.now() > deadline) throw new Error(`job ${jobId}: deliveries still pending: ${JSON.stringify(deliveries)}`)
    await next.catch(() => {})
  }
}
