/**
 * Opens the database the configuration names: a PostgreSQL server when `DATABASE_URL` is set,
 * otherwise the embedded PGlite in `DATA_DIR`. Both are reached through postgres.js, so the store
 * speaks one SQL dialect to either.
 *
 * `connectDatabase` is lazy for a server (postgres.js connects on the first query); `openDatabase`,
 * for start-up and the migrate commands, also waits for a first answer within a deadline, so a
 * host that never answers ends in a sentence naming `DATABASE_URL` instead of a silent hang.
 */
import fs from 'node:fs/promises'
import path from 'node:path'
import postgres from 'postgres'
import { DEFAULT_DATABASE_SCHEMA } from '../config.js'
import { abortable, StartAbortedError, StartupError } from '../startupError.js'
import { databaseProblem } from './connectionProblem.js'
import type { Database } from './database.js'
import { openEmbeddedDatabase } from './embedded.js'

export interface ConnectOptions {
  databaseUrl: string | undefined
  dataDir: string
  /** Pool size for a PostgreSQL server; the embedded database always uses one connection. */
  maxConnections?: number
  /** The schema of the service's tables (`DATABASE_SCHEMA`); every connection's search_path. */
  databaseSchema?: string
}

export async function connectDatabase({
  databaseUrl,
  dataDir,
  maxConnections = 10,
  databaseSchema = DEFAULT_DATABASE_SCHEMA,
}: ConnectOptions): Promise<Database> {
  if (databaseUrl === undefined) return openEmbeddedDatabase(dataDir, databaseSchema)
  const sql = postgres(databaseUrl, {
    max: maxConnections,
    // A startup parameter, so every connection of the pool (and every reconnect) has it; the
    // schema itself is made by the migrations (src/db/migrate.ts), and until then it is skipped.
    connection: { search_path: databaseSchema },
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
    schema: databaseSchema,
    capabilities: { supportsListen: true, sharedAcrossProcesses: true },
    description: describeUrl(databaseUrl),
    close: ({ timeoutSeconds = 5 } = {}) => (closing ??= sql.end({ timeout: timeoutSeconds })),
  }
}

export interface OpenOptions extends ConnectOptions {
  /** How long a server may take to answer a first query (DATABASE_CONNECT_TIMEOUT_SECONDS). */
  connectTimeoutMs?: number
  /** Aborts the opening (SIGINT/SIGTERM during start-up): rejects at once, closes what opened. */
  signal?: AbortSignal
}

/**
 * Opens the database and makes sure it answers: `StartupError` naming `DATABASE_URL` (or
 * `DATA_DIR`) when it cannot be used, `StartAbortedError` when `signal` aborts first.
 */
export async function openDatabase({ connectTimeoutMs = 5000, signal, ...options }: OpenOptions): Promise<Database> {
  if (options.databaseUrl === undefined) {
    await ensureWritableDataDir(options.dataDir)
    return abortable(connectDatabase(options), signal, (late) => late.close())
  }
  const databaseUrl = options.databaseUrl
  const db = await connectDatabase(options)
  const started = Date.now()
  let timer: NodeJS.Timeout | undefined
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(Object.assign(new Error('timeout'), { code: 'TIMEOUT' })), connectTimeoutMs)
  })
  try {
    await abortable(Promise.race([db.sql`select 1`.execute(), deadline]), signal)
    return db
  } catch (error) {
    // A pool still trying to connect is cut off, not waited for.
    await db.close({ timeoutSeconds: 0 }).catch(() => {})
    if (error instanceof StartAbortedError) throw error
    throw databaseProblem(error, databaseUrl, Date.now() - started)
  } finally {
    clearTimeout(timer)
  }
}

/**
 * The embedded database, its lock and the development secret live in DATA_DIR: a folder that
 * cannot be created or written is named here rather than as an errno from deep in PGlite.
 */
export async function ensureWritableDataDir(dataDir: string): Promise<void> {
  const probe = path.join(dataDir, `.write-test-${process.pid}`)
  try {
    await fs.mkdir(dataDir, { recursive: true })
    await fs.writeFile(probe, '')
    await fs.rm(probe, { force: true })
  } catch (error) {
    const { code } = error as NodeJS.ErrnoException
    throw new StartupError(
      'DATA_DIR',
      `DATA_DIR=${dataDir} is not a writable folder (${code ?? String(error)}): the embedded database keeps ` +
        'its files there; point DATA_DIR at a folder this user may write, or set DATABASE_URL',
      { cause: error },
    )
  }
}

/** `postgres://user@host:port/db`, without the password, for logs. */
function describeUrl(databaseUrl: string): string {
  const url = new URL(databaseUrl)
  url.password = ''
  return `postgres ${url.host}${url.pathname}`
}
