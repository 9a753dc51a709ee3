/**
 * A server span per HTTP request (`POST /v1/jobs`, named by the matched route, never the raw path),
 * child of the caller's W3C `traceparent` when it sends one. The span's context is kept on the
 * request (`c.get('spanContext')`): the enqueue routes store it with the job, so the job's first run
 * is a child of this request's span — or, with no SDK, of the caller's own span.
 */
import { context, ROOT_CONTEXT, SpanKind, SpanStatusCode, trace, type SpanContext } from '@opentelemetry/api'
import type { MiddlewareHandler } from 'hono'
import { routePattern } from './httpObserver.js'
import { tracer } from './tracing.js'
import { parseTraceparent } from './traceparent.js'

declare module 'hono' {
  interface ContextVariableMap {
    /** The request's server span context (the caller's, when no SDK records spans). */
    spanContext: SpanContext
  }
}

export const traceRequests = (): MiddlewareHandler =>
  async function traceRequests(c, next) {
    const remote = parseTraceparent(c.req.header('traceparent'))
    const parent = remote ? trace.setSpanContext(ROOT_CONTEXT, remote) : ROOT_CONTEXT
    const span = tracer().startSpan(
      c.req.method,
      {
        kind: SpanKind.SERVER,
        attributes: { 'http.request.method': c.req.method, 'url.path': c.req.path },
        root: remote === undefined,
      },
      parent,
    )
    c.set('spanContext', span.spanContext())
    let status = 500
    try {
      await context.with(trace.setSpan(parent, span), next)
      status = c.res.status
    } finally {
      const route = routePattern(c)
      span.updateName(`${c.req.method} ${route}`)
      span.setAttributes({ 'http.route': route, 'http.response.status_code': status })
      if (status >= 500) span.setStatus({ code: SpanStatusCode.ERROR })
      span.end()
    }
  }
