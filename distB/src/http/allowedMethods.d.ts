/**
 * The methods an app's routes accept at a path, for answering 405 with an `Allow` header. Asked only
 * when no route answered a request (from the app's not-found handler), so a request that is served
 * pays nothing for it: `hono/method-not-allowed` is a middleware, an awaited layer around every
 * request to find the few that miss.
 *
 * When several route patterns match a path, the most literal one wins, segment by segment from the
 * left: `/v1/jobs/batch` is the batch route's path, not a job id, though `/v1/jobs/:id` matches it too.
 */
import type { Hono } from 'hono';
export declare function allowedMethods(app: Hono): (path: string) => string[];
