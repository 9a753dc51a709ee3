/**
 * Opens the database the configuration names: a PostgreSQL server when `DATABASE_URL` is set,
 * otherwise the embedded PGlite in `DATA_DIR`. Both are reached through postgres.js, so the store
 * speaks one SQL dialect to either.
 */
import postgres from 'postgres'
import type { Database } from './database.js'
import { openEmbeddedDatabase } from './embedded.js'

export interface ConnectOptions {
  databaseUrl: string | undefined
  dataDir: string
  /** Pool size for a PostgreSQL server; the embedded database always uses one connection. */
  maxConnections?: number
}

export async function connectDatabase({ databaseUrl, dataDir, maxConnections = 10 }: ConnectOptions): Promise<Database> {
  if (databaseUrl === undefined) return openEmbeddedDatabase(dataDir)
  const sql = postgres(databaseUrl, {
    max: maxConnections,
    onnotice: () => {},
    // Fetching array types on connect leaks an unhandled rejection when the connection dies
    // meanwhile (porsager/postgres#1192); the store passes lists as JSON instead.
    fetch_types: false,
    // While the database is unreachable a request waits for a connection attempt: keep that wait
    // short (it is answered 503), and keep postgres.js's reconnect backoff (3^n/100 s, up to 20 s,
    // shared by the pool) from queueing queries for many seconds after a few failures.
    connect_timeout: 3,
    backoff: (retries: number) => Math.min(0.05 * 2 ** retries, 1),
    transform: { undefined: null },
  })
  let closing: Promise<void> | undefined
  return {
    sql,
    capabilities: { supportsListen: true, sharedAcrossProcesses: true },
    description: describeUrl(databaseUrl),
    close: ({ timeoutSeconds = 5 } = {}) => (closing ??= sql.end({ timeout: timeoutSeconds })),
  }
}

/** `postgres://user@host:port/db`, without the password, for logs. */
function describeUrl(databaseUrl: string): string {
  const url = new URL(databaseUrl)
  url.password = ''
  return `postgres ${url.host}${url.pathname}`
}
