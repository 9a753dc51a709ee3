import { coerceError } from '../log.js';
import { Doorbell } from '../support/doorbell.js';
import { IdlePoll } from '../support/idlePoll.js';
import { TypedEmitter } from '../runner/events.js';
import { sendWebhook } from './sendWebhook.js';
import { signedHeaders } from './signature.js';
export const RETRY_DELAYS_MS = [5_000, 300_000, 1_800_000, 7_200_000, 18_000_000, 36_000_000, 36_000_000];
export const MAX_ATTEMPTS = RETRY_DELAYS_MS.length + 1;
export const WEBHOOK_TIMEOUT_MS = 5000;
export const MAX_RESPONSE_BYTES = 1024;
export class WebhookWorker {
    config;
    deps;
    events = new TypedEmitter();
    run;
    constructor(config, deps) {
        this.config = config;
        this.deps = deps;
    }
    start() {
        if (this.run?.active)
            return;
        this.run = new DeliveryRun(this.config, this.deps, this.events);
    }
    stop() {
        return this.run?.stop() ?? Promise.resolve();
    }
    /** Looks for due deliveries now (an outcome was just written). */
    wake() {
        this.run?.wake();
    }
}
class DeliveryRun {
    config;
    deps;
    events;
    stopped = new AbortController();
    doorbell = new Doorbell();
    pace;
    loop;
    stopping;
    constructor(config, deps, events) {
        this.config = config;
        this.deps = deps;
        this.events = events;
        this.stopped.signal.addEventListener('abort', () => this.doorbell.ring(), { once: true });
        // Rung by every settled job of this instance; most write no delivery, so the looks are spaced.
        this.pace = new IdlePoll(this.doorbell, { pollIntervalMs: config.pollIntervalMs, signal: this.stopped.signal });
        this.loop = this.deliverDue();
    }
    get active() {
        return !this.stopped.signal.aborted;
    }
    wake() {
        this.doorbell.ring();
    }
    stop() {
        this.stopped.abort();
        return (this.stopping ??= this.loop);
    }
    async deliverDue() {
        const limit = this.config.batchSize ?? 20;
        while (this.active) {
            let claimed = [];
            try {
                if (this.deps.mayWork()) {
                    claimed = await this.deps.store.claimDeliveries({
                        instanceId: this.config.instanceId,
                        limit,
                        leaseMs: this.config.leaseMs,
                    });
                    if (claimed.length > 0)
                        this.pace.found();
                    await Promise.all(claimed.map((delivery) => this.deliver(delivery)));
                }
            }
            catch (error) {
                this.deps.log.warn({ err: coerceError(error) }, 'webhook deliveries: a claim or a write failed');
            }
            if (claimed.length < limit)
                await this.pace.next();
        }
    }
    async deliver(delivery) {
        const settlement = await this.attempt(delivery);
        const written = await this.deps.store.settleDelivery({
            id: delivery.id,
            instanceId: this.config.instanceId,
            settlement,
        });
        if (!written)
            return;
        if (settlement.kind === 'retry')
            this.pace.expectWorkAt(Date.now() + settlement.delayMs);
        if (settlement.kind === 'failed' && settlement.status === 410 && delivery.webhookId !== null) {
            await this.deps.store.disableWebhook({ id: delivery.webhookId, reason: 'the receiver answered 410 Gone' });
        }
        this.deps.log.info({ deliveryId: delivery.id, jobId: delivery.jobId, outcome: settlement.kind, status: settlement.status }, 'webhook delivery');
        this.events.emit('delivery:settled', { delivery, settlement });
    }
    async attempt(delivery) {
        const secret = delivery.webhookId === null ? this.config.callbackSecret : delivery.secret;
        if (secret === undefined || secret === null) {
            const error = delivery.webhookId === null
                ? 'WEBHOOK_SECRET is not set: callbacks cannot be signed'
                : 'the subscription was deleted or disabled';
            return { kind: 'failed', status: null, error, response: null };
        }
        const body = JSON.stringify(delivery.payload);
        const answer = await sendWebhook({
            url: delivery.url,
            body,
            // The id stays the same across retries: receivers de-duplicate by it.
            headers: signedHeaders({
                secret,
                messageId: `msg_${delivery.id}`,
                timestampSeconds: Math.floor(Date.now() / 1000),
                body,
            }),
            guard: this.config.guard,
            timeoutMs: WEBHOOK_TIMEOUT_MS,
            maxResponseBytes: MAX_RESPONSE_BYTES,
        });
        const { status, response } = answer;
        if (status !== null && status >= 200 && status < 300)
            return { kind: 'delivered', status, response: response ?? '' };
        const error = answer.error ?? `the receiver answered ${status}`;
        if (status === 410 || answer.refused || delivery.attempts >= MAX_ATTEMPTS) {
            return { kind: 'failed', status, error, response };
        }
        const delayMs = RETRY_DELAYS_MS[delivery.attempts - 1] * (this.config.retryScale ?? 1);
        return { kind: 'retry', status, error, response, delayMs };
    }
}
//# sourceMappingURL=webhookWorker.js.map