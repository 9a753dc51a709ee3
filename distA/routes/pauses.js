/**
 * /v1/admin pauses: stop every instance from claiming a queue's or a job type's work, and let it go
 * again. `POST /queues/{queue}/pause` and `/job-types/{type}/pause` take `{ "mode": "finish" |
 * "checkpoint" }` (default `finish`): `finish` lets running jobs end, `checkpoint` stops them with
 * the token reason `paused` and puts them back with their checkpoint, attempt refunded. Enqueues go
 * on being accepted. Stored: a pause outlives restarts (src/queue/pauseService.ts).
 */
import { Hono } from 'hono';
import { authenticate } from '../src/http/authenticate.js';
import { readJsonBody } from '../src/http/jsonBody.js';
import { HttpProblem } from '../src/http/problem.js';
import { UnknownPauseTargetError } from '../src/queue/pauseService.js';
export function pausesRoutes({ pauses, spec, verifyToken }) {
    const app = new Hono();
    const admin = authenticate(verifyToken, 'admin');
    const validatePause = spec.schema('PauseRequest');
    const validName = {
        queue: spec.schema('QueueName'),
        type: spec.schema('JobType'),
    };
    /** The path's queue or type; a name no queue or type could have is as unknown as any other. */
    const target = (c, kind, param) => {
        const name = c.req.param(param) ?? '';
        if (!validName[kind](name))
            throw unknown(new UnknownPauseTargetError(kind, String(name).slice(0, 100)));
        return name;
    };
    const readMode = async (c) => {
        // An empty body is `finish`, the mode that disturbs nothing.
        if ((c.req.header('content-length') ?? '0') === '0' && !c.req.header('transfer-encoding'))
            return 'finish';
        const { mode } = await readJsonBody(c, validatePause);
        return mode ?? 'finish';
    };
    app.get('/pauses', admin, async (c) => c.json({ pauses: await pauses.list() }));
    for (const [segment, kind, param] of [
        ['queues', 'queue', 'queue'],
        ['job-types', 'type', 'type'],
    ]) {
        app.post(`/${segment}/:${param}/pause`, admin, async (c) => {
            const name = target(c, kind, param);
            const mode = await readMode(c);
            return c.json(await pauses.pause({ kind, name, mode }).catch(rethrow));
        });
        app.post(`/${segment}/:${param}/resume`, admin, async (c) => {
            const name = target(c, kind, param);
            return c.json(await pauses.resume({ kind, name }).catch(rethrow));
        });
    }
    return app;
}
function unknown(error) {
    return new HttpProblem('not-found', error.message);
}
function rethrow(error) {
    if (error instanceof UnknownPauseTargetError)
        throw unknown(error);
    throw error;
}
//# sourceMappingURL=pauses.js.map