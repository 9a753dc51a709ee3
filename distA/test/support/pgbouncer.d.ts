export interface PgBouncer {
    readonly port: number;
    /** `directUrl` (a `postgres://` URL of the upstream server) with this bouncer's host and port. */
    urlFor(directUrl: string): string;
    /** Runs an admin console command (`SHOW POOLS`, `SHOW SERVERS`, …) and returns its rows. */
    admin<T extends object>(command: string): Promise<T[]>;
    /** Transactions carried so far, and of how many databases (the pools still kept). */
    transactions(): Promise<{
        transactions: number;
        databases: number;
    }>;
    /** Stops the bouncer and removes its folder; safe to call twice. */
    stop(): Promise<void>;
}
export interface PgBouncerOptions {
    /** The upstream PostgreSQL, as a `postgres://` URL (its database part is not used). */
    upstreamUrl: string;
    /** Server connections per database and user (`default_pool_size`). */
    poolSize: number;
    /**
     * How long the pool of a database no client uses is kept, with its counters (`autodb_idle_timeout`):
     * a run keeps them to the end, to report what went through (`transactions`).
     */
    keepPoolsSeconds?: number;
}
/** The pgbouncer executable, or undefined when it is not installed (Debian puts it in /usr/sbin). */
export declare function findPgBouncer(): string | undefined;
/** The `skip` reason of a suite that needs PgBouncer and PostgreSQL, or false when both are here. */
export declare function skipWithoutPgBouncer(): string | false;
export declare function startPgBouncer({ upstreamUrl, poolSize, keepPoolsSeconds, }: PgBouncerOptions): Promise<PgBouncer>;
