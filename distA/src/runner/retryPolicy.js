/**
 * Decides what a failed attempt leads to, from its job type's retry policy: a `PermanentError`
 * fails the job now, a `RetryAfterError` retries after exactly its delay, a `retryDelay` function
 * answers with a delay or null (give up), and otherwise `defaults.retry` (over the service's
 * `RETRY_BASE_MS`) sets the backoff.
 */
import { PermanentError, RetryAfterError } from '../../jobs/errors.js';
import { retryDelayMs } from './backoff.js';
/** The longest delay a policy may ask for; PostgreSQL's interval arithmetic is safe far beyond. */
const MAX_DELAY_MS = 365 * 24 * 3_600_000;
export function decideRetry(definition, attempt, error, { defaultBaseMs, onPolicyError }) {
    if (error instanceof PermanentError)
        return { delayMs: 0, giveUp: true };
    if (error instanceof RetryAfterError)
        return { delayMs: Math.min(error.retryAfterMs, MAX_DELAY_MS), giveUp: false };
    const backoff = () => retryDelayMs(attempt, { baseMs: defaultBaseMs, ...definition?.defaults.retry });
    if (!definition?.retryDelay)
        return { delayMs: backoff(), giveUp: false };
    try {
        const answer = definition.retryDelay(attempt, error);
        if (answer === null)
            return { delayMs: 0, giveUp: true };
        if (typeof answer !== 'number' || !Number.isFinite(answer) || answer < 0) {
            throw new TypeError(`job ${definition.name}: retryDelay returned ${String(answer)}, not a number of milliseconds or null`);
        }
        return { delayMs: Math.min(answer, MAX_DELAY_MS), giveUp: false };
    }
    catch (policyError) {
        // A broken policy must not lose the job: it retries with the default backoff.
        onPolicyError(policyError);
        return { delayMs: backoff(), giveUp: false };
    }
}
//# sourceMappingURL=retryPolicy.js.map