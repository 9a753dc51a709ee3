/**
 * /v1/job-types: the job types this instance runs, so callers (the dashboard, `job-runner enqueue`)
 * can offer and check them instead of guessing: each type's name, the JSON Schema its payload must
 * satisfy, the schema of its result (when it declares one), the defaults an enqueue that leaves
 * them out gets, its concurrency and rate limits (when it has them), its checkpoint version and
 * schema (when it declares one), and its time slice (`maxSliceSeconds`) when its runs are sliced.
 * Scope `jobs:read`.
 */
import { Hono } from 'hono';
import { authenticate } from '../src/http/authenticate.js';
export function jobTypesRoutes({ registry, verifyToken }) {
    // The registry is fixed once the service starts: the answer is built once.
    const body = JSON.stringify({
        jobTypes: registry.names().map((name) => {
            const { payloadSchema, resultSchema, defaults, concurrency, rateLimit, checkpointVersion, checkpointSchema, maxSliceSeconds, } = registry.get(name);
            const { maxAttempts, maxInterruptions, timeoutSeconds, queue } = defaults;
            return {
                name,
                payloadSchema,
                ...(resultSchema ? { resultSchema } : {}),
                defaults: { maxAttempts, maxInterruptions, timeoutSeconds, queue },
                ...(concurrency ? { concurrency } : {}),
                ...(rateLimit ? { rateLimit } : {}),
                checkpointVersion: checkpointVersion ?? 1,
                ...(checkpointSchema ? { checkpointSchema } : {}),
                ...(maxSliceSeconds === undefined ? {} : { maxSliceSeconds }),
            };
        }),
    });
    const app = new Hono();
    const headers = { 'content-type': 'application/json' };
    app.get('/', authenticate(verifyToken, 'jobs:read'), () => new Response(body, { headers }));
    return app;
}
//# sourceMappingURL=jobTypes.js.map