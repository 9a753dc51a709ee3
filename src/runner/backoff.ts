/**
 * Delay before retry number `attempt` (1 after the first failure): exponential, capped, with
 * "equal jitter" (half fixed, half random) so that many jobs failing together do not retry together.
 */
export interface BackoffOptions {
  baseMs: number
  maxMs?: number
  random?: () => number
}

export function retryDelayMs(attempt: number, { baseMs, maxMs = 3_600_000, random = Math.random }: BackoffOptions): number {
  const exponential = Math.min(maxMs, baseMs * 2 ** Math.max(0, Math.min(attempt - 1, 30)))
  return Math.round(exponential / 2 + random() * (exponential / 2))
}
