/** Refuses limits that could not work (zero, negative, fractional, unknown fields), naming the field. */
export declare function validateConcurrency(where: string, concurrency: unknown): void;
/** Refuses a rate limit that could not work (no limit, zero, negative, unknown fields), naming the field. */
export declare function validateRateLimit(where: string, rateLimit: unknown): void;
