/**
 * /v1/bulk-actions: cancel or retry many jobs at once. The POST stores the action and answers 202
 * at once (or, with `dryRun`, counts what it would act on); the work is done in batches by any
 * instance (src/bulk/), and `GET /v1/bulk-actions/{id}` shows its progress. Owner isolation by the
 * token's `sub` as on /v1/jobs: without `admin`, another owner's action is not found.
 */
import { Hono } from 'hono';
import { authenticate, ownerScope } from '../src/http/authenticate.js';
import { readJsonBody } from '../src/http/jsonBody.js';
import { HttpProblem } from '../src/http/problem.js';
import { publicBulkAction } from '../src/bulk/bulkAction.js';
import { InvalidBulkActionError, } from '../src/bulk/bulkActionService.js';
export function bulkActionsRoutes({ bulkActions, spec, verifyToken }) {
    const app = new Hono();
    const validate = spec.schema('BulkActionRequest');
    // Per route, not app.use('*'): a wrong method must answer 405, not ask for a token first.
    const write = authenticate(verifyToken, 'jobs:write');
    const read = authenticate(verifyToken, 'jobs:read');
    app.post('/', write, async (c) => {
        const request = await readJsonBody(c, validate);
        const principal = c.get('principal');
        const caller = { owner: principal.sub, allOwners: principal.scopes.has('admin') };
        try {
            if (request.dryRun === true)
                return c.json(await bulkActions.preview(caller, request), 200);
            const action = await bulkActions.create(caller, request);
            c.header('location', `/v1/bulk-actions/${action.id}`);
            return c.json(publicBulkAction(action), 202);
        }
        catch (error) {
            if (error instanceof InvalidBulkActionError) {
                throw new HttpProblem('invalid-request', error.message, {
                    errors: [{ pointer: error.pointer, message: error.message.slice(error.pointer.length + 1) }],
                });
            }
            throw error;
        }
    });
    app.get('/:id', read, async (c) => {
        const id = c.req.param('id');
        const action = await bulkActions.get({ ...ownerScope(c.get('principal')), id });
        if (!action)
            throw new HttpProblem('not-found', `no bulk action ${JSON.stringify(id.slice(0, 100))} for this caller`);
        return c.json(publicBulkAction(action));
    });
    return app;
}
//# sourceMappingURL=bulkActions.js.map