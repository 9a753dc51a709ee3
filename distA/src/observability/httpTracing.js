/**
 * A server span per HTTP request (`POST /v1/jobs`, named by the matched route, never the raw path),
 * child of the caller's W3C `traceparent` when it sends one. The span's context is kept on the
 * request (`c.get('spanContext')`): the enqueue routes store it with the job, so the job's first run
 * is a child of this request's span — or, with no SDK, of the caller's own span.
 */
import { context, ROOT_CONTEXT, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { routePattern } from './httpObserver.js';
import { tracer, untraced } from './tracing.js';
import { parseTraceparent } from './traceparent.js';
/**
 * Starts the request's server span and puts its context on the request (called by the app's request
 * frame, src/http/requestFrame.ts). With no SDK registered and no caller trace the
 * span records nothing and its context is the invalid one: nothing is then made per request beyond
 * the no-op span (no context to enter, no route to name it by).
 */
export function startRequestSpan(c) {
    const remote = parseTraceparent(c.req.header('traceparent'));
    const parent = remote ? trace.setSpanContext(ROOT_CONTEXT, remote) : ROOT_CONTEXT;
    const span = tracer().startSpan(c.req.method, {
        kind: SpanKind.SERVER,
        attributes: { 'http.request.method': c.req.method, 'url.path': c.req.path },
        root: remote === undefined,
    }, parent);
    c.set('spanContext', span.spanContext());
    if (untraced(span))
        return UNTRACED;
    return {
        run: (next) => context.with(trace.setSpan(parent, span), next),
        end(c, status) {
            const route = routePattern(c);
            span.updateName(`${c.req.method} ${route}`);
            span.setAttributes({ 'http.route': route, 'http.response.status_code': status });
            if (status >= 500)
                span.setStatus({ code: SpanStatusCode.ERROR });
            span.end();
        },
    };
}
/** The span of an untraced request: a no-op span in no context worth entering. */
const UNTRACED = { run: (next) => next(), end: () => { } };
//# sourceMappingURL=httpTracing.js.map