/**
 * /v1/webhooks: an owner's completion-webhook subscriptions (create: the signing secret is in this
 * answer only; list; delete), and `GET /v1/jobs/{id}/deliveries`, what became of a job's webhooks.
 * Without `admin`, another owner's subscription or job does not exist (404).
 */
import { Hono } from 'hono'
import { authenticate, ownerScope } from '../src/http/authenticate.js'
import { decodeCursor, encodeCursor } from '../src/http/cursor.js'
import { readInteger } from '../src/http/queryInteger.js'
import { readJsonBody } from '../src/http/jsonBody.js'
import type { OpenApiSpec } from '../src/http/openapi.js'
import { HttpProblem } from '../src/http/problem.js'
import type { TokenVerifier } from '../src/auth/tokenVerifier.js'
import type { JobService } from '../src/queue/jobService.js'
import {
  InvalidWebhookError,
  MAX_WEBHOOKS_PER_OWNER,
  type WebhookRequest,
  type WebhookService,
} from '../src/webhooks/webhookService.js'
import type { WebhookRow } from '../src/webhooks/webhookStore.js'

export interface WebhooksRoutesOptions {
  webhooks: WebhookService
  jobs: Pick<JobService, 'get'>
  spec: OpenApiSpec
  verifyToken: TokenVerifier
}

export function webhooksRoutes({ webhooks, jobs, spec, verifyToken }: WebhooksRoutesOptions): Hono {
  const app = new Hono()
  const validate = spec.schema('WebhookRequest')
  const write = authenticate(verifyToken, 'jobs:write')
  const read = authenticate(verifyToken, 'jobs:read')

  app.post('/v1/webhooks', write, async (c) => {
    const request = await readJsonBody<WebhookRequest>(c, validate)
    try {
      const created = await webhooks.create(c.get('principal').sub, request)
      c.header('location', `/v1/webhooks/${created.id}`)
      return c.json({ ...shown(created), secret: created.secret }, 201)
    } catch (error) {
      if (error instanceof InvalidWebhookError) {
        throw new HttpProblem('invalid-webhook', error.message, {
          errors: [{ pointer: error.pointer, message: error.message }],
        })
      }
      throw error
    }
  })

  app.get('/v1/webhooks', read, async (c) => {
    const limit = readInteger(c.req.query('limit'), 'limit', { min: 1, max: MAX_LIMIT }) ?? MAX_LIMIT
    const cursor = c.req.query('cursor')
    const afterId = cursor === undefined ? undefined : decodeCursor(cursor, 'after', WEBHOOK_ID)
    const page = await webhooks.list({
      ...ownerScope(c.get('principal')),
      ...(afterId === undefined ? {} : { afterId }),
      limit: limit + 1,
    })
    const listed = page.slice(0, limit)
    return c.json({
      webhooks: listed.map(shown),
      nextCursor: page.length > limit ? encodeCursor('after', listed.at(-1)!.id) : null,
    })
  })

  app.delete('/v1/webhooks/:id', write, async (c) => {
    const id = c.req.param('id')
    if (!(await webhooks.delete({ id, owner: ownerScope(c.get('principal')).owner }))) {
      throw new HttpProblem('not-found', `no webhook ${JSON.stringify(id.slice(0, 100))} for this caller`)
    }
    return c.body(null, 204)
  })

  app.get('/v1/jobs/:id{[0-9]+}/deliveries', read, async (c) => {
    const id = c.req.param('id')
    const job = await jobs.get({ ...ownerScope(c.get('principal')), id })
    if (!job) throw new HttpProblem('not-found', `no job ${JSON.stringify(id.slice(0, 100))} for this caller`)
    return c.json({ deliveries: await webhooks.deliveries(job.id) })
  })

  return app
}

/** A page's most, and its default: an owner's subscriptions fit on one page. */
const MAX_LIMIT = MAX_WEBHOOKS_PER_OWNER
/** A subscription's id, as the list's cursor holds it. */
const WEBHOOK_ID = /^[1-9][0-9]{0,17}$/

/** A subscription as the API shows it: never its secret, nor its owner. */
function shown({ owner: _owner, ...webhook }: WebhookRow): Omit<WebhookRow, 'owner'> {
  return webhook
}
