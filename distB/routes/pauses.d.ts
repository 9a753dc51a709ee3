/**
 * /v1/admin pauses: stop every instance from claiming a queue's or a job type's work, and let it go
 * again. `POST /queues/{queue}/pause` and `/job-types/{type}/pause` take `{ "mode": "finish" |
 * "checkpoint" }` (default `finish`): `finish` lets running jobs end, `checkpoint` stops them with
 * the token reason `paused` and puts them back with their checkpoint, attempt refunded. Enqueues go
 * on being accepted. Stored: a pause outlives restarts (src/queue/pauseService.ts).
 */
import { Hono } from 'hono';
import type { TokenVerifier } from '../src/auth/tokenVerifier.js';
import type { OpenApiSpec } from '../src/http/openapi.js';
import { type PauseService } from '../src/queue/pauseService.js';
export interface PausesRoutesOptions {
    pauses: PauseService;
    spec: OpenApiSpec;
    verifyToken: TokenVerifier;
}
export declare function pausesRoutes({ pauses, spec, verifyToken }: PausesRoutesOptions): Hono;
