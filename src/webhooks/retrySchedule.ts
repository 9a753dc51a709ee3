/**
 * When a webhook delivery is tried again: Standard Webhooks' schedule. The first attempt is made as
 * soon as the outcome is written; each failed attempt but the last is tried again after the next
 * delay, 5 s, 5 min, 30 min, 2 h, 5 h, 10 h and 10 h: eight attempts over 27.6 hours, then the
 * delivery is failed. WEBHOOK_RETRY_SCALE multiplies the delays (1 in production; tests shrink them).
 */

export const RETRY_DELAYS_MS = [5_000, 300_000, 1_800_000, 7_200_000, 18_000_000, 36_000_000, 36_000_000]
export const MAX_ATTEMPTS = RETRY_DELAYS_MS.length + 1

/**
 * The wait after failed attempt number `attempt` (1 for the first) before the next, times `scale`;
 * undefined after the last: there is no further attempt.
 *
 *   retryDelayMs(1) === 5000; retryDelayMs(7) === 36_000_000; retryDelayMs(8) === undefined
 */
export function retryDelayMs(attempt: number, scale = 1): number | undefined {
  if (!Number.isInteger(attempt) || attempt < 1) throw new RangeError(`attempt must be 1 or more, got ${attempt}`)
  if (attempt >= MAX_ATTEMPTS) return undefined
  return RETRY_DELAYS_MS[attempt - 1]! * scale
}
