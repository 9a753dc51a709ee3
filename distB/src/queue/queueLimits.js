import { validateConcurrency, validateRateLimit } from './limitsValidation.js';
const QUEUE_NAME = /^[A-Za-z0-9_.:-]{1,64}$/;
/** Parses `QUEUE_LIMITS`; throws an Error naming the queue and the field of the first bad value. */
export function parseQueueLimits(raw) {
    let parsed;
    try {
        parsed = JSON.parse(raw);
    }
    catch {
        throw new Error('a JSON object from queue name to { concurrency?, rateLimit? }');
    }
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
        throw new Error('a JSON object from queue name to { concurrency?, rateLimit? }');
    }
    const limited = [];
    for (const [queue, entry] of Object.entries(parsed)) {
        if (!QUEUE_NAME.test(queue))
            throw new Error(`queue names of [A-Za-z0-9_.:-], up to 64 characters, not ${JSON.stringify(queue)}`);
        const where = `queue ${queue}`;
        if (entry === null || typeof entry !== 'object' || Array.isArray(entry)) {
            throw new Error(`${where}: an object { concurrency?, rateLimit? }`);
        }
        for (const field of Object.keys(entry)) {
            if (field !== 'concurrency' && field !== 'rateLimit') {
                throw new Error(`${where}: ${field} is not a queue limit (concurrency, rateLimit)`);
            }
        }
        const { concurrency, rateLimit } = entry;
        validateConcurrency(where, concurrency);
        validateRateLimit(where, rateLimit);
        if (concurrency?.perKey === undefined && concurrency?.total === undefined && rateLimit === undefined)
            continue;
        const intervalMs = rateLimit ? rateLimit.periodMs / rateLimit.limit : null;
        limited.push({
            queue,
            perKey: concurrency?.perKey ?? null,
            total: concurrency?.total ?? null,
            intervalMs,
            toleranceMs: rateLimit && intervalMs !== null ? ((rateLimit.burst ?? 1) - 1) * intervalMs : null,
            rateByKey: rateLimit?.key === true,
        });
    }
    return limited.sort((a, b) => (a.queue < b.queue ? -1 : a.queue > b.queue ? 1 : 0));
}
//# sourceMappingURL=queueLimits.js.map