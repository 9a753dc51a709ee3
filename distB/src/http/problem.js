/**
 * The one HTTP error type. Everything that goes wrong in a request ends as an `HttpProblem`, and the
 * app's `onError` renders it as `application/problem+json` (RFC 9457) with a stable `type` per kind.
 */
export const PROBLEM_KINDS = {
    'bad-request': { status: 400, title: 'Bad request' },
    'invalid-json': { status: 400, title: 'Malformed JSON' },
    'invalid-parameter': { status: 400, title: 'Invalid parameter' },
    unauthorized: { status: 401, title: 'Unauthorized' },
    'invalid-token': { status: 401, title: 'Invalid token' },
    'insufficient-scope': { status: 403, title: 'Insufficient scope' },
    'not-found': { status: 404, title: 'Not found' },
    'method-not-allowed': { status: 405, title: 'Method not allowed' },
    'request-timeout': { status: 408, title: 'Request timeout' },
    'job-finished': { status: 409, title: 'Job already finished' },
    'job-not-retryable': { status: 409, title: 'Only a failed or cancelled job can be retried' },
    'schedule-conflict': { status: 409, title: 'Schedule id taken or declared in code' },
    'checkpoint-not-editable': { status: 409, title: 'Checkpoint not editable in this state' },
    'precondition-failed': { status: 412, title: 'Precondition failed' },
    'payload-too-large': { status: 413, title: 'Payload too large' },
    'unsupported-media-type': { status: 415, title: 'Unsupported media type' },
    'invalid-request': { status: 422, title: 'Request does not match the schema' },
    'invalid-job': { status: 422, title: 'Job refused' },
    'invalid-checkpoint': { status: 422, title: 'Checkpoint refused' },
    'invalid-schedule': { status: 422, title: 'Schedule refused' },
    'invalid-webhook': { status: 422, title: 'Webhook refused' },
    'idempotency-conflict': { status: 422, title: 'Idempotency-Key reused with another request' },
    'precondition-required': { status: 428, title: 'Precondition required' },
    'too-many-requests': { status: 429, title: 'Too many requests' },
    'header-fields-too-large': { status: 431, title: 'Request header fields too large' },
    internal: { status: 500, title: 'Internal server error' },
    unavailable: { status: 503, title: 'Service unavailable' },
    'shutting-down': { status: 503, title: 'Shutting down' },
    draining: { status: 503, title: 'Draining' },
    'database-unavailable': { status: 503, title: 'Database unavailable' },
    'keys-unavailable': { status: 503, title: 'Token keys unavailable' },
};
export const PROBLEM_TYPE_PREFIX = 'urn:job-runner:problem:';
export class HttpProblem extends Error {
    kind;
    detail;
    extras;
    name = 'HttpProblem';
    status;
    title;
    constructor(kind, detail, extras = {}) {
        const { status, title } = PROBLEM_KINDS[kind];
        // A client's mistake is answered, never logged with a stack: capturing one through the middleware
        // was a tenth of the CPU of a flood of 404s. Server errors (5xx) keep theirs.
        const stackTraceLimit = Error.stackTraceLimit;
        if (status < 500)
            Error.stackTraceLimit = 0;
        super(detail ?? title);
        this.kind = kind;
        this.detail = detail;
        this.extras = extras;
        Error.stackTraceLimit = stackTraceLimit;
        this.status = status;
        this.title = title;
    }
}
/** Renders a problem; `requestId` lets a caller quote the log line that explains a 500. */
export function problemResponse(problem, { requestId, instance } = {}) {
    const body = {
        type: PROBLEM_TYPE_PREFIX + problem.kind,
        title: problem.title,
        status: problem.status,
        ...(problem.detail === undefined ? {} : { detail: problem.detail }),
        ...(instance === undefined ? {} : { instance }),
        ...(requestId === undefined ? {} : { requestId }),
        ...(problem.extras.errors ? { errors: problem.extras.errors } : {}),
    };
    return new Response(JSON.stringify(body), {
        status: problem.status,
        headers: { 'content-type': 'application/problem+json', ...problem.extras.headers },
    });
}
//# sourceMappingURL=problem.js.map