/**
 * Delay before retry number `attempt` (1 after the first failure): exponential by `factor`, capped
 * at `maxMs`, with a `jitter` share of it random (0.5, the default, is "equal jitter": half fixed,
 * half random) so that many jobs failing together do not retry together.
 */
export interface BackoffOptions {
    baseMs: number;
    maxMs?: number;
    factor?: number;
    /** The share of the delay that is random, from 0 (none) to 1 (all of it). */
    jitter?: number;
    random?: () => number;
}
export declare const DEFAULT_BACKOFF: {
    readonly maxMs: 3600000;
    readonly factor: 2;
    readonly jitter: 0.5;
};
export declare function retryDelayMs(attempt: number, options: BackoffOptions): number;
