/**
 * Assembles the HTTP app: one request frame (ids, spans, access logs and metrics), the lifecycle gate,
 * body limits, the routes of routes/, a not-found handler that tells 404 from 405, and one error
 * handler that turns every failure into problem+json. Routes know the job service and the lifecycle,
 * never the database.
 */
import { Hono } from 'hono';
import './http/context.js';
import { adminRoutes } from '../routes/admin.js';
import { bulkActionsRoutes } from '../routes/bulkActions.js';
import { checkpointsRoutes } from '../routes/checkpoints.js';
import { pausesRoutes } from '../routes/pauses.js';
import { dashboardRoutes } from '../routes/dashboard.js';
import { docsRoutes } from '../routes/docs.js';
import { eventsRoutes } from '../routes/events.js';
import { healthRoutes } from '../routes/health.js';
import { jobsRoutes } from '../routes/jobs.js';
import { jobTypesRoutes } from '../routes/jobTypes.js';
import { metricsRoutes } from '../routes/metrics.js';
import { schedulesRoutes } from '../routes/schedules.js';
import { webhooksRoutes } from '../routes/webhooks.js';
import { allowedMethods } from './http/allowedMethods.js';
import { bodyLimit } from './http/bodyLimit.js';
import { HttpProblem, problemResponse } from './http/problem.js';
import { requestFrame } from './http/requestFrame.js';
import { coerceError } from './log.js';
/** Seconds a refused caller should wait: long enough for another instance to take over. */
const RETRY_AFTER_SECONDS = '5';
export function createApp(options) {
    const { lifecycle, log } = options;
    const app = new Hono();
    app.use('*', requestFrame({ log, metrics: options.metrics, isShuttingDown: () => lifecycle.isShuttingDown() }));
    // Not async: a layer that only checks need not add a promise of its own to every request.
    app.use('*', function lifecycleGate(c, next) {
        if (lifecycle.isShuttingDown() && c.req.path !== '/livez') {
            throw new HttpProblem('shutting-down', 'this instance is shutting down; retry on another one', {
                headers: { 'retry-after': RETRY_AFTER_SECONDS, connection: 'close' },
            });
        }
        if (!lifecycle.mayAccept() && isWorkPath(c.req.path)) {
            throw new HttpProblem('draining', `this instance is ${lifecycle.state} and takes no job requests`, {
                headers: { 'retry-after': RETRY_AFTER_SECONDS },
            });
        }
        return next();
    });
    app.use('/v1/*', bodyLimit({
        maxSize: options.maxBodyBytes,
        onError: () => {
            throw new HttpProblem('payload-too-large', `the body is over ${options.maxBodyBytes} bytes`);
        },
    }));
    app.route('/', healthRoutes({ lifecycle, pingDatabase: options.pingDatabase }));
    app.route('/', docsRoutes({ spec: options.spec }));
    app.route('/v1/jobs', jobsRoutes({
        jobs: options.jobs,
        spec: options.spec,
        verifyToken: options.verifyToken,
        shutdownSignal: lifecycle.shutdownSignal,
        ...(options.longPollsPerOwner === undefined ? {} : { longPollsPerOwner: options.longPollsPerOwner }),
    }));
    app.route('/v1/jobs', checkpointsRoutes({ checkpoints: options.jobs.checkpoints, spec: options.spec, verifyToken: options.verifyToken }));
    if (options.eventHub) {
        app.route('/', eventsRoutes({
            jobs: options.jobs,
            hub: options.eventHub,
            spec: options.spec,
            verifyToken: options.verifyToken,
            streamsPerOwner: options.eventStreamsPerOwner ?? 20,
            ...(options.eventHeartbeatMs === undefined ? {} : { heartbeatMs: options.eventHeartbeatMs }),
        }));
    }
    if (options.webhooks) {
        app.route('/', webhooksRoutes({
            webhooks: options.webhooks,
            jobs: options.jobs,
            spec: options.spec,
            verifyToken: options.verifyToken,
        }));
    }
    app.route('/v1/bulk-actions', bulkActionsRoutes({ bulkActions: options.bulkActions, spec: options.spec, verifyToken: options.verifyToken }));
    app.route('/v1/schedules', schedulesRoutes({ schedules: options.schedules, spec: options.spec, verifyToken: options.verifyToken }));
    app.route('/v1/job-types', jobTypesRoutes({ registry: options.registry, verifyToken: options.verifyToken }));
    const { instance, verifyToken, queueOverview } = options;
    app.route('/v1/admin', adminRoutes({ lifecycle, instance, verifyToken, queueOverview }));
    app.route('/v1/admin', pausesRoutes({ pauses: options.pauses, spec: options.spec, verifyToken }));
    app.route('/', metricsRoutes({ metrics: options.metrics, verifyToken: options.verifyToken }));
    app.route('/', dashboardRoutes());
    const methodsAt = allowedMethods(app);
    app.notFound((c) => {
        const methods = methodsAt(c.req.path);
        const problem = methods.length > 0 && !methods.includes(c.req.method)
            ? new HttpProblem('method-not-allowed', `${c.req.method} is not allowed here; use ${methods.join(', ')}`, {
                headers: { allow: methods.join(', ') },
            })
            : new HttpProblem('not-found', `no route ${c.req.method} ${c.req.path}`);
        return problemResponse(problem, { requestId: c.get('requestId') });
    });
    app.onError((thrown, c) => {
        const requestId = c.get('requestId');
        if (thrown instanceof HttpProblem)
            return problemResponse(thrown, { requestId });
        if (isDatabaseUnavailable(thrown)) {
            log.warn({ requestId, err: coerceError(thrown) }, 'database unavailable during a request');
            return problemResponse(new HttpProblem('database-unavailable', 'the database is unreachable; retry shortly', {
                headers: { 'retry-after': RETRY_AFTER_SECONDS },
            }), { requestId });
        }
        // Anything else is our bug: the details go to the log, the caller gets the request id.
        log.error({ requestId, err: coerceError(thrown), method: c.req.method, path: c.req.path }, 'unexpected error in a request');
        return problemResponse(new HttpProblem('internal', 'an unexpected error occurred; quote the requestId when reporting it'), { requestId });
    });
    return app;
}
/** The routes a drained instance refuses: jobs and their events, the bulk actions on them, and schedules, like the work itself. */
function isWorkPath(path) {
    return ['/v1/jobs', '/v1/events', '/v1/bulk-actions', '/v1/schedules'].some((root) => path === root || path.startsWith(`${root}/`));
}
/** Connection-level failures (postgres.js codes, socket errors, PostgreSQL class 08 and 57P0x). */
const UNAVAILABLE_CODES = new Set([
    'ECONNREFUSED',
    'ECONNRESET',
    'EPIPE',
    'ETIMEDOUT',
    'ENOTFOUND',
    'EHOSTUNREACH',
    'CONNECTION_CLOSED',
    'CONNECTION_ENDED',
    'CONNECTION_DESTROYED',
    'CONNECT_TIMEOUT',
    'STORE_TIMEOUT',
    '57P01',
    '57P02',
    '57P03',
    '08000',
    '08001',
    '08003',
    '08004',
    '08006',
]);
export function isDatabaseUnavailable(error) {
    const code = error?.code;
    return typeof code === 'string' && UNAVAILABLE_CODES.has(code);
}
//# sourceMappingURL=app.js.map