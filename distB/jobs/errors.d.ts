/**
 * Errors a job throws to steer its retries, exported beside `defineJob`:
 *
 * @example
 * if (response.status === 400) throw new PermanentError('the image is corrupt')      // failed now
 * if (response.status === 429) throw new RetryAfterError(retryAfterMs, 'rate limited') // exactly then
 */
/** Fails the job at once, whatever attempts it has left: retrying cannot help. */
export declare class PermanentError extends Error {
    name: string;
}
/**
 * Retries after exactly `retryAfterMs` (a rate-limited API's `Retry-After`), instead of the job's
 * backoff. The attempt still counts: on the last one the job fails.
 */
export declare class RetryAfterError extends Error {
    readonly retryAfterMs: number;
    name: string;
    constructor(retryAfterMs: number, message?: string);
}
