/**
 * /v1/job-types: the job types this instance runs, so callers (the dashboard, `job-runner enqueue`)
 * can offer and check them instead of guessing: each type's name, the JSON Schema its payload must
 * satisfy, the schema of its result (when it declares one), the defaults an enqueue that leaves
 * them out gets, its concurrency and rate limits (when it has them), its checkpoint version and
 * schema (when it declares one), and its time slice (`maxSliceSeconds`) when its runs are sliced.
 * Scope `jobs:read`.
 */
import { Hono } from 'hono';
import type { JobRegistry } from '../jobs/registry.js';
import type { TokenVerifier } from '../src/auth/tokenVerifier.js';
export interface JobTypesRoutesOptions {
    registry: Pick<JobRegistry, 'names' | 'get'>;
    verifyToken: TokenVerifier;
}
export declare function jobTypesRoutes({ registry, verifyToken }: JobTypesRoutesOptions): Hono;
