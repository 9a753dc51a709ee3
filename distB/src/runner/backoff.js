export const DEFAULT_BACKOFF = { maxMs: 3_600_000, factor: 2, jitter: 0.5 };
export function retryDelayMs(attempt, options) {
    const { baseMs, maxMs, factor, jitter } = { ...DEFAULT_BACKOFF, ...options };
    const random = options.random ?? Math.random;
    const exponential = Math.min(maxMs, baseMs * factor ** Math.max(0, Math.min(attempt - 1, 30)));
    return Math.round(exponential * (1 - jitter) + random() * exponential * jitter);
}
//# sourceMappingURL=backoff.js.map