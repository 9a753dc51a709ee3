/**
 * /v1/webhooks: an owner's completion-webhook subscriptions (create: the signing secret is in this
 * answer only; list; delete), and `GET /v1/jobs/{id}/deliveries`, what became of a job's webhooks.
 * Without `admin`, another owner's subscription or job does not exist (404).
 */
import { Hono } from 'hono';
import type { OpenApiSpec } from '../src/http/openapi.js';
import type { TokenVerifier } from '../src/auth/tokenVerifier.js';
import type { JobService } from '../src/queue/jobService.js';
import { type WebhookService } from '../src/webhooks/webhookService.js';
export interface WebhooksRoutesOptions {
    webhooks: WebhookService;
    jobs: Pick<JobService, 'get'>;
    spec: OpenApiSpec;
    verifyToken: TokenVerifier;
}
export declare function webhooksRoutes({ webhooks, jobs, spec, verifyToken }: WebhooksRoutesOptions): Hono;
