import { type JWTPayload } from 'jose';
import type { TestService } from './service.js';
/** The API's view of a job, as far as the tests look at it. */
export interface ApiJob {
    id: string;
    type: string;
    queue: string;
    state: string;
    payload: unknown;
    cancelRequested: boolean;
    progress: {
        fraction: number;
        message?: string;
    } | null;
    result: unknown;
    [key: string]: unknown;
}
export interface Problem {
    type: string;
    title: string;
    status: number;
    detail?: string;
    requestId?: string;
    errors?: {
        pointer: string;
        message: string;
        index?: number;
    }[];
}
/** Asserts `response` is an RFC 9457 problem with `status` and returns its body. */
export declare function expectProblem(response: Response, status: number, type?: string): Promise<Problem>;
/** Asserts a JSON answer with `status` and returns its body. */
export declare function expectJson<T = ApiJob>(response: Response, status: number): Promise<T>;
type RequestOptions = Parameters<TestService['request']>[1];
/** POST /v1/jobs and expect 202. */
export declare function enqueue(service: TestService, body: Record<string, unknown>, init?: RequestOptions): Promise<ApiJob>;
/** Long-polls GET /v1/jobs/{id}?wait= until `done(job)`; never sleeps. */
export declare function pollUntil(service: TestService, id: string, done: (job: ApiJob) => boolean, { sub, deadlineMs }?: {
    sub?: string;
    deadlineMs?: number;
}): Promise<ApiJob>;
/** Signs an HS256 token with the test secret and any claims (`exp` etc. as given: nothing is added). */
export declare function signHs256(claims: JWTPayload, secret?: string | Uint8Array): Promise<string>;
/** Claims of a valid token for `sub` with every scope, valid for an hour. */
export declare function goodClaims(overrides?: JWTPayload): JWTPayload;
export {};
