import { Hono } from 'hono';
import type { OpenApiSpec } from '../src/http/openapi.js';
import type { TokenVerifier } from '../src/auth/tokenVerifier.js';
import { type Job, type OwnedJob } from '../src/queue/job.js';
import { type JobService } from '../src/queue/jobService.js';
export interface JobsRoutesOptions {
    jobs: JobService;
    spec: OpenApiSpec;
    verifyToken: TokenVerifier;
    /** Ends long-polls early when the service shuts down. */
    shutdownSignal: AbortSignal;
    /** `?wait` long-polls one owner may hold at once; more get 429 (default 50). */
    longPollsPerOwner?: number;
}
export declare function jobsRoutes({ jobs, spec, verifyToken, shutdownSignal, longPollsPerOwner, }: JobsRoutesOptions): Hono;
export declare function publicJob({ owner: _owner, ...job }: OwnedJob): Job;
