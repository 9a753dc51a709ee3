/**
 * Delivers the webhook outbox: started and stopped beside the runner (src/instanceWork.ts), on every
 * instance. A run claims due deliveries (leased, the attempt counted: src/webhooks/webhookStore.ts),
 * signs and sends each (src/webhooks/signature.ts, src/webhooks/sendWebhook.ts) and settles it:
 *
 *   2xx ──▶ delivered          410 ──▶ failed (a subscription is disabled)
 *   refused address, no secret, last attempt ──▶ failed
 *   anything else ──▶ retried after the next delay of the retry schedule (src/webhooks/retrySchedule.ts:
 *                     5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h: eight attempts over 27.6 hours)
 *
 * A run that stops (a drain, a SIGTERM) claims nothing more and lets the sends under way finish
 * and settle (each is bounded by its 5 s timeout); one killed mid-send, or cut off by a grace shorter
 * than that, leaves leased rows that any instance claims again once the lease expires (at least
 * once: the receiver de-duplicates by `webhook-id`).
 * Single-use runs, as the bulk action worker's: each start builds a new one.
 */
import type { Logger } from 'pino'
import { coerceError } from '../log.js'
import { Doorbell } from '../support/doorbell.js'
import { IdlePoll } from '../support/idlePoll.js'
import { RepeatedFailures } from '../support/repeatedFailures.js'
import { TypedEmitter } from '../runner/events.js'
import type { AddressGuard } from './addressGuard.js'
import { retryDelayMs } from './retrySchedule.js'
import { sendWebhook } from './sendWebhook.js'
import { signedHeaders } from './signature.js'
import type { ClaimedDelivery, DeliverySettlement, WebhookStore } from './webhookStore.js'

export const WEBHOOK_TIMEOUT_MS = 5000
export const MAX_RESPONSE_BYTES = 1024

export interface WebhookWorkerConfig {
  instanceId: string
  leaseMs: number
  pollIntervalMs: number
  /** WEBHOOK_SECRET: signs jobs' own callbacks. */
  callbackSecret: string | undefined
  guard: AddressGuard
  /** Multiplies the retry schedule (WEBHOOK_RETRY_SCALE; 1 in production, small in tests). */
  retryScale?: number
  batchSize?: number
}

export interface WebhookWorkerEvents {
  'delivery:settled': { delivery: ClaimedDelivery; settlement: DeliverySettlement }
}

export interface WebhookWorkerDependencies {
  store: WebhookStore
  log: Logger
  mayWork: () => boolean
}

export class WebhookWorker {
  readonly events = new TypedEmitter<WebhookWorkerEvents>()
  private run: DeliveryRun | undefined

  constructor(
    private readonly config: WebhookWorkerConfig,
    private readonly deps: WebhookWorkerDependencies,
  ) {}

  start(): void {
    if (this.run?.active) return
    this.run = new DeliveryRun(this.config, this.deps, this.events)
  }

  stop(): Promise<void> {
    return this.run?.stop() ?? Promise.resolve()
  }

  /** Looks for due deliveries now (an outcome was just written). */
  wake(): void {
    this.run?.wake()
  }
}

class DeliveryRun {
  private readonly stopped = new AbortController()
  private readonly doorbell = new Doorbell()
  /** A poll that fails at every turn (the database is gone) logs once a minute. */
  private readonly failures = new RepeatedFailures()
  private readonly pace: IdlePoll
  private readonly loop: Promise<void>
  private stopping: Promise<void> | undefined

  constructor(
    private readonly config: WebhookWorkerConfig,
    private readonly deps: WebhookWorkerDependencies,
    private readonly events: TypedEmitter<WebhookWorkerEvents>,
  ) {
    this.stopped.signal.addEventListener('abort', () => this.doorbell.ring(), { once: true })
    // Rung by every settled job of this instance; most write no delivery, so the looks are spaced.
    this.pace = new IdlePoll(this.doorbell, { pollIntervalMs: config.pollIntervalMs, signal: this.stopped.signal })
    this.loop = this.deliverDue()
  }

  get active(): boolean {
    return !this.stopped.signal.aborted
  }

  wake(): void {
    this.doorbell.ring()
  }

  stop(): Promise<void> {
    this.stopped.abort()
    return (this.stopping ??= this.loop)
  }

  private async deliverDue(): Promise<void> {
    const limit = this.config.batchSize ?? 20
    while (this.active) {
      let claimed: ClaimedDelivery[] = []
      try {
        if (this.deps.mayWork()) {
          claimed = await this.deps.store.claimDeliveries({
            instanceId: this.config.instanceId,
            limit,
            leaseMs: this.config.leaseMs,
          })
          if (claimed.length > 0) this.pace.found()
          await Promise.all(claimed.map((delivery) => this.deliver(delivery)))
        }
      } catch (error) {
        this.failures.log(this.deps.log, 'warn', 'webhook deliveries: a claim or a write failed', coerceError(error))
      }
      if (claimed.length < limit) await this.pace.next()
    }
  }

  private async deliver(delivery: ClaimedDelivery): Promise<void> {
    const settlement = await this.attempt(delivery)
    const written = await this.deps.store.settleDelivery({
      id: delivery.id,
      instanceId: this.config.instanceId,
      settlement,
    })
    if (!written) return
    if (settlement.kind === 'retry') this.pace.expectWorkAt(Date.now() + settlement.delayMs)
    if (settlement.kind === 'failed' && settlement.status === 410 && delivery.webhookId !== null) {
      await this.deps.store.disableWebhook({ id: delivery.webhookId, reason: 'the receiver answered 410 Gone' })
    }
    this.deps.log.info(
      { deliveryId: delivery.id, jobId: delivery.jobId, outcome: settlement.kind, status: settlement.status },
      'webhook delivery',
    )
    this.events.emit('delivery:settled', { delivery, settlement })
  }

  private async attempt(delivery: ClaimedDelivery): Promise<DeliverySettlement> {
    const secret = delivery.webhookId === null ? this.config.callbackSecret : delivery.secret
    if (secret === undefined || secret === null) {
      const error =
        delivery.webhookId === null
          ? 'WEBHOOK_SECRET is not set: callbacks cannot be signed'
          : 'the subscription was deleted or disabled'
      return { kind: 'failed', status: null, error, response: null }
    }
    const body = JSON.stringify(delivery.payload)
    const answer = await sendWebhook({
      url: delivery.url,
      body,
      // The id stays the same across retries: receivers de-duplicate by it.
      headers: signedHeaders({
        secret,
        messageId: `msg_${delivery.id}`,
        timestampSeconds: Math.floor(Date.now() / 1000),
        body,
      }),
      guard: this.config.guard,
      timeoutMs: WEBHOOK_TIMEOUT_MS,
      maxResponseBytes: MAX_RESPONSE_BYTES,
    })
    const { status, response } = answer
    if (status !== null && status >= 200 && status < 300) return { kind: 'delivered', status, response: response ?? '' }
    const error = answer.error ?? `the receiver answered ${status}`
    const delayMs =
      status === 410 || answer.refused ? undefined : retryDelayMs(delivery.attempts, this.config.retryScale)
    if (delayMs === undefined) return { kind: 'failed', status, error, response }
    return { kind: 'retry', status, error, response, delayMs }
  }
}
