/** Honours a sane incoming `X-Request-Id` (or makes one), echoes it back, and puts it on the context. */
import { randomUUID } from 'node:crypto'
import type { MiddlewareHandler } from 'hono'

const ACCEPTABLE = /^[A-Za-z0-9._:-]{1,128}$/

export const requestId = (): MiddlewareHandler =>
  async function requestId(c, next) {
    const incoming = c.req.header('x-request-id')
    const id = incoming !== undefined && ACCEPTABLE.test(incoming) ? incoming : randomUUID()
    c.set('requestId', id)
    await next()
    c.res.headers.set('x-request-id', id)
  }
