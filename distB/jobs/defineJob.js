import { validateConcurrency, validateRateLimit } from '../src/queue/limitsValidation.js';
export { PermanentError, RetryAfterError } from './errors.js';
export const DEFAULT_JOB_DEFAULTS = {
    maxAttempts: 3,
    maxInterruptions: 20,
    timeoutSeconds: null,
    queue: 'default',
};
const JOB_NAME = /^[a-z][a-z0-9_.-]{0,63}$/;
export function defineJob(definition) {
    if (!JOB_NAME.test(definition.name)) {
        throw new Error(`job name ${JSON.stringify(definition.name)} must match ${JOB_NAME}`);
    }
    const schema = definition.payloadSchema;
    // A plain .mjs job file has no type checker to say so; Ajv's own words for a missing schema
    // ("schema must be object or boolean") do not name the field.
    if (schema === null || typeof schema !== 'object' || Array.isArray(schema)) {
        throw new Error(`job ${definition.name}: payloadSchema must be a JSON Schema object ({} accepts any payload)`);
    }
    const defaults = { ...DEFAULT_JOB_DEFAULTS, ...definition.defaults };
    if (!Number.isInteger(defaults.maxAttempts) || defaults.maxAttempts < 1) {
        throw new Error(`job ${definition.name}: defaults.maxAttempts must be a positive integer`);
    }
    if (!Number.isInteger(defaults.maxInterruptions) || defaults.maxInterruptions < 0) {
        throw new Error(`job ${definition.name}: defaults.maxInterruptions must be a non-negative integer`);
    }
    validateRetryPolicy(definition.name, defaults.retry, definition.retryDelay);
    validateConcurrency(`job ${definition.name}`, definition.concurrency);
    validateRateLimit(`job ${definition.name}`, definition.rateLimit);
    validateCheckpointOptions(definition);
    const slice = definition.maxSliceSeconds;
    if (slice !== undefined && !(typeof slice === 'number' && Number.isFinite(slice) && slice > 0 && slice <= 86_400)) {
        throw new Error(`job ${definition.name}: maxSliceSeconds must be a number of seconds above 0, at most 86400`);
    }
    if (definition.schedules !== undefined && !Array.isArray(definition.schedules)) {
        throw new Error(`job ${definition.name}: schedules must be an array of { id, cron | every, ... }`);
    }
    // The rest of each schedule (timing, payload against the schema, unique ids) is checked by the
    // registry, which names the file: src/schedules/declared.ts.
    return Object.freeze({
        ...definition,
        checkpointVersion: definition.checkpointVersion ?? 1,
        defaults: Object.freeze(defaults),
        sourceFile: callerFile(),
    });
}
/** Refuses checkpoint options that could not work, naming the job and the option. */
function validateCheckpointOptions({ name, checkpointSchema, checkpointVersion, migrateCheckpoint, }) {
    if (checkpointSchema !== undefined &&
        (checkpointSchema === null || typeof checkpointSchema !== 'object' || Array.isArray(checkpointSchema))) {
        throw new Error(`job ${name}: checkpointSchema must be a JSON Schema object`);
    }
    if (checkpointVersion !== undefined &&
        (typeof checkpointVersion !== 'number' ||
            !Number.isInteger(checkpointVersion) ||
            checkpointVersion < 1 ||
            checkpointVersion > 2_147_483_647)) {
        throw new Error(`job ${name}: checkpointVersion must be a positive integer, not ${JSON.stringify(checkpointVersion)}`);
    }
    if (migrateCheckpoint !== undefined && typeof migrateCheckpoint !== 'function') {
        throw new Error(`job ${name}: migrateCheckpoint must be a function (old, fromVersion) => checkpoint`);
    }
}
const RETRY_FIELDS = {
    baseMs: { test: (v) => v > 0, rule: 'a positive number of milliseconds' },
    maxMs: { test: (v) => v > 0, rule: 'a positive number of milliseconds' },
    factor: { test: (v) => v >= 1, rule: 'a number of at least 1' },
    jitter: { test: (v) => v >= 0 && v <= 1, rule: 'a number from 0 to 1' },
};
/** Refuses a retry policy that could not work, naming the job and the field. */
function validateRetryPolicy(job, retry, retryDelay) {
    if (retryDelay !== undefined && typeof retryDelay !== 'function') {
        throw new Error(`job ${job}: retryDelay must be a function (attempt, error) => ms | null`);
    }
    if (retry === undefined)
        return;
    if (retryDelay !== undefined)
        throw new Error(`job ${job}: give defaults.retry or retryDelay, not both`);
    if (retry === null || typeof retry !== 'object' || Array.isArray(retry)) {
        throw new Error(`job ${job}: defaults.retry must be an object { baseMs, maxMs, factor, jitter }`);
    }
    for (const [field, value] of Object.entries(retry)) {
        const spec = RETRY_FIELDS[field];
        if (!spec) {
            const known = Object.keys(RETRY_FIELDS).join(', ');
            throw new Error(`job ${job}: defaults.retry.${field} is not a retry setting (${known})`);
        }
        if (typeof value !== 'number' || !Number.isFinite(value) || !spec.test(value)) {
            throw new Error(`job ${job}: defaults.retry.${field} must be ${spec.rule}, not ${JSON.stringify(value)}`);
        }
    }
    const { baseMs, maxMs } = retry;
    if (baseMs !== undefined && maxMs !== undefined && maxMs < baseMs) {
        throw new Error(`job ${job}: defaults.retry.maxMs (${maxMs}) must not be below defaults.retry.baseMs (${baseMs})`);
    }
}
/** The file of `defineJob`'s caller, from a stack trace (`file:///…/jobs/x.js:3:16` or a plain path). */
function callerFile() {
    const frames = (new Error().stack ?? '').split('\n').slice(1);
    const own = fileOf(frames[0] ?? '');
    for (const frame of frames) {
        const file = fileOf(frame);
        if (file && file !== own)
            return file;
    }
    return undefined;
}
function fileOf(frame) {
    const match = /\(?((?:file:\/\/)?\/[^():]+):\d+:\d+\)?\s*$/.exec(frame);
    return match?.[1]?.replace(/^file:\/\//, '');
}
//# sourceMappingURL=defineJob.js.map