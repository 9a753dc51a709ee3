/**
 * Webhooks as the routes use them: an owner's subscriptions (at most `MAX_WEBHOOKS_PER_OWNER`, the
 * secret shown once, at creation) and a job's deliveries. Domain errors only; no HTTP here.
 */
import { answersInTime } from '../queue/jobService.js';
import { newWebhookSecret } from './signature.js';
import { webhookUrlProblem } from './webhookUrl.js';
export const MAX_WEBHOOKS_PER_OWNER = 100;
export class InvalidWebhookError extends Error {
    pointer;
    name = 'InvalidWebhookError';
    constructor(message, pointer) {
        super(message);
        this.pointer = pointer;
    }
}
export class WebhookService {
    store;
    policy;
    constructor(store, policy) {
        this.store = store;
        this.policy = policy;
    }
    async create(owner, request) {
        const problem = webhookUrlProblem(request.url, this.policy);
        if (problem)
            throw new InvalidWebhookError(`url ${problem}`, '/url');
        if ((await answersInTime(this.store.countWebhooks({ owner }))) >= MAX_WEBHOOKS_PER_OWNER) {
            throw new InvalidWebhookError(`an owner may hold at most ${MAX_WEBHOOKS_PER_OWNER} webhooks`, '');
        }
        const secret = newWebhookSecret();
        const row = await answersInTime(this.store.createWebhook({
            owner,
            url: request.url,
            events: request.events === undefined ? null : [...new Set(request.events)],
            type: request.type ?? null,
            queue: request.queue ?? null,
            secret,
        }));
        return { ...row, secret };
    }
    list(owner) {
        return answersInTime(this.store.listWebhooks({ owner, limit: MAX_WEBHOOKS_PER_OWNER }));
    }
    delete(scope) {
        return answersInTime(this.store.deleteWebhook(scope));
    }
    /** The deliveries of a job the caller may see (the route checks the job first). */
    deliveries(jobId) {
        return answersInTime(this.store.listDeliveries({ jobId }));
    }
}
//# sourceMappingURL=webhookService.js.map