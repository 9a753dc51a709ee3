/**
 * What every request leaves behind: an access-log line (method, route, path,
 * status, milliseconds, request id) and the HTTP metrics. Probes and scrapes log at debug so they
 * do not drown the requests that matter. The metrics label is the matched route pattern
 * (`/v1/jobs/:id`), never the raw path, so a scan of random URLs cannot create unbounded series.
 */
import type { Context } from 'hono';
import type { Logger } from 'pino';
import type { ServiceMetrics } from './metrics.js';
export interface RequestObserverOptions {
    log: Logger;
    metrics?: ServiceMetrics;
    /** Paths logged at debug instead of info. */
    quietPaths?: readonly string[];
}
/** The label for requests that matched no route (404s, 405s, or refused before routing). */
export declare const UNMATCHED_ROUTE = "unmatched";
/**
 * What a finished request leaves behind, given its status and duration (called by the app's request
 * frame, src/http/requestFrame.ts).
 */
export declare function requestObserver({ log, metrics, quietPaths, }: RequestObserverOptions): (c: Context, status: number, elapsedMs: number) => void;
/**
 * The pattern of the route that answered: the last matched route that is not an `app.use` middleware,
 * without its parameters' constraints (`/v1/jobs/:id{[0-9]+}` is `/v1/jobs/:id`).
 */
export declare function routePattern(c: Context): string;
