/**
 * A server span per HTTP request (`POST /v1/jobs`, named by the matched route, never the raw path),
 * child of the caller's W3C `traceparent` when it sends one. The span's context is kept on the
 * request (`c.get('spanContext')`): the enqueue routes store it with the job, so the job's first run
 * is a child of this request's span — or, with no SDK, of the caller's own span.
 */
import { type SpanContext } from '@opentelemetry/api';
import type { Context } from 'hono';
declare module 'hono' {
    interface ContextVariableMap {
        /** The request's server span context (the caller's, when no SDK records spans). */
        spanContext: SpanContext;
    }
}
/** A request's server span, as `startRequestSpan` started it. */
export interface RequestSpan {
    /** Runs the rest of the request in the span's context. */
    run<T>(next: () => Promise<T>): Promise<T>;
    /** Names the span by the route that answered, records the status, ends it. */
    end(c: Context, status: number): void;
}
/**
 * Starts the request's server span and puts its context on the request (called by the app's request
 * frame, src/http/requestFrame.ts). With no SDK registered and no caller trace the
 * span records nothing and its context is the invalid one: nothing is then made per request beyond
 * the no-op span (no context to enter, no route to name it by).
 */
export declare function startRequestSpan(c: Context): RequestSpan;
