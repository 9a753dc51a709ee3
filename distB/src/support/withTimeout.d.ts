/**
 * Rejects (with `timeoutError()`, or a plain Error) when `promise` has not settled within `ms`;
 * the work itself goes on unobserved. An infinite `ms` (no deadline yet) waits as long as it takes.
 */
export declare function withTimeout<T>(promise: Promise<T>, ms: number, timeoutError?: () => Error): Promise<T>;
