/**
 * Errors a job throws to steer its retries, exported beside `defineJob`:
 *
 * @example
 * if (response.status === 400) throw new PermanentError('the image is corrupt')      // failed now
 * if (response.status === 429) throw new RetryAfterError(retryAfterMs, 'rate limited') // exactly then
 */
/** Fails the job at once, whatever attempts it has left: retrying cannot help. */
export class PermanentError extends Error {
    name = 'PermanentError';
}
/**
 * Retries after exactly `retryAfterMs` (a rate-limited API's `Retry-After`), instead of the job's
 * backoff. The attempt still counts: on the last one the job fails.
 */
export class RetryAfterError extends Error {
    retryAfterMs;
    name = 'RetryAfterError';
    constructor(retryAfterMs, message = `retry after ${retryAfterMs} ms`) {
        super(message);
        this.retryAfterMs = retryAfterMs;
        if (!Number.isFinite(retryAfterMs) || retryAfterMs < 0) {
            throw new RangeError(`RetryAfterError: retryAfterMs must be a non-negative number of milliseconds, not ${retryAfterMs}`);
        }
    }
}
//# sourceMappingURL=errors.js.map