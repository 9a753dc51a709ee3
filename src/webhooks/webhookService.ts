/**
 * Webhooks as the routes use them: an owner's subscriptions (at most `MAX_WEBHOOKS_PER_OWNER`, the
 * secret shown once, at creation) and a job's deliveries. Domain errors only; no HTTP here.
 */
import { answersInTime } from '../queue/jobService.js'
import { newWebhookSecret } from './signature.js'
import { webhookUrlProblem } from './webhookUrl.js'
import type { DeliveryRow, WebhookRow, WebhookStore } from './webhookStore.js'

export const MAX_WEBHOOKS_PER_OWNER = 100

export interface WebhookRequest {
  url: string
  events?: string[]
  type?: string
  queue?: string
}

export class InvalidWebhookError extends Error {
  override name = 'InvalidWebhookError'
  constructor(
    message: string,
    readonly pointer: string,
  ) {
    super(message)
  }
}

export class WebhookService {
  constructor(
    private readonly store: WebhookStore,
    private readonly policy: { allowHttp: boolean },
  ) {}

  async create(owner: string, request: WebhookRequest): Promise<WebhookRow & { secret: string }> {
    const problem = webhookUrlProblem(request.url, this.policy)
    if (problem) throw new InvalidWebhookError(`url ${problem}`, '/url')
    const secret = newWebhookSecret()
    const row = await answersInTime(
      this.store.createWebhook({
        owner,
        url: request.url,
        events: request.events === undefined ? null : [...new Set(request.events)],
        type: request.type ?? null,
        queue: request.queue ?? null,
        secret,
        limit: MAX_WEBHOOKS_PER_OWNER,
      }),
    )
    if (row === null) {
      throw new InvalidWebhookError(
        `an owner may hold at most ${MAX_WEBHOOKS_PER_OWNER} webhooks (disabled ones included: delete those)`,
        '',
      )
    }
    return { ...row, secret }
  }

  /** A page of subscriptions by id: an owner's, or every owner's (`owner` undefined). */
  list(page: { owner: string | undefined; afterId?: string; limit: number }): Promise<WebhookRow[]> {
    return answersInTime(this.store.listWebhooks(page))
  }

  delete(scope: { id: string; owner: string | undefined }): Promise<boolean> {
    return answersInTime(this.store.deleteWebhook(scope))
  }

  /** The deliveries of a job the caller may see (the route checks the job first). */
  deliveries(jobId: string): Promise<DeliveryRow[]> {
    return answersInTime(this.store.listDeliveries({ jobId }))
  }
}
