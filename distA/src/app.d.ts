/**
 * Assembles the HTTP app: one request frame (ids, spans, access logs and metrics), the lifecycle gate,
 * body limits, the routes of routes/, a not-found handler that tells 404 from 405, and one error
 * handler that turns every failure into problem+json. Routes know the job service and the lifecycle,
 * never the database.
 */
import { Hono } from 'hono';
import type { Logger } from 'pino';
import './http/context.js';
import { type InstanceInfo } from '../routes/admin.js';
import type { WebhookService } from './webhooks/webhookService.js';
import type { TokenVerifier } from './auth/tokenVerifier.js';
import type { JobEventHub } from './events/jobEventHub.js';
import type { OpenApiSpec } from './http/openapi.js';
import type { Lifecycle } from './lifecycle.js';
import type { ServiceMetrics } from './observability/metrics.js';
import type { QueueOverview } from './observability/queueOverview.js';
import type { JobService } from './queue/jobService.js';
import type { PauseService } from './queue/pauseService.js';
import type { BulkActionService } from './bulk/bulkActionService.js';
import type { ScheduleService } from './schedules/scheduleService.js';
import type { JobRegistry } from '../jobs/registry.js';
export interface AppOptions {
    jobs: JobService;
    bulkActions: BulkActionService;
    schedules: ScheduleService;
    /** The job types this instance runs (GET /v1/job-types). */
    registry: Pick<JobRegistry, 'names' | 'get'>;
    lifecycle: Lifecycle;
    instance: InstanceInfo;
    verifyToken: TokenVerifier;
    spec: OpenApiSpec;
    log: Logger;
    maxBodyBytes: number;
    /** `?wait` long-polls one owner may hold at once (LONG_POLLS_PER_OWNER). */
    longPollsPerOwner?: number;
    pingDatabase: () => Promise<void>;
    metrics: ServiceMetrics;
    /** Feeds the event streams (src/events/); without it the event routes are not served. */
    eventHub?: JobEventHub;
    /** Completion webhooks (src/webhooks/); without it the webhook routes are not served. */
    webhooks?: WebhookService;
    /** Event streams one owner may hold at once (EVENT_STREAMS_PER_OWNER). */
    eventStreamsPerOwner?: number;
    /** Between two comment lines of an event stream (default 15 s: src/events/sseStream.ts). */
    eventHeartbeatMs?: number;
    queueOverview: () => Promise<QueueOverview>;
    /** Cluster-wide pauses of queues and job types (/v1/admin/queues/{queue}/pause, …). */
    pauses: PauseService;
}
export declare function createApp(options: AppOptions): Hono;
export declare function isDatabaseUnavailable(error: unknown): boolean;
