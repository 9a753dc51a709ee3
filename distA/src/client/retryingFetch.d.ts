export interface RetryOptions {
    /** Attempts after the first (default 5). */
    readonly retries?: number;
    /** The longest wait between attempts, whatever `Retry-After` says (default 30 s). */
    readonly maxDelayMs?: number;
    /** The first backoff after a failed connection; doubles per attempt (default 200 ms). */
    readonly baseDelayMs?: number;
}
/** A `fetch` for openapi-fetch that retries as described above; `alwaysSafe` marks every request as repeatable. */
export declare function retryingFetch(options?: RetryOptions, { alwaysSafe, fetchImpl }?: {
    alwaysSafe?: boolean;
    fetchImpl?: typeof fetch;
}): (request: Request) => Promise<Response>;
/** RFC 9110 §10.2.3: delay-seconds or an HTTP-date; undefined when absent or unreadable. */
export declare function retryAfterMs(header: string | null, now?: number): number | undefined;
