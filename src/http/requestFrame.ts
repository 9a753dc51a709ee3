/**
 * The one layer every request passes through before its route: its id (requestId.ts), its server
 * span (httpTracing.ts), its access log and metrics (httpObserver.ts), and `connection: close` on a
 * response finished after the shutdown began. Each Hono middleware is an async layer of its own (a
 * dispatch, a closure and promises per request); these four were a fifth of the server CPU of
 * `POST /v1/jobs` under load (bench/RESULTS.md, P3users), so they share one. The order of the four
 * middlewares they replace is kept: the id first, the log and metrics last.
 */
import type { MiddlewareHandler } from 'hono'
import type { Logger } from 'pino'
import { requestObserver } from '../observability/httpObserver.js'
import { startRequestSpan } from '../observability/httpTracing.js'
import type { ServiceMetrics } from '../observability/metrics.js'
import { assignRequestId, setPendingRequestId } from './requestId.js'

export interface RequestFrameOptions {
  log: Logger
  metrics?: ServiceMetrics
  /** Whether the instance is shutting down: responses then close their connection. */
  isShuttingDown: () => boolean
}

export const requestFrame = ({ log, metrics, isShuttingDown }: RequestFrameOptions): MiddlewareHandler => {
  const observed = requestObserver({ log, ...(metrics === undefined ? {} : { metrics }) })
  return async function requestFrame(c, next) {
    const pendingId = assignRequestId(c)
    const started = performance.now()
    const span = startRequestSpan(c)
    // Hono turns a thrown error into a response inside next(); whatever escapes it is a 500.
    let status = 500
    try {
      await span.run(next)
      status = c.res.status
      // So that keep-alive callers reconnect to another instance (the gate refuses new work: src/app.ts).
      if (isShuttingDown() && c.req.path !== '/livez') c.res.headers.set('connection', 'close')
    } finally {
      span.end(c, status)
      observed(c, status, performance.now() - started)
    }
    if (pendingId !== undefined) setPendingRequestId(c, pendingId)
  }
}
