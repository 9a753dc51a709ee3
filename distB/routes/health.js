/**
 * /livez answers while the process lives (even during a shutdown); /readyz only while this instance
 * takes work and its database answers, so a load balancer stops sending it requests in time.
 */
import { Hono } from 'hono';
import { HttpProblem } from '../src/http/problem.js';
const PING_TIMEOUT_MS = 2000;
export function healthRoutes({ lifecycle, pingDatabase }) {
    const app = new Hono();
    app.get('/livez', (c) => c.json({ status: 'ok' }));
    app.get('/readyz', async (c) => {
        if (!lifecycle.mayAccept()) {
            throw new HttpProblem('draining', `this instance is ${lifecycle.state}`, { headers: { 'retry-after': '5' } });
        }
        try {
            await Promise.race([
                pingDatabase(),
                new Promise((_, reject) => setTimeout(() => reject(new Error('timeout')), PING_TIMEOUT_MS).unref()),
            ]);
        }
        catch {
            throw new HttpProblem('database-unavailable', 'the database does not answer', { headers: { 'retry-after': '5' } });
        }
        return c.json({ status: 'ok', state: lifecycle.state });
    });
    return app;
}
//# sourceMappingURL=health.js.map