import type { LimitedQueue } from './queue/limitedClaim.js';
import { type DatabasePooling } from './db/pooling.js';
export interface Config {
    readonly port: number;
    /** The address the HTTP server binds: `0.0.0.0` (every IPv4 interface) unless set. */
    readonly host: string;
    /** Unset means the embedded PGlite database in `dataDir`. */
    readonly databaseUrl: string | undefined;
    /**
     * `DATABASE_DIRECT_URL`: the same database without the pooler, for what needs a session of its
     * own (LISTEN, migrations); unset: `databaseUrl` serves for both (src/db/connect.ts).
     */
    readonly databaseDirectUrl: string | undefined;
    /** `DATABASE_POOLING`: how `databaseUrl` shares server connections (src/db/pooling.ts). */
    readonly databasePooling: DatabasePooling;
    /** The schema of the service's tables (`DATABASE_SCHEMA`, default `job_runner`), so it can share an app's database. */
    readonly databaseSchema: string;
    /** How long start-up (and the migrate commands) wait for `DATABASE_URL` to answer before giving up. */
    readonly databaseConnectTimeoutMs: number;
    readonly dataDir: string;
    /** A folder of job files to load instead of the shipped jobs/ (`JOBS_DIR`); unset: the shipped ones. */
    readonly jobsDir: string | undefined;
    readonly jwt: {
        readonly secret: string | undefined;
        readonly publicKey: string | undefined;
        readonly jwksUrl: string | undefined;
        readonly issuer: string | undefined;
        readonly audience: string;
        /** How long a JWKS fetch may take before a request is answered 503. */
        readonly jwksTimeoutMs: number;
    };
    readonly concurrency: number;
    /** Most jobs claimed ahead of the free slots, waiting in memory; 0 claims only for free slots. */
    readonly localQueueSize: number;
    readonly queues: readonly string[];
    /** Concurrency and rate limits per queue (`QUEUE_LIMITS`, src/queue/queueLimits.ts); empty for none. */
    readonly queueLimits: readonly LimitedQueue[];
    readonly shutdownGraceMs: number;
    /** A running job that ignores a cancel this long is abandoned as `cancelled`, its slot freed (`CANCEL_GRACE_SECONDS`). */
    readonly cancelGraceMs: number;
    readonly checkpointIntervalMs: number;
    readonly leaseMs: number;
    readonly pollIntervalMs: number;
    readonly retryBaseMs: number;
    /** Finished jobs older than this are deleted by the pruner. */
    readonly retentionMs: number;
    /** Jobs a bulk action moves per transaction (`BULK_BATCH_SIZE`). */
    readonly bulkBatchSize: number;
    readonly maxBodyBytes: number;
    /** `?wait` long-polls one owner may hold open at once on this instance; more get 429. */
    readonly longPollsPerOwner: number;
    /** Event streams (SSE) one owner may hold open at once on this instance; more get 429. */
    readonly eventStreamsPerOwner: number;
    /** How often an idle event stream gets a comment, so that proxies keep it open. */
    readonly eventHeartbeatMs: number;
    /** Completion webhooks (src/webhooks/). */
    readonly webhooks: WebhookConfig;
    readonly logLevel: string;
}
export interface WebhookConfig {
    /** WEBHOOK_SECRET: signs jobs' own callbacks (`whsec_` + base64); callbacks are refused without it. */
    readonly secret: string | undefined;
    /** WEBHOOK_ALLOW_HTTP: accept http: URLs too. */
    readonly allowHttp: boolean;
    /** WEBHOOK_ALLOWED_HOSTS: hosts or addresses allowed although loopback, link-local or private. */
    readonly allowedHosts: readonly string[];
    /** WEBHOOK_RETRY_SCALE: multiplies the retry schedule (for tests). */
    readonly retryScale: number;
}
export declare class ConfigError extends Error {
    readonly variable: string;
    readonly accepts: string;
    readonly got: string;
    name: string;
    constructor(variable: string, accepts: string, got: string);
}
type Env = Readonly<Record<string, string | undefined>>;
export declare const DEFAULT_DATABASE_SCHEMA = "job_runner";
/** Parses `env` (default `process.env`) into a frozen `Config`, or throws `ConfigError`. */
export declare function loadConfig(env?: Env): Config;
export {};
