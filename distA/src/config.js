/**
 * The service's configuration: every environment variable of DESIGN.md, parsed once into one typed,
 * frozen object. A bad value throws a `ConfigError` naming the variable and what it accepts, so
 * start-up stops with a message an operator can act on instead of a stack trace later.
 */
import net from 'node:net';
import path from 'node:path';
import { isWebhookSecret } from './webhooks/signature.js';
import { parseQueueLimits } from './queue/queueLimits.js';
import { DATABASE_POOLING_MODES, isDatabasePooling } from './db/pooling.js';
export class ConfigError extends Error {
    variable;
    accepts;
    got;
    name = 'ConfigError';
    constructor(variable, accepts, got) {
        super(got === ''
            ? `${variable} is not set: it must be ${accepts}`
            : `${variable}=${JSON.stringify(got)} is not valid: ${variable} must be ${accepts}`);
        this.variable = variable;
        this.accepts = accepts;
        this.got = got;
    }
}
function readString(env, name) {
    const value = env[name];
    return value === undefined || value.trim() === '' ? undefined : value.trim();
}
function readNumber(env, name, fallback, { min, max, integer = true }) {
    const raw = readString(env, name);
    if (raw === undefined)
        return fallback;
    const value = Number(raw);
    const accepts = `${integer ? 'an integer' : 'a number'} from ${min} to ${max}`;
    if (!Number.isFinite(value) || (integer && !Number.isInteger(value)) || value < min || value > max) {
        throw new ConfigError(name, accepts, raw);
    }
    return value;
}
function readUrl(env, name, protocols) {
    const raw = readString(env, name);
    if (raw === undefined)
        return undefined;
    const accepts = `a URL starting with ${protocols.map((p) => `${p}//`).join(' or ')}`;
    try {
        const url = new URL(raw);
        if (!protocols.includes(url.protocol))
            throw new Error('protocol');
    }
    catch {
        // The URL may hold a password: name the variable, never echo its value.
        throw new ConfigError(name, accepts, '<hidden>');
    }
    return raw;
}
function readBoolean(env, name) {
    const raw = readString(env, name);
    if (raw === undefined)
        return false;
    if (['true', '1', 'yes'].includes(raw.toLowerCase()))
        return true;
    if (['false', '0', 'no'].includes(raw.toLowerCase()))
        return false;
    throw new ConfigError(name, 'true or false', raw);
}
function readWebhookConfig(env) {
    const secret = readString(env, 'WEBHOOK_SECRET');
    // A secret is never echoed: name the variable only.
    if (secret !== undefined && !isWebhookSecret(secret)) {
        throw new ConfigError('WEBHOOK_SECRET', 'whsec_ followed by the base64 of at least 24 bytes', '<hidden>');
    }
    const hosts = (readString(env, 'WEBHOOK_ALLOWED_HOSTS') ?? '')
        .split(',')
        .map((h) => h.trim())
        .filter(Boolean);
    for (const host of hosts) {
        const bare = host.replace(/^\[|\]$/g, '');
        if (net.isIP(bare) === 0 && !/^[A-Za-z0-9]([A-Za-z0-9.-]{0,252}[A-Za-z0-9])?$/.test(bare)) {
            throw new ConfigError('WEBHOOK_ALLOWED_HOSTS', 'a comma-separated list of hostnames or IP addresses', host);
        }
    }
    return {
        secret,
        allowHttp: readBoolean(env, 'WEBHOOK_ALLOW_HTTP'),
        allowedHosts: Object.freeze(hosts),
        retryScale: readNumber(env, 'WEBHOOK_RETRY_SCALE', 1, { min: 0.000001, max: 1000, integer: false }),
    };
}
/** A hostname or an IP address (IPv6 without brackets), as `server.listen` takes it. */
function readHost(env, name) {
    const raw = readString(env, name);
    if (raw === undefined)
        return undefined;
    if (net.isIP(raw) === 0 && !/^[A-Za-z0-9]([A-Za-z0-9.-]{0,252}[A-Za-z0-9])?$/.test(raw)) {
        const accepts = 'an IP address (0.0.0.0 for every IPv4 interface, :: for every interface) or a hostname';
        throw new ConfigError(name, accepts, raw);
    }
    return raw;
}
export const DEFAULT_DATABASE_SCHEMA = 'job_runner';
/** A schema name that needs no quoting: lower case letters, digits and underscores. */
function readSchema(env, name) {
    const raw = readString(env, name);
    if (raw === undefined)
        return undefined;
    if (!/^[a-z_][a-z0-9_]{0,62}$/.test(raw) || raw.startsWith('pg_')) {
        throw new ConfigError(name, 'a schema name of lower-case letters, digits and underscores (not pg_…)', raw);
    }
    return raw;
}
function readQueueLimits(env) {
    const raw = readString(env, 'QUEUE_LIMITS');
    if (raw === undefined)
        return [];
    try {
        return Object.freeze(parseQueueLimits(raw).map((limits) => Object.freeze(limits)));
    }
    catch (error) {
        const { message } = error;
        const accepts = 'a JSON object from queue name to { concurrency?, rateLimit? }';
        throw new ConfigError('QUEUE_LIMITS', message === accepts ? accepts : `${accepts}; ${message}`, raw);
    }
}
/**
 * `DATABASE_POOLING`, and `DATABASE_DIRECT_URL` with it. Unset, it follows from the direct URL: one
 * is given only because `DATABASE_URL` goes through a pooler, and the transaction-safe way is right
 * for a pooler in either mode. A transaction pooler needs the direct URL: LISTEN through it would
 * listen on whichever server connection it lent, for as long as it lent it.
 */
function readPooling(env, databaseUrl, databaseDirectUrl) {
    const raw = readString(env, 'DATABASE_POOLING');
    if (databaseUrl === undefined) {
        // Only an embedded database is left, which has no pooler: a value here is a mistake to name.
        if (databaseDirectUrl !== undefined) {
            throw new ConfigError('DATABASE_DIRECT_URL', 'unset without DATABASE_URL (it is the direct way to the same database)', '<hidden>');
        }
        if (raw !== undefined)
            throw new ConfigError('DATABASE_POOLING', 'unset without DATABASE_URL (the embedded database has no pooler)', raw);
        return 'none';
    }
    if (raw === undefined)
        return databaseDirectUrl === undefined ? 'none' : 'transaction';
    const pooling = raw.toLowerCase();
    if (!isDatabasePooling(pooling)) {
        const accepts = `one of ${DATABASE_POOLING_MODES.join(', ')} (transaction for PgBouncer's pool_mode = transaction; ` +
            'statement pooling cannot run the transactions the service needs)';
        throw new ConfigError('DATABASE_POOLING', accepts, raw);
    }
    if (pooling === 'transaction' && databaseDirectUrl === undefined) {
        throw new ConfigError('DATABASE_DIRECT_URL', 'set with DATABASE_POOLING=transaction: a URL of the same database that bypasses the pooler, for LISTEN and migrations', '');
    }
    return pooling;
}
const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];
/** Parses `env` (default `process.env`) into a frozen `Config`, or throws `ConfigError`. */
export function loadConfig(env = process.env) {
    const secret = readString(env, 'JWT_SECRET');
    if (secret !== undefined && Buffer.byteLength(secret) < 32) {
        throw new ConfigError('JWT_SECRET', 'at least 32 bytes long', '<hidden>');
    }
    const publicKey = readString(env, 'JWT_PUBLIC_KEY');
    if (publicKey !== undefined && !publicKey.includes('-----BEGIN PUBLIC KEY-----')) {
        throw new ConfigError('JWT_PUBLIC_KEY', 'a PEM-encoded SPKI public key (-----BEGIN PUBLIC KEY-----)', '<hidden>');
    }
    const queues = (readString(env, 'QUEUES') ?? 'default')
        .split(',')
        .map((q) => q.trim())
        .filter(Boolean);
    if (queues.length === 0 || queues.some((q) => !/^[A-Za-z0-9_.:-]{1,64}$/.test(q))) {
        throw new ConfigError('QUEUES', 'a comma-separated list of queue names ([A-Za-z0-9_.:-], up to 64 characters)', env.QUEUES ?? '');
    }
    const logLevel = readString(env, 'LOG_LEVEL') ?? 'info';
    if (!LOG_LEVELS.includes(logLevel))
        throw new ConfigError('LOG_LEVEL', `one of ${LOG_LEVELS.join(', ')}`, logLevel);
    const databaseUrl = readUrl(env, 'DATABASE_URL', ['postgres:', 'postgresql:']);
    const databaseDirectUrl = readUrl(env, 'DATABASE_DIRECT_URL', ['postgres:', 'postgresql:']);
    const config = {
        port: readNumber(env, 'PORT', 3000, { min: 0, max: 65535 }),
        host: readHost(env, 'HOST') ?? '0.0.0.0',
        databaseUrl,
        databaseDirectUrl,
        databasePooling: readPooling(env, databaseUrl, databaseDirectUrl),
        databaseSchema: readSchema(env, 'DATABASE_SCHEMA') ?? DEFAULT_DATABASE_SCHEMA,
        databaseConnectTimeoutMs: readNumber(env, 'DATABASE_CONNECT_TIMEOUT_SECONDS', 5, { min: 0.1, max: 60, integer: false }) * 1000,
        dataDir: path.resolve(readString(env, 'DATA_DIR') ?? './.data'),
        jobsDir: readString(env, 'JOBS_DIR') === undefined ? undefined : path.resolve(readString(env, 'JOBS_DIR')),
        jwt: {
            secret,
            publicKey,
            jwksUrl: readUrl(env, 'JWT_JWKS_URL', ['https:', 'http:']),
            issuer: readString(env, 'JWT_ISSUER'),
            audience: readString(env, 'JWT_AUDIENCE') ?? 'job-runner',
            jwksTimeoutMs: readNumber(env, 'JWT_JWKS_TIMEOUT_MS', 5000, { min: 100, max: 60000 }),
        },
        concurrency: readNumber(env, 'CONCURRENCY', 10, { min: 1, max: 1000 }),
        localQueueSize: readNumber(env, 'LOCAL_QUEUE_SIZE', 2000, { min: 0, max: 10_000 }),
        queues,
        queueLimits: readQueueLimits(env),
        shutdownGraceMs: readNumber(env, 'SHUTDOWN_GRACE_SECONDS', 25, { min: 1, max: 3600, integer: false }) * 1000,
        cancelGraceMs: readNumber(env, 'CANCEL_GRACE_SECONDS', 30, { min: 0.05, max: 86400, integer: false }) * 1000,
        checkpointIntervalMs: readNumber(env, 'CHECKPOINT_INTERVAL_SECONDS', 5, { min: 0.05, max: 3600, integer: false }) * 1000,
        leaseMs: readNumber(env, 'LEASE_SECONDS', 30, { min: 1, max: 86400, integer: false }) * 1000,
        pollIntervalMs: readNumber(env, 'POLL_INTERVAL_MS', 1000, { min: 10, max: 60000 }),
        retryBaseMs: readNumber(env, 'RETRY_BASE_MS', 1000, { min: 0, max: 3600000 }),
        retentionMs: readNumber(env, 'JOB_RETENTION_HOURS', 168, { min: 0.001, max: 24 * 3650, integer: false }) * 3600 * 1000,
        bulkBatchSize: readNumber(env, 'BULK_BATCH_SIZE', 500, { min: 1, max: 10_000 }),
        maxBodyBytes: readNumber(env, 'MAX_BODY_BYTES', 1024 * 1024, { min: 1024, max: 64 * 1024 * 1024 }),
        longPollsPerOwner: readNumber(env, 'LONG_POLLS_PER_OWNER', 50, { min: 1, max: 100_000 }),
        eventStreamsPerOwner: readNumber(env, 'EVENT_STREAMS_PER_OWNER', 20, { min: 1, max: 100_000 }),
        eventHeartbeatMs: readNumber(env, 'EVENT_HEARTBEAT_SECONDS', 15, { min: 0.05, max: 300, integer: false }) * 1000,
        webhooks: readWebhookConfig(env),
        logLevel,
    };
    return Object.freeze({
        ...config,
        jwt: Object.freeze(config.jwt),
        queues: Object.freeze([...queues]),
        webhooks: Object.freeze(config.webhooks),
    });
}
//# sourceMappingURL=config.js.map