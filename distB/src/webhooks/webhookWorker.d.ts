/**
 * Delivers the webhook outbox: started and stopped beside the runner (src/instanceWork.ts), on every
 * instance. A run claims due deliveries (leased, the attempt counted: src/webhooks/webhookStore.ts),
 * signs and sends each (src/webhooks/signature.ts, src/webhooks/sendWebhook.ts) and settles it:
 *
 *   2xx ──▶ delivered          410 ──▶ failed (a subscription is disabled)
 *   refused address, no secret, last attempt ──▶ failed
 *   anything else ──▶ retried after the next delay of RETRY_DELAYS_MS (Standard Webhooks' schedule:
 *                     5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h: eight attempts over 27.6 hours)
 *
 * A run that stops (a drain, a SIGTERM) claims nothing more and lets the sends under way finish
 * (each is bounded by its 5 s timeout); one killed mid-send leaves leased rows that any instance
 * claims again once the lease expires (at least once: the receiver de-duplicates by `webhook-id`).
 * Single-use runs, as the bulk action worker's: each start builds a new one.
 */
import type { Logger } from 'pino';
import { TypedEmitter } from '../runner/events.js';
import type { AddressGuard } from './addressGuard.js';
import type { ClaimedDelivery, DeliverySettlement, WebhookStore } from './webhookStore.js';
export declare const RETRY_DELAYS_MS: number[];
export declare const MAX_ATTEMPTS: number;
export declare const WEBHOOK_TIMEOUT_MS = 5000;
export declare const MAX_RESPONSE_BYTES = 1024;
export interface WebhookWorkerConfig {
    instanceId: string;
    leaseMs: number;
    pollIntervalMs: number;
    /** WEBHOOK_SECRET: signs jobs' own callbacks. */
    callbackSecret: string | undefined;
    guard: AddressGuard;
    /** Multiplies the retry schedule (WEBHOOK_RETRY_SCALE; 1 in production, small in tests). */
    retryScale?: number;
    batchSize?: number;
}
export interface WebhookWorkerEvents {
    'delivery:settled': {
        delivery: ClaimedDelivery;
        settlement: DeliverySettlement;
    };
}
export interface WebhookWorkerDependencies {
    store: WebhookStore;
    log: Logger;
    mayWork: () => boolean;
}
export declare class WebhookWorker {
    private readonly config;
    private readonly deps;
    readonly events: TypedEmitter<WebhookWorkerEvents>;
    private run;
    constructor(config: WebhookWorkerConfig, deps: WebhookWorkerDependencies);
    start(): void;
    stop(): Promise<void>;
    /** Looks for due deliveries now (an outcome was just written). */
    wake(): void;
}
