/**
 * /v1/admin: what an orchestrator needs to drain an instance without a signal, watch it reach
 * `drained`, and resume it, and the queues across the cluster (src/observability/queueOverview.ts).
 * These routes keep answering during a drain (not during a shutdown).
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { Hono } from 'hono';
import { authenticate } from '../src/http/authenticate.js';
import { HttpProblem } from '../src/http/problem.js';
export function adminRoutes({ lifecycle, instance, verifyToken, queueOverview }) {
    const app = new Hono();
    const admin = authenticate(verifyToken, 'admin');
    app.post('/drain', admin, async (c) => {
        const waitSeconds = readWaitSeconds(c.req.query('wait'));
        // The drain goes on in the background; without `wait` the caller watches /v1/admin/status.
        const drained = lifecycle.drain('http drain');
        if (waitSeconds > 0 && lifecycle.state === 'draining') {
            // A preStop hook's one call: answered once drained, or at the deadline with what still runs.
            const deadline = new AbortController();
            await Promise.race([drained, sleep(waitSeconds * 1000, undefined, { signal: deadline.signal }).catch(() => { })]);
            deadline.abort();
        }
        const state = lifecycle.state === 'drained' ? 'drained' : 'draining';
        const runningJobIds = instance.runningJobIds();
        const body = { state, runningJobs: runningJobIds.length, runningJobIds, lastStop: lifecycle.lastStop ?? null };
        // 200: drained (the waiting caller's answer); 202: the drain is under way.
        return c.json(body, waitSeconds > 0 && state === 'drained' ? 200 : 202);
    });
    app.post('/resume', admin, async (c) => {
        await lifecycle.resume('http resume');
        return c.json({ state: 'running' });
    });
    app.get('/status', admin, (c) => {
        const runningJobIds = instance.runningJobIds();
        return c.json({
            state: lifecycle.state,
            runningJobs: runningJobIds.length,
            runningJobIds,
            instanceId: instance.instanceId,
            startedAt: lifecycle.startedAt.toISOString(),
            concurrency: instance.concurrency,
            queues: instance.queues,
            database: instance.database,
            lastStop: lifecycle.lastStop ?? null,
        });
    });
    app.get('/queues', admin, async (c) => c.json(await queueOverview()));
    return app;
}
/** `?wait=N`: seconds a drain may hold its answer, like a job's long-poll (at most 60). */
const MAX_DRAIN_WAIT_SECONDS = 60;
function readWaitSeconds(raw) {
    if (raw === undefined)
        return 0;
    const value = Number(raw);
    if (!/^[0-9]+$/.test(raw) || value > MAX_DRAIN_WAIT_SECONDS) {
        throw new HttpProblem('invalid-parameter', `wait must be an integer from 0 to ${MAX_DRAIN_WAIT_SECONDS}`);
    }
    return value;
}
//# sourceMappingURL=admin.js.map