/**
 * /v1/jobs/{id}/checkpoint and /v1/jobs/{id}/checkpoints: a job's checkpoint as a resource (issue
 * 23). GET gives the checkpoint itself with a strong ETag; PUT replaces it only with `If-Match`
 * naming the tag it replaces (RFC 9110 §13.1.1: 412 when it changed, RFC 6585 §3: 428 without),
 * while the job's code is not running; the list gives its last checkpoints. Owner isolation as in
 * routes/jobs.ts: another owner's job is not found.
 */
import { Hono } from 'hono';
import { authenticate, ownerScope } from '../src/http/authenticate.js';
import { readJsonBody } from '../src/http/jsonBody.js';
import { HttpProblem } from '../src/http/problem.js';
import { CHECKPOINT_EDITABLE_STATES } from '../src/queue/checkpointStore.js';
import { InvalidCheckpointError } from '../src/queue/checkpointService.js';
/** More tags than anyone holds is a malformed header, not a list to compare. */
const MAX_IF_MATCH_TAGS = 20;
export function checkpointsRoutes({ checkpoints, spec, verifyToken }) {
    const app = new Hono();
    const validateCheckpoint = spec.schema('Checkpoint');
    const write = authenticate(verifyToken, 'jobs:write');
    const read = authenticate(verifyToken, 'jobs:read');
    app.get('/:id{[0-9]+}/checkpoint', read, async (c) => {
        const id = c.req.param('id');
        const found = await checkpoints.get({ ...ownerScope(c.get('principal')), id });
        switch (found.kind) {
            case 'not-found':
                throw notFound(id);
            case 'no-checkpoint':
                throw new HttpProblem('not-found', `job ${id} (${found.state}) has no checkpoint`);
            case 'found':
                return new Response(JSON.stringify(found.checkpoint), {
                    headers: {
                        'content-type': 'application/json',
                        etag: found.etag,
                        'checkpoint-version': String(found.version),
                    },
                });
        }
    });
    app.put('/:id{[0-9]+}/checkpoint', write, async (c) => {
        const id = c.req.param('id');
        const ifMatch = readIfMatch(c.req.header('if-match'));
        const checkpoint = await readJsonBody(c, validateCheckpoint);
        let outcome;
        try {
            outcome = await checkpoints.replace({ ...ownerScope(c.get('principal')), id }, { checkpoint, ifMatch });
        }
        catch (error) {
            if (error instanceof InvalidCheckpointError) {
                throw new HttpProblem('invalid-checkpoint', error.message, { errors: error.problems });
            }
            throw error;
        }
        switch (outcome.kind) {
            case 'not-found':
                throw notFound(id);
            case 'wrong-state':
                throw new HttpProblem('checkpoint-not-editable', `job ${id} is ${outcome.state}; its checkpoint can be replaced only while it is ${CHECKPOINT_EDITABLE_STATES.join(', ')}`);
            case 'stale':
                throw new HttpProblem('precondition-failed', outcome.etag === null
                    ? `job ${id} has no checkpoint to replace; If-Match names none`
                    : `the checkpoint of job ${id} changed since it was read (now ${outcome.etag}); read it again`);
            case 'replaced':
                return new Response(JSON.stringify(checkpoint), {
                    headers: {
                        'content-type': 'application/json',
                        etag: outcome.etag,
                        'checkpoint-version': String(outcome.version),
                    },
                });
        }
    });
    app.get('/:id{[0-9]+}/checkpoints', read, async (c) => {
        const id = c.req.param('id');
        const entries = await checkpoints.history({ ...ownerScope(c.get('principal')), id });
        if (!entries)
            throw notFound(id);
        return c.json({ checkpoints: entries });
    });
    return app;
}
/**
 * `If-Match` (RFC 9110 §13.1.1): `*`, or a list of entity tags compared strongly, so a weak tag never
 * matches and is left out. Absent: 428, since a blind write could undo a change made meanwhile.
 */
function readIfMatch(header) {
    if (header === undefined || header.trim() === '') {
        throw new HttpProblem('precondition-required', 'send If-Match with the ETag of the checkpoint you replace (GET it first), or * for any');
    }
    if (header.trim() === '*')
        return '*';
    const tags = header.split(',').map((tag) => tag.trim());
    if (tags.length > MAX_IF_MATCH_TAGS || tags.some((tag) => !/^(W\/)?"[\x21\x23-\x7e]*"$/.test(tag))) {
        throw new HttpProblem('bad-request', `If-Match must be * or up to ${MAX_IF_MATCH_TAGS} entity tags ("…")`);
    }
    return tags.filter((tag) => !tag.startsWith('W/'));
}
function notFound(id) {
    return new HttpProblem('not-found', `no job ${JSON.stringify(id.slice(0, 100))} for this caller`);
}
//# sourceMappingURL=checkpoints.js.map