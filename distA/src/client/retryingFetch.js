/**
 * The client's `fetch`: retries what is safe to send again when an instance cannot answer — a 503
 * (shutting down, draining, database unreachable) or a 429 after its `Retry-After`, and a request
 * that never reached a server (connection refused or reset: the instance has just exited) after a
 * short backoff. A request is safe to repeat when its method is, when it carries an
 * `Idempotency-Key`, or when the caller says so (a cancel, a batch whose jobs carry keys).
 */
import { setTimeout as sleep } from 'node:timers/promises';
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS', 'PUT', 'DELETE']);
const RETRIED_STATUSES = new Set([429, 503]);
/** A `fetch` for openapi-fetch that retries as described above; `alwaysSafe` marks every request as repeatable. */
export function retryingFetch(options = {}, { alwaysSafe = false, fetchImpl = globalThis.fetch } = {}) {
    const { retries = 5, maxDelayMs = 30_000, baseDelayMs = 200 } = options;
    return async function fetchWithRetries(request) {
        const safe = alwaysSafe || SAFE_METHODS.has(request.method) || request.headers.has('idempotency-key');
        for (let attempt = 0;; attempt++) {
            // A body can be sent once: each attempt sends a copy.
            const sent = safe && attempt < retries ? request.clone() : request;
            const backoff = Math.min(maxDelayMs, baseDelayMs * 2 ** attempt);
            let response;
            try {
                response = await fetchImpl(sent);
            }
            catch (error) {
                if (request.signal.aborted || !safe || attempt >= retries)
                    throw error;
                await sleep(backoff, undefined, { signal: request.signal });
                continue;
            }
            if (!RETRIED_STATUSES.has(response.status) || !safe || attempt >= retries)
                return response;
            const delay = Math.min(maxDelayMs, retryAfterMs(response.headers.get('retry-after')) ?? backoff);
            await response.body?.cancel();
            await sleep(delay, undefined, { signal: request.signal });
        }
    };
}
/** RFC 9110 §10.2.3: delay-seconds or an HTTP-date; undefined when absent or unreadable. */
export function retryAfterMs(header, now = Date.now()) {
    if (header === null || header.trim() === '')
        return undefined;
    if (/^\d+$/.test(header.trim()))
        return Number(header.trim()) * 1000;
    const at = Date.parse(header);
    return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}
//# sourceMappingURL=retryingFetch.js.map