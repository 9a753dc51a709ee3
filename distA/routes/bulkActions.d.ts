/**
 * /v1/bulk-actions: cancel or retry many jobs at once. The POST stores the action and answers 202
 * at once (or, with `dryRun`, counts what it would act on); the work is done in batches by any
 * instance (src/bulk/), and `GET /v1/bulk-actions/{id}` shows its progress. Owner isolation by the
 * token's `sub` as on /v1/jobs: without `admin`, another owner's action is not found.
 */
import { Hono } from 'hono';
import type { OpenApiSpec } from '../src/http/openapi.js';
import type { TokenVerifier } from '../src/auth/tokenVerifier.js';
import { type BulkActionService } from '../src/bulk/bulkActionService.js';
export interface BulkActionsRoutesOptions {
    bulkActions: BulkActionService;
    spec: OpenApiSpec;
    verifyToken: TokenVerifier;
}
export declare function bulkActionsRoutes({ bulkActions, spec, verifyToken }: BulkActionsRoutesOptions): Hono;
