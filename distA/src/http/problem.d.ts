/**
 * The one HTTP error type. Everything that goes wrong in a request ends as an `HttpProblem`, and the
 * app's `onError` renders it as `application/problem+json` (RFC 9457) with a stable `type` per kind.
 */
export declare const PROBLEM_KINDS: {
    readonly 'bad-request': {
        readonly status: 400;
        readonly title: "Bad request";
    };
    readonly 'invalid-json': {
        readonly status: 400;
        readonly title: "Malformed JSON";
    };
    readonly 'invalid-parameter': {
        readonly status: 400;
        readonly title: "Invalid parameter";
    };
    readonly unauthorized: {
        readonly status: 401;
        readonly title: "Unauthorized";
    };
    readonly 'invalid-token': {
        readonly status: 401;
        readonly title: "Invalid token";
    };
    readonly 'insufficient-scope': {
        readonly status: 403;
        readonly title: "Insufficient scope";
    };
    readonly 'not-found': {
        readonly status: 404;
        readonly title: "Not found";
    };
    readonly 'method-not-allowed': {
        readonly status: 405;
        readonly title: "Method not allowed";
    };
    readonly 'request-timeout': {
        readonly status: 408;
        readonly title: "Request timeout";
    };
    readonly 'job-finished': {
        readonly status: 409;
        readonly title: "Job already finished";
    };
    readonly 'job-not-retryable': {
        readonly status: 409;
        readonly title: "Only a failed or cancelled job can be retried";
    };
    readonly 'schedule-conflict': {
        readonly status: 409;
        readonly title: "Schedule id taken or declared in code";
    };
    readonly 'checkpoint-not-editable': {
        readonly status: 409;
        readonly title: "Checkpoint not editable in this state";
    };
    readonly 'precondition-failed': {
        readonly status: 412;
        readonly title: "Precondition failed";
    };
    readonly 'payload-too-large': {
        readonly status: 413;
        readonly title: "Payload too large";
    };
    readonly 'unsupported-media-type': {
        readonly status: 415;
        readonly title: "Unsupported media type";
    };
    readonly 'invalid-request': {
        readonly status: 422;
        readonly title: "Request does not match the schema";
    };
    readonly 'invalid-job': {
        readonly status: 422;
        readonly title: "Job refused";
    };
    readonly 'invalid-checkpoint': {
        readonly status: 422;
        readonly title: "Checkpoint refused";
    };
    readonly 'invalid-schedule': {
        readonly status: 422;
        readonly title: "Schedule refused";
    };
    readonly 'invalid-webhook': {
        readonly status: 422;
        readonly title: "Webhook refused";
    };
    readonly 'idempotency-conflict': {
        readonly status: 422;
        readonly title: "Idempotency-Key reused with another request";
    };
    readonly 'precondition-required': {
        readonly status: 428;
        readonly title: "Precondition required";
    };
    readonly 'too-many-requests': {
        readonly status: 429;
        readonly title: "Too many requests";
    };
    readonly 'header-fields-too-large': {
        readonly status: 431;
        readonly title: "Request header fields too large";
    };
    readonly internal: {
        readonly status: 500;
        readonly title: "Internal server error";
    };
    readonly unavailable: {
        readonly status: 503;
        readonly title: "Service unavailable";
    };
    readonly 'shutting-down': {
        readonly status: 503;
        readonly title: "Shutting down";
    };
    readonly draining: {
        readonly status: 503;
        readonly title: "Draining";
    };
    readonly 'database-unavailable': {
        readonly status: 503;
        readonly title: "Database unavailable";
    };
    readonly 'keys-unavailable': {
        readonly status: 503;
        readonly title: "Token keys unavailable";
    };
};
export type ProblemKind = keyof typeof PROBLEM_KINDS;
export declare const PROBLEM_TYPE_PREFIX = "urn:job-runner:problem:";
export interface ProblemExtras {
    errors?: readonly {
        pointer: string;
        message: string;
        index?: number;
    }[];
    headers?: Record<string, string>;
}
export declare class HttpProblem extends Error {
    readonly kind: ProblemKind;
    readonly detail?: string | undefined;
    readonly extras: ProblemExtras;
    name: string;
    readonly status: number;
    readonly title: string;
    constructor(kind: ProblemKind, detail?: string | undefined, extras?: ProblemExtras);
}
/** Renders a problem; `requestId` lets a caller quote the log line that explains a 500. */
export declare function problemResponse(problem: HttpProblem, { requestId, instance }?: {
    requestId?: string;
    instance?: string;
}): Response;
