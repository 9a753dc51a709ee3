/** Refuses limits that could not work (zero, negative, fractional, unknown fields), naming the field. */
export function validateConcurrency(where, concurrency) {
    if (concurrency === undefined)
        return;
    if (concurrency === null || typeof concurrency !== 'object' || Array.isArray(concurrency)) {
        throw new Error(`${where}: concurrency must be an object { perKey?, total? }`);
    }
    for (const [field, value] of Object.entries(concurrency)) {
        if (field !== 'perKey' && field !== 'total') {
            throw new Error(`${where}: concurrency.${field} is not a concurrency limit (perKey, total)`);
        }
        if (value === undefined)
            continue;
        if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > 1_000_000) {
            throw new Error(`${where}: concurrency.${field} must be a positive integer, not ${JSON.stringify(value)}`);
        }
    }
}
const RATE_LIMIT_FIELDS = {
    limit: { test: (v) => Number.isInteger(v) && v >= 1 && v <= 1_000_000, rule: 'a positive integer' },
    periodMs: { test: (v) => v >= 1 && v <= 86_400_000, rule: 'a number of milliseconds from 1 to 86400000' },
    burst: { test: (v) => Number.isInteger(v) && v >= 1 && v <= 1_000_000, rule: 'a positive integer' },
};
/** Refuses a rate limit that could not work (no limit, zero, negative, unknown fields), naming the field. */
export function validateRateLimit(where, rateLimit) {
    if (rateLimit === undefined)
        return;
    if (rateLimit === null || typeof rateLimit !== 'object' || Array.isArray(rateLimit)) {
        throw new Error(`${where}: rateLimit must be an object { limit, periodMs, burst?, key? }`);
    }
    for (const [field, value] of Object.entries(rateLimit)) {
        if (field === 'key') {
            if (value !== undefined && typeof value !== 'boolean') {
                throw new Error(`${where}: rateLimit.key must be true (a limit per concurrencyKey) or false, not ${JSON.stringify(value)}`);
            }
            continue;
        }
        const spec = RATE_LIMIT_FIELDS[field];
        if (!spec) {
            const known = [...Object.keys(RATE_LIMIT_FIELDS), 'key'].join(', ');
            throw new Error(`${where}: rateLimit.${field} is not a rate limit setting (${known})`);
        }
        if (value === undefined && field === 'burst')
            continue;
        if (typeof value !== 'number' || !Number.isFinite(value) || !spec.test(value)) {
            throw new Error(`${where}: rateLimit.${field} must be ${spec.rule}, not ${JSON.stringify(value)}`);
        }
    }
    for (const field of ['limit', 'periodMs']) {
        if (rateLimit[field] === undefined) {
            throw new Error(`${where}: rateLimit.${field} is required (${RATE_LIMIT_FIELDS[field].rule})`);
        }
    }
}
//# sourceMappingURL=limitsValidation.js.map