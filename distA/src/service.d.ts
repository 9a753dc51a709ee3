import type { Hono } from 'hono';
import type { Logger } from 'pino';
import { type JobRegistry } from '../jobs/registry.js';
import { BulkActionWorker } from './bulk/bulkActionWorker.js';
import { JobEventHub } from './events/jobEventHub.js';
import { type Config } from './config.js';
import type { Database } from './db/database.js';
import { Lifecycle } from './lifecycle.js';
import { ServiceMetrics } from './observability/metrics.js';
import { JobService } from './queue/jobService.js';
import { JobStore } from './queue/store.js';
import { Runner } from './runner/runner.js';
import { Scheduler } from './schedules/scheduler.js';
import { ScheduleService } from './schedules/scheduleService.js';
import { WebhookWorker } from './webhooks/webhookWorker.js';
export interface ServiceOptions {
    config: Config;
    log: Logger;
    /** Called when a shutdown completes; `main` exits the process here. */
    exit?: (code: number) => void;
    /** Overrides the jobs/ folder (tests add their own job files). */
    registry?: JobRegistry;
    /**
     * Aborts start-up (SIGINT/SIGTERM before the service exists): `startService` then rejects with
     * `StartAbortedError` at once and closes what it opened. Once the runner starts it is not read:
     * a signal from then on belongs to the graceful shutdown.
     */
    signal?: AbortSignal;
}
export interface Service {
    /** Where this machine reaches the server: the bound address, or loopback when bound to every interface. */
    readonly url: string;
    /** The address the server is bound to (`HOST`). */
    readonly host: string;
    readonly port: number;
    readonly db: Database;
    readonly store: JobStore;
    readonly jobs: JobService;
    readonly runner: Runner;
    readonly schedules: ScheduleService;
    /** Fires due schedules; started and stopped with the runner. */
    readonly scheduler: Scheduler;
    /** Works bulk actions beside the runner (started and stopped with it). */
    readonly bulkWorker: BulkActionWorker;
    /** Delivers completion webhooks beside the runner (started and stopped with it). */
    readonly webhookWorker: WebhookWorker;
    readonly lifecycle: Lifecycle;
    readonly metrics: ServiceMetrics;
    /** Feeds this instance's event streams. */
    readonly eventHub: JobEventHub;
    /** Set when a development secret was generated or reused: a ready-to-use admin token. */
    readonly devToken: string | undefined;
    /** The Hono app (tests enumerate its routes against openapi.yaml). */
    readonly app: Hono;
}
export declare function startService({ config, log, exit, registry, signal }: ServiceOptions): Promise<Service>;
