/**
 * The one database handle the rest of the service sees. Which mode runs (a PostgreSQL server, or the
 * embedded PGlite) shows only through `capabilities`, so code asks "can I LISTEN?" rather than
 * "am I embedded?".
 */
import type { Sql } from 'postgres';
export interface DatabaseCapabilities {
    /** LISTEN/NOTIFY reaches other connections and processes (false through pglite-socket). */
    readonly supportsListen: boolean;
    /** Several processes may share the database (false for the embedded, single-process PGlite). */
    readonly sharedAcrossProcesses: boolean;
}
export interface Database {
    /**
     * Every statement of the store. It may go through a pooler in transaction mode
     * (`DATABASE_POOLING`, src/db/pooling.ts): nothing done on it may outlive its transaction.
     */
    readonly sql: Sql;
    /**
     * For what needs a session of its own: LISTEN and migrations. `DATABASE_DIRECT_URL`'s pool when
     * set (then `sql.listen` is this one's too), otherwise `sql` itself.
     */
    readonly session: Sql;
    readonly capabilities: DatabaseCapabilities;
    /** The schema the service's tables live in; the store names them in it (src/db/schemaIdentifier.ts). */
    readonly schema: string;
    /** For logs and the status endpoint only; never branch on it. */
    readonly description: string;
    /** Ends every connection (and stops the embedded server); safe to call twice. */
    close(options?: {
        timeoutSeconds?: number;
    }): Promise<void>;
}
