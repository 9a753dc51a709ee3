/**
 * Every SQL statement of webhooks: an owner's subscriptions (create, list, delete, disable) and the
 * outbox of deliveries (the rows the job store's outcome statements insert: src/queue/outbox.ts),
 * claimed by any instance under a lease with `FOR UPDATE SKIP LOCKED`, as jobs are, and settled
 * with the lease fence, so an instance that lost a delivery's lease (SIGKILL, a pause past it)
 * cannot overwrite the instance that took it over.
 *
 *   pending ──claim (attempts + 1, leased)──▶ pending, leased ──2xx──▶ delivered
 *      ▲                                          │ ├──410 / out of attempts / refused──▶ failed
 *      └──────── other answer: next_attempt_at ◀──┘ └──lease expired (SIGKILL): claimable again
 */
import type { Sql } from 'postgres';
import type { Json } from '../queue/job.js';
export interface WebhookRow {
    id: string;
    owner: string;
    url: string;
    events: string[] | null;
    type: string | null;
    queue: string | null;
    disabledAt: string | null;
    disabledReason: string | null;
    createdAt: string;
}
export interface ClaimedDelivery {
    id: string;
    jobId: string;
    webhookId: string | null;
    url: string;
    event: string;
    payload: Json;
    attempts: number;
    /** The subscription's secret; null for a job's own callback (signed with WEBHOOK_SECRET). */
    secret: string | null;
}
export interface DeliveryRow {
    id: string;
    webhookId: string | null;
    url: string;
    event: string;
    state: 'pending' | 'delivered' | 'failed';
    attempts: number;
    nextAttemptAt: string | null;
    lastStatus: number | null;
    lastError: string | null;
    lastResponse: string | null;
    createdAt: string;
    deliveredAt: string | null;
}
export type DeliverySettlement = {
    kind: 'delivered';
    status: number;
    response: string;
} | {
    kind: 'retry';
    status: number | null;
    error: string;
    response: string | null;
    delayMs: number;
} | {
    kind: 'failed';
    status: number | null;
    error: string;
    response: string | null;
};
export declare class WebhookStore {
    private readonly sql;
    /** Every table is named in this schema (src/db/schemaIdentifier.ts). */
    private readonly schema;
    /** `schema`: the database's `schema` (`DATABASE_SCHEMA`). */
    constructor(sql: Sql, schema: string);
    createWebhook(webhook: {
        owner: string;
        url: string;
        events: readonly string[] | null;
        type: string | null;
        queue: string | null;
        secret: string;
    }): Promise<WebhookRow>;
    countWebhooks({ owner }: {
        owner: string;
    }): Promise<number>;
    /** An owner's subscriptions (every owner's for undefined), oldest first, at most `limit`. */
    listWebhooks({ owner, limit }: {
        owner: string | undefined;
        limit: number;
    }): Promise<WebhookRow[]>;
    deleteWebhook({ id, owner }: {
        id: string;
        owner: string | undefined;
    }): Promise<boolean>;
    /** The receiver said 410 Gone: no more deliveries to it. */
    disableWebhook({ id, reason }: {
        id: string;
        reason: string;
    }): Promise<void>;
    /**
     * Claims up to `limit` due deliveries (pending, their time come, not leased or their lease
     * expired) for `instanceId`, counting the attempt. A delivery whose subscription was deleted or
     * disabled meanwhile is failed instead of sent.
     */
    claimDeliveries({ instanceId, limit, leaseMs, }: {
        instanceId: string;
        limit: number;
        leaseMs: number;
    }): Promise<ClaimedDelivery[]>;
    /** Writes a delivery attempt's outcome, fenced by the lease; false when the lease was lost. */
    settleDelivery({ id, instanceId, settlement, }: {
        id: string;
        instanceId: string;
        settlement: DeliverySettlement;
    }): Promise<boolean>;
    /** A job's deliveries, oldest first (at most 100: a job has one per target). */
    listDeliveries({ jobId }: {
        jobId: string;
    }): Promise<DeliveryRow[]>;
    private webhookColumns;
}
