import { matchedRoutes } from 'hono/route';
/** The label for requests that matched no route (404s, 405s, or refused before routing). */
export const UNMATCHED_ROUTE = 'unmatched';
/**
 * What a finished request leaves behind, given its status and duration (called by the app's request
 * frame, src/http/requestFrame.ts).
 */
export function requestObserver({ log, metrics, quietPaths = ['/livez', '/readyz', '/metrics'], }) {
    const quiet = new Set(quietPaths);
    return function observed(c, status, elapsedMs) {
        const route = routePattern(c);
        metrics?.observeRequest({ method: c.req.method, route, status, seconds: elapsedMs / 1000 });
        const level = quiet.has(c.req.path) ? 'debug' : 'info';
        // Built only when it is written: with access logs off (LOG_LEVEL=warn) a request pays nothing for them.
        if (log.isLevelEnabled(level)) {
            const line = {
                requestId: c.get('requestId'),
                method: c.req.method,
                route,
                path: c.req.path,
                status,
                ms: Math.round(elapsedMs * 10) / 10,
            };
            log[level](line, `${c.req.method} ${c.req.path} ${status} ${line.ms} ms`);
        }
    };
}
/**
 * The pattern of the route that answered: the last matched route that is not an `app.use` middleware,
 * without its parameters' constraints (`/v1/jobs/:id{[0-9]+}` is `/v1/jobs/:id`).
 */
export function routePattern(c) {
    const routes = matchedRoutes(c);
    for (let i = routes.length - 1; i >= 0; i--) {
        const route = routes[i];
        if (route.method !== 'ALL')
            return route.path.includes('{') ? route.path.replace(/\{[^}]*\}/g, '') : route.path;
    }
    return UNMATCHED_ROUTE;
}
//# sourceMappingURL=httpObserver.js.map