/**
 * /v1/jobs/{id}/checkpoint and /v1/jobs/{id}/checkpoints: a job's checkpoint as a resource (issue
 * 23). GET gives the checkpoint itself with a strong ETag; PUT replaces it only with `If-Match`
 * naming the tag it replaces (RFC 9110 §13.1.1: 412 when it changed, RFC 6585 §3: 428 without),
 * while the job's code is not running; the list gives its last checkpoints. Owner isolation as in
 * routes/jobs.ts: another owner's job is not found.
 */
import { Hono } from 'hono';
import type { OpenApiSpec } from '../src/http/openapi.js';
import type { TokenVerifier } from '../src/auth/tokenVerifier.js';
import { type CheckpointService } from '../src/queue/checkpointService.js';
export interface CheckpointsRoutesOptions {
    checkpoints: CheckpointService;
    spec: OpenApiSpec;
    verifyToken: TokenVerifier;
}
export declare function checkpointsRoutes({ checkpoints, spec, verifyToken }: CheckpointsRoutesOptions): Hono;
