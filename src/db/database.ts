/**
 * The one database handle the rest of the service sees. Which mode runs (a PostgreSQL server, or the
 * embedded PGlite) shows only through `capabilities`, so code asks "can I LISTEN?" rather than
 * "am I embedded?".
 */
import type { Sql } from 'postgres'

export interface DatabaseCapabilities {
  /** LISTEN/NOTIFY reaches other connections and processes (false through pglite-socket). */
  readonly supportsListen: boolean
  /** Several processes may share the database (false for the embedded, single-process PGlite). */
  readonly sharedAcrossProcesses: boolean
}

export interface Database {
  readonly sql: Sql
  readonly capabilities: DatabaseCapabilities
  /** The schema the service's tables live in: every connection's search_path (src/db/connect.ts). */
  readonly schema: string
  /** For logs and the status endpoint only; never branch on it. */
  readonly description: string
  /** Ends every connection (and stops the embedded server); safe to call twice. */
  close(options?: { timeoutSeconds?: number }): Promise<void>
}
