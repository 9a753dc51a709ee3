import type { DeliveryRow, WebhookRow, WebhookStore } from './webhookStore.js';
export declare const MAX_WEBHOOKS_PER_OWNER = 100;
export interface WebhookRequest {
    url: string;
    events?: string[];
    type?: string;
    queue?: string;
}
export declare class InvalidWebhookError extends Error {
    readonly pointer: string;
    name: string;
    constructor(message: string, pointer: string);
}
export declare class WebhookService {
    private readonly store;
    private readonly policy;
    constructor(store: WebhookStore, policy: {
        allowHttp: boolean;
    });
    create(owner: string, request: WebhookRequest): Promise<WebhookRow & {
        secret: string;
    }>;
    list(owner: string | undefined): Promise<WebhookRow[]>;
    delete(scope: {
        id: string;
        owner: string | undefined;
    }): Promise<boolean>;
    /** The deliveries of a job the caller may see (the route checks the job first). */
    deliveries(jobId: string): Promise<DeliveryRow[]>;
}
