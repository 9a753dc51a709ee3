/**
 * The one layer every request passes through before its route: its id (requestId.ts), its server
 * span (httpTracing.ts), its access log and metrics (httpObserver.ts), and `connection: close` on a
 * response finished after the shutdown began. Each Hono middleware is an async layer of its own (a
 * dispatch, a closure and promises per request); these four were a fifth of the server CPU of
 * `POST /v1/jobs` under load (bench/RESULTS.md, P3users), so they share one. The order of the four
 * middlewares they replace is kept: the id first, the log and metrics last.
 */
import type { MiddlewareHandler } from 'hono';
import type { Logger } from 'pino';
import type { ServiceMetrics } from '../observability/metrics.js';
export interface RequestFrameOptions {
    log: Logger;
    metrics?: ServiceMetrics;
    /** Whether the instance is shutting down: responses then close their connection. */
    isShuttingDown: () => boolean;
}
export declare const requestFrame: ({ log, metrics, isShuttingDown }: RequestFrameOptions) => MiddlewareHandler;
