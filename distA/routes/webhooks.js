/**
 * /v1/webhooks: an owner's completion-webhook subscriptions (create: the signing secret is in this
 * answer only; list; delete), and `GET /v1/jobs/{id}/deliveries`, what became of a job's webhooks.
 * Without `admin`, another owner's subscription or job does not exist (404).
 */
import { Hono } from 'hono';
import { authenticate, ownerScope } from '../src/http/authenticate.js';
import { readJsonBody } from '../src/http/jsonBody.js';
import { HttpProblem } from '../src/http/problem.js';
import { InvalidWebhookError } from '../src/webhooks/webhookService.js';
export function webhooksRoutes({ webhooks, jobs, spec, verifyToken }) {
    const app = new Hono();
    const validate = spec.schema('WebhookRequest');
    const write = authenticate(verifyToken, 'jobs:write');
    const read = authenticate(verifyToken, 'jobs:read');
    app.post('/v1/webhooks', write, async (c) => {
        const request = await readJsonBody(c, validate);
        try {
            const created = await webhooks.create(c.get('principal').sub, request);
            c.header('location', `/v1/webhooks/${created.id}`);
            return c.json({ ...shown(created), secret: created.secret }, 201);
        }
        catch (error) {
            if (error instanceof InvalidWebhookError) {
                throw new HttpProblem('invalid-webhook', error.message, {
                    errors: [{ pointer: error.pointer, message: error.message }],
                });
            }
            throw error;
        }
    });
    app.get('/v1/webhooks', read, async (c) => {
        const list = await webhooks.list(ownerScope(c.get('principal')).owner);
        return c.json({ webhooks: list.map(shown) });
    });
    app.delete('/v1/webhooks/:id', write, async (c) => {
        const id = c.req.param('id');
        if (!(await webhooks.delete({ id, owner: ownerScope(c.get('principal')).owner }))) {
            throw new HttpProblem('not-found', `no webhook ${JSON.stringify(id.slice(0, 100))} for this caller`);
        }
        return c.body(null, 204);
    });
    app.get('/v1/jobs/:id{[0-9]+}/deliveries', read, async (c) => {
        const id = c.req.param('id');
        const job = await jobs.get({ ...ownerScope(c.get('principal')), id });
        if (!job)
            throw new HttpProblem('not-found', `no job ${JSON.stringify(id.slice(0, 100))} for this caller`);
        return c.json({ deliveries: await webhooks.deliveries(job.id) });
    });
    return app;
}
/** A subscription as the API shows it: never its secret, nor its owner. */
function shown({ owner: _owner, ...webhook }) {
    return webhook;
}
//# sourceMappingURL=webhooks.js.map