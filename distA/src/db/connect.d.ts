import type { Database } from './database.js';
import { type DatabasePooling } from './pooling.js';
export interface ConnectOptions {
    databaseUrl: string | undefined;
    dataDir: string;
    /** Pool size for a PostgreSQL server; the embedded database always uses one connection. */
    maxConnections?: number;
    /** The schema of the service's tables (`DATABASE_SCHEMA`). */
    databaseSchema?: string;
    /** The same database without the pooler (`DATABASE_DIRECT_URL`), for LISTEN and migrations. */
    databaseDirectUrl?: string | undefined;
    /** How `databaseUrl` shares server connections (`DATABASE_POOLING`); default `none`. */
    databasePooling?: DatabasePooling;
    /** How long a pooled connection lives (`CONNECTION_LIFETIME_SECONDS`); tests shorten it. */
    connectionLifetimeSeconds?: number;
}
export declare function connectDatabase({ databaseUrl, dataDir, maxConnections, databaseSchema, databaseDirectUrl, databasePooling, connectionLifetimeSeconds, }: ConnectOptions): Promise<Database>;
export interface OpenOptions extends ConnectOptions {
    /** How long a server may take to answer a first query (DATABASE_CONNECT_TIMEOUT_SECONDS). */
    connectTimeoutMs?: number;
    /** Aborts the opening (SIGINT/SIGTERM during start-up): rejects at once, closes what opened. */
    signal?: AbortSignal;
}
/**
 * Opens the database and makes sure it answers: `StartupError` naming `DATABASE_URL`,
 * `DATABASE_DIRECT_URL` (or `DATA_DIR`) when it cannot be used, `StartAbortedError` when `signal`
 * aborts first. With a direct URL beside it, both must reach one database of one server.
 */
export declare function openDatabase({ connectTimeoutMs, signal, ...options }: OpenOptions): Promise<Database>;
/**
 * The embedded database, its lock and the development secret live in DATA_DIR: a folder that
 * cannot be created or written is named here rather than as an errno from deep in PGlite.
 */
export declare function ensureWritableDataDir(dataDir: string): Promise<void>;
