/**
 * Delay before retry number `attempt` (1 after the first failure): exponential by `factor`, capped
 * at `maxMs`, with a `jitter` share of it random (0.5, the default, is "equal jitter": half fixed,
 * half random) so that many jobs failing together do not retry together.
 */
export interface BackoffOptions {
  baseMs: number
  maxMs?: number
  factor?: number
  /** The share of the delay that is random, from 0 (none) to 1 (all of it). */
  jitter?: number
  random?: () => number
}

export const DEFAULT_BACKOFF = { maxMs: 3_600_000, factor: 2, jitter: 0.5 } as const

export function retryDelayMs(attempt: number, options: BackoffOptions): number {
  const { baseMs, maxMs, factor, jitter } = { ...DEFAULT_BACKOFF, ...options }
  const random = options.random ?? Math.random
  const exponential = Math.min(maxMs, baseMs * factor ** Math.max(0, Math.min(attempt - 1, 30)))
  return Math.round(exponential * (1 - jitter) + random() * exponential * jitter)
}
