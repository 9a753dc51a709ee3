import type { components } from './openapi.js';
import type { JobId, JobTypeName, PayloadOf, TypedJob } from './jobTypes.js';
import { type RetryOptions } from './retryingFetch.js';
export type Job = components['schemas']['Job'];
export type JobState = Job['state'];
export type Problem = components['schemas']['Problem'];
type EnqueueFields = Omit<components['schemas']['EnqueueRequest'], 'type' | 'payload'>;
export interface ClientOptions {
    /** The service's base URL, e.g. `https://jobs.internal` (or a router in front of several instances). */
    readonly url: string;
    /** A bearer token, or a function asked before each request (mint or rotate there; cache it yourself). */
    readonly token: string | (() => string | Promise<string>);
    readonly retry?: RetryOptions;
    /** Seconds each long poll of `wait` holds (default 30, at most 60). */
    readonly waitSeconds?: number;
    /**
     * How long `wait` keeps trying to reach an instance once none answers (default 120 s): a restart
     * or a deploy outlasts the retries of a single request, and a wait is for the job, not the request.
     */
    readonly reconnectSeconds?: number;
    /** For tests and instrumentation (default `globalThis.fetch`). */
    readonly fetch?: typeof fetch;
}
export interface EnqueueOptions extends EnqueueFields {
    /** Makes the enqueue safe to repeat: the same key and body answer the original job. Default: a random key per call, so the client's own retries never make a second job. */
    readonly idempotencyKey?: string;
    readonly signal?: AbortSignal;
}
export type BatchJob<T extends JobTypeName = JobTypeName> = EnqueueFields & {
    readonly type: T;
    readonly payload?: PayloadOf<T>;
    readonly idempotencyKey?: string;
};
export interface ListFilter {
    readonly state?: JobState;
    readonly type?: string;
    readonly queue?: string;
    /** Jobs a page asks for (the iterator goes on over every page). */
    readonly pageSize?: number;
    readonly signal?: AbortSignal;
}
/** An answer the service gave as problem+json (RFC 9457), or any other failure status. */
export declare class JobRunnerError extends Error {
    readonly status: number;
    readonly problem: Problem | undefined;
    name: string;
    constructor(status: number, problem: Problem | undefined);
}
/**
 * Job types flow through ids: the job `enqueue` answers has an id that remembers its type
 * (`JobId<T>`), and `get`, `wait` and `cancel` given that id answer the job typed for it (its
 * `result` as the type's `resultSchema` says, with `job-runner types`); given a plain string they
 * answer a union over the known types, or the type named: `get<'count'>(id)`.
 */
export interface JobRunnerClient {
    /** POST /v1/jobs: the job as stored (202, or 200 for a replayed idempotency key). */
    enqueue<T extends JobTypeName>(type: T, payload: PayloadOf<T>, options?: EnqueueOptions): Promise<TypedJob<T>>;
    /** POST /v1/jobs/batch: all or nothing. Jobs without an idempotency key get one, so a retry is safe. */
    enqueueBatch<T extends JobTypeName>(jobs: readonly BatchJob<T>[], options?: {
        signal?: AbortSignal;
    }): Promise<TypedJob<T>[]>;
    get<T extends JobTypeName = JobTypeName>(id: JobId<T> | string, options?: {
        signal?: AbortSignal;
    }): Promise<TypedJob<T>>;
    /**
     * Resolves with the job once it is succeeded, failed or cancelled, holding long polls
     * (`?wait`) meanwhile. An instance that shuts down mid-wait answers, then 503s or is gone: the
     * next poll goes to whichever instance answers. Rejects when `signal` aborts.
     */
    wait<T extends JobTypeName = JobTypeName>(id: JobId<T> | string, options?: {
        signal?: AbortSignal;
    }): Promise<TypedJob<T>>;
    /** POST /v1/jobs/{id}/cancel: the job (cancelled, or running with `cancelRequested`). */
    cancel<T extends JobTypeName = JobTypeName>(id: JobId<T> | string, options?: {
        signal?: AbortSignal;
    }): Promise<TypedJob<T>>;
    /** POST /v1/jobs/{id}/pause: the job (paused, or running with `pauseRequested`). */
    pause(id: string, options?: {
        signal?: AbortSignal;
    }): Promise<Job>;
    /** POST /v1/jobs/{id}/resume: the job (queued again, or running with its pause withdrawn). */
    resume(id: string, options?: {
        signal?: AbortSignal;
    }): Promise<Job>;
    /** Every job matching the filter, newest first, page after page. */
    list(filter?: ListFilter): AsyncIterable<Job>;
    /**
     * GET /v1/jobs/{id}/checkpoint: the job's checkpoint with its `etag`, to hand back to
     * `replaceCheckpoint`. Rejects with a 404 `JobRunnerError` when the job has none.
     */
    getCheckpoint(id: string, options?: {
        signal?: AbortSignal;
    }): Promise<StoredCheckpoint>;
    /**
     * PUT /v1/jobs/{id}/checkpoint: stores `checkpoint` if the job's checkpoint still has `etag` (412
     * otherwise: read it again) and the job is paused, queued, failed or cancelled (409 otherwise).
     * Retry a failed or cancelled job afterwards to resume it from there.
     */
    replaceCheckpoint(id: string, checkpoint: unknown, options: {
        etag: string;
        signal?: AbortSignal;
    }): Promise<StoredCheckpoint>;
}
/** A job's checkpoint as the service stores it. */
export interface StoredCheckpoint {
    readonly checkpoint: unknown;
    /** The strong entity tag: `If-Match` for a replace. */
    readonly etag: string;
    /** The version of its job type's checkpoint shape. */
    readonly version: number;
}
export declare function createClient(options: ClientOptions): JobRunnerClient;
export {};
