/**
 * Spawns the real server exactly as the Procfile's `web:` line does (`node dist/src/main.js`, run
 * with node directly: no npm, no shell, so signals reach the server itself), against a test
 * database, and gives back what a process-level test needs: the parsed JSON log lines,
 * `waitForLog(predicate)`, `kill(signal)`, the exit (code, signal, time) and an HTTP helper with a
 * minted token. The tests wait on log lines, never on sleeps.
 *
 * The compiled output must exist: `npm test` builds it first (`pretest`); run `npm run build`
 * before running a process test on its own.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import fs from 'node:fs'
import net from 'node:net'
import path from 'node:path'
import type { Scope } from '../../src/auth/scopes.js'
import { mintToken } from '../../src/auth/devToken.js'
import { connectDatabase } from '../../src/db/connect.js'
import { projectRoot } from '../../src/support/projectRoot.js'
import type { Database } from '../../src/db/database.js'
import { after, afterEach } from 'node:test'
import type { DatabaseTarget, TestDatabase } from './databases.js'
import { TEST_AUDIENCE, TEST_SECRET } from './service.js'
import { TEST_NODE_FLAGS } from './nodeFlags.js'

/** The repository's root, whether this file runs from test/ or compiled into dist/test/. */
export const PROJECT_ROOT = projectRoot()

/**
 * How long after its grace deadline a stopped server may take to exit: the teardown after the
 * deadline (closing the database, the last log lines) plus the scheduling delay of a loaded machine
 * (two test files on two cores). The jobs these tests stop would run for minutes, so an exit at all
 * shows the deadline works; the margin bounds how late the exit may come.
 */
export const EXIT_MARGIN_MS = 4000

export type LogRecord = Record<string, unknown> & { msg?: string; level?: number; time?: number }

/**
 * Milliseconds since the epoch that never jump: the wall clock at this process's start plus the
 * monotonic time since. A duration asserted against a budget (SIGTERM → exit) must not take in a
 * step of the wall clock: this machine's was seen to jump 6 s forward inside a 5 s test, which
 * "exited 11,334 ms after SIGTERM". Still comparable with the servers' log times (`time`, their
 * `Date.now()`) to within the clocks' drift since the start, which a filter by "after the signal" can take.
 */
export function monotonicNow(): number {
  return performance.timeOrigin + performance.now()
}

export interface ProcessExit {
  /** The exit code, or null when a signal ended the process. */
  readonly code: number | null
  readonly signal: NodeJS.Signals | null
  /** When the exit was seen, on `monotonicNow`'s clock. */
  readonly at: number
}

export interface ServerProcess {
  readonly pid: number
  /** `http://127.0.0.1:<port>`, from the `job-runner listening` line. */
  readonly url: string
  /** Every JSON line the server wrote to stdout so far, parsed. */
  readonly logs: LogRecord[]
  /** Lines that were not JSON (stdout) and everything on stderr. */
  readonly rawOutput: string[]
  readonly exited: Promise<ProcessExit>
  /** True until the exit has been seen. */
  readonly alive: boolean
  /** Resolves with the first line (already written or to come) matching `predicate`. */
  waitForLog(
    predicate: (record: LogRecord) => boolean,
    options?: { timeoutMs?: number; description?: string },
  ): Promise<LogRecord>
  /** Lines whose `msg` equals (string) or matches (RegExp) `message`. */
  logsMatching(message: string | RegExp): LogRecord[]
  /** Sends `signal`; returns when, on `monotonicNow`'s clock (subtract it from `exited`'s `at`). */
  kill(signal: NodeJS.Signals): number
  token(options?: { sub?: string; scopes?: Scope[] }): Promise<string>
  /** fetch against the server with a bearer token (default sub `alice`, every scope); `token: null` sends none. */
  request(
    path: string,
    init?: RequestInit & { sub?: string; scopes?: Scope[]; token?: string | null },
  ): Promise<Response>
  /** SIGKILLs the process if it still runs and waits for its exit: for after() hooks. */
  dispose(): Promise<void>
}

export interface SpawnServerOptions {
  /** Safety net for start-up (a cold PGlite takes a few seconds on 2 cores). */
  startTimeoutMs?: number
}

/** The Procfile's `web:` command, split into words: `['node', 'dist/src/main.js']`. */
export function procfileWebCommand(): string[] {
  const procfile = fs.readFileSync(path.join(PROJECT_ROOT, 'Procfile'), 'utf8')
  const line = procfile.split('\n').find((l) => /^web:/.test(l))
  if (!line) throw new Error('the Procfile has no web: line')
  const words = line.replace(/^web:/, '').trim().split(/\s+/)
  if (words[0] !== 'node') throw new Error(`the Procfile's web: line must run node directly, got: ${line}`)
  return words
}

/** Starts the server from the Procfile's web command against `database`; resolves once it listens. */
export async function spawnServer(
  database: TestDatabase,
  env: Record<string, string> = {},
  { startTimeoutMs = 30_000 }: SpawnServerOptions = {},
): Promise<ServerProcess> {
  const [, ...args] = procfileWebCommand()
  const script = args.find((arg) => !arg.startsWith('-'))
  if (script === undefined) throw new Error('the Procfile web: line names no script')
  if (!fs.existsSync(path.join(PROJECT_ROOT, script))) {
    throw new Error(
      `${script} is missing: the process tests run the compiled server; run \`npm run build\` first (npm test does it as pretest)`,
    )
  }
  const child = spawn(process.execPath, [...TEST_NODE_FLAGS, ...args], {
    cwd: PROJECT_ROOT,
    // A clean environment: only what the server needs, so the caller's DATABASE_URL or PORT never leaks in.
    env: {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      HOME: process.env.HOME ?? PROJECT_ROOT,
      ...(process.env.TMPDIR ? { TMPDIR: process.env.TMPDIR } : {}),
      PORT: '0',
      JWT_SECRET: TEST_SECRET,
      LOG_LEVEL: 'info',
      POLL_INTERVAL_MS: '200',
      RETRY_BASE_MS: '50',
      CHECKPOINT_INTERVAL_SECONDS: '0.2',
      SHUTDOWN_GRACE_SECONDS: '5',
      ...database.env,
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  const server = new SpawnedServer(child)
  try {
    const listening = await server.waitForLog((r) => r.msg === 'job-runner listening', {
      timeoutMs: startTimeoutMs,
      description: 'job-runner listening',
    })
    const url = listening.url
    if (typeof url !== 'string') throw new Error(`the listening line has no url: ${JSON.stringify(listening)}`)
    server.url = url
    return server
  } catch (error) {
    await server.dispose()
    throw error
  }
}

class SpawnedServer implements ServerProcess {
  url = ''
  readonly logs: LogRecord[] = []
  readonly rawOutput: string[] = []
  readonly exited: Promise<ProcessExit>
  alive = true
  private readonly watchers = new Set<() => void>()

  constructor(private readonly child: ChildProcess) {
    this.exited = new Promise((resolve) => {
      child.once('exit', (code, signal) => {
        this.alive = false
        resolve({ code, signal, at: monotonicNow() })
        this.notify()
      })
    })
    readLines(child.stdout!, (line) => {
      let record: LogRecord | undefined
      try {
        const parsed: unknown = JSON.parse(line)
        if (parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed)) record = parsed as LogRecord
      } catch {
        // not a log line (the development banner, say)
      }
      if (record) this.logs.push(record)
      else this.rawOutput.push(line)
      this.notify()
    })
    readLines(child.stderr!, (line) => this.rawOutput.push(`stderr: ${line}`))
  }

  get pid(): number {
    return this.child.pid!
  }

  waitForLog(
    predicate: (record: LogRecord) => boolean,
    { timeoutMs = 20_000, description = 'a matching log line' }: { timeoutMs?: number; description?: string } = {},
  ): Promise<LogRecord> {
    return new Promise((resolve, reject) => {
      let seen = 0
      const check = (): void => {
        for (; seen < this.logs.length; seen++) {
          const record = this.logs[seen]!
          if (predicate(record)) return done(() => resolve(record))
        }
        if (!this.alive)
          done(() => reject(new Error(`the server exited before writing ${description}\n${this.tail()}`)))
      }
      const timer = setTimeout(
        () => done(() => reject(new Error(`no ${description} within ${timeoutMs} ms\n${this.tail()}`))),
        timeoutMs,
      )
      const done = (settle: () => void): void => {
        clearTimeout(timer)
        this.watchers.delete(check)
        settle()
      }
      this.watchers.add(check)
      check()
    })
  }

  logsMatching(message: string | RegExp): LogRecord[] {
    return this.logs.filter((r) =>
      typeof message === 'string' ? r.msg === message : typeof r.msg === 'string' && message.test(r.msg),
    )
  }

  kill(signal: NodeJS.Signals): number {
    const at = monotonicNow()
    if (this.alive) this.child.kill(signal)
    return at
  }

  token({ sub = 'alice', scopes }: { sub?: string; scopes?: Scope[] } = {}): Promise<string> {
    return mintToken({ secret: TEST_SECRET, sub, audience: TEST_AUDIENCE, ...(scopes ? { scopes } : {}) })
  }

  async request(
    urlPath: string,
    {
      sub,
      scopes,
      token: given,
      ...init
    }: RequestInit & { sub?: string; scopes?: Scope[]; token?: string | null } = {},
  ): Promise<Response> {
    const headers = new Headers(init.headers)
    const bearer =
      given === undefined ? await this.token({ ...(sub ? { sub } : {}), ...(scopes ? { scopes } : {}) }) : given
    if (bearer !== null) headers.set('authorization', `Bearer ${bearer}`)
    if (init.body !== undefined && !headers.has('content-type')) headers.set('content-type', 'application/json')
    return fetch(this.url + urlPath, { ...init, headers })
  }

  async dispose(): Promise<void> {
    if (this.alive) this.child.kill('SIGKILL')
    await this.exited
  }

  /** The last lines written, for failure messages. */
  private tail(): string {
    const lines = [...this.logs.slice(-15).map((r) => JSON.stringify(r)), ...this.rawOutput.slice(-15)]
    return `last output of pid ${this.child.pid}:\n  ${lines.join('\n  ')}`
  }

  private notify(): void {
    for (const watcher of [...this.watchers]) watcher()
  }
}

function readLines(stream: NodeJS.ReadableStream, onLine: (line: string) => void): void {
  let buffered = ''
  stream.setEncoding('utf8')
  stream.on('data', (chunk: string) => {
    buffered += chunk
    let newline: number
    while ((newline = buffered.indexOf('\n')) >= 0) {
      const line = buffered.slice(0, newline)
      buffered = buffered.slice(newline + 1)
      if (line.trim()) onLine(line)
    }
  })
  stream.on('end', () => {
    if (buffered.trim()) onLine(buffered)
  })
}

/**
 * Opens the test database from this process (for PGlite only once no server holds DATA_DIR: after
 * its exit, or after a SIGKILL, whose stale lock is taken over), runs `use`, and closes it.
 */
export async function withDatabase<T>(database: TestDatabase, use: (db: Database) => Promise<T>): Promise<T> {
  const db = await connectDatabase({ databaseUrl: database.databaseUrl, dataDir: database.dataDir, maxConnections: 2 })
  try {
    return await use(db)
  } finally {
    await db.close()
  }
}

/** The raw rows of job_runner_jobs, as the tests check them after an exit. */
export interface JobRowSummary {
  id: string
  type: string
  state: string
  attempts: number
  interruptions: number
  checkpoint: Record<string, unknown> | null
  result: Record<string, unknown> | null
  lease_owner: string | null
  lease_expires_at: Date | null
}

export function readJobRows(database: TestDatabase): Promise<JobRowSummary[]> {
  return withDatabase(database, async (db) => {
    const rows = await db.sql<JobRowSummary[]>`
      select id::text as id, type, state, attempts, interruptions, checkpoint, result, lease_owner, lease_expires_at
      from job_runner.job_runner_jobs order by id`
    return [...rows]
  })
}

/** The job as GET /v1/jobs/{id} shows it, loosely typed for assertions. */
export interface ApiJob {
  id: string
  type: string
  queue: string
  state: string
  attempts: number
  interruptions: number
  checkpoint: Record<string, number> | null
  result: Record<string, number> | null
  error: string | null
}

/** POST /v1/jobs; fails the test unless it answers 202. */
export async function enqueueJob(
  server: ServerProcess,
  body: { type: string; payload: unknown; queue?: string; callback?: { url: string; events?: string[] } },
): Promise<ApiJob> {
  const response = await server.request('/v1/jobs', { method: 'POST', body: JSON.stringify(body) })
  if (response.status !== 202) throw new Error(`POST /v1/jobs answered ${response.status}: ${await response.text()}`)
  return (await response.json()) as ApiJob
}

/**
 * Long-polls GET /v1/jobs/{id}?wait= (with If-None-Match) until `predicate` holds; no sleeps. The
 * timeout is a safety net only.
 */
export async function waitForJob(
  server: ServerProcess,
  id: string,
  predicate: (job: ApiJob) => boolean,
  { timeoutMs = 30_000, description = 'the expected job state' } = {},
): Promise<ApiJob> {
  const deadline = Date.now() + timeoutMs
  let etag: string | undefined
  let job: ApiJob | undefined
  while (Date.now() < deadline) {
    const wait =
      etag === undefined ? '' : `?wait=${Math.max(1, Math.min(5, Math.ceil((deadline - Date.now()) / 1000)))}`
    const response = await server.request(
      `/v1/jobs/${id}${wait}`,
      etag === undefined ? {} : { headers: { 'if-none-match': etag } },
    )
    if (response.status === 304) continue
    if (response.status !== 200)
      throw new Error(`GET /v1/jobs/${id} answered ${response.status}: ${await response.text()}`)
    etag = response.headers.get('etag') ?? undefined
    job = (await response.json()) as ApiJob
    if (predicate(job)) return job
  }
  throw new Error(`job ${id} did not reach ${description} within ${timeoutMs} ms; last seen: ${JSON.stringify(job)}`)
}

/**
 * Sends one keep-alive HTTP/1.1 request on a raw socket and reports what came back and whether the
 * server then closed the connection (as `Connection: close` promises) within `timeoutMs`.
 */
export async function keepAliveRequest(
  url: string,
  urlPath: string,
  { timeoutMs = 3000 } = {},
): Promise<{ response: string; closedByServer: boolean }> {
  const { hostname, port } = new URL(url)
  const socket = net.connect(Number(port), hostname)
  let response = ''
  socket.setEncoding('utf8')
  socket.on('data', (chunk: string) => (response += chunk))
  socket.on('error', () => {})
  const closedByServer = await new Promise<boolean>((resolve) => {
    const timer = setTimeout(() => resolve(false), timeoutMs)
    socket.once('end', () => {
      clearTimeout(timer)
      resolve(true)
    })
    socket.once('close', () => {
      clearTimeout(timer)
      resolve(response.length > 0)
    })
    socket.write(`GET ${urlPath} HTTP/1.1\r\nHost: ${hostname}:${port}\r\nConnection: keep-alive\r\n\r\n`)
  })
  socket.destroy()
  return { response, closedByServer }
}

/**
 * The servers and databases of one describe block: every server a test spawns is disposed after
 * that test, every database after the block. Call it inside the describe.
 */
export function processFixture(target: DatabaseTarget): {
  spawn: (database: TestDatabase, env?: Record<string, string>) => Promise<ServerProcess>
  createDatabase: () => Promise<TestDatabase>
} {
  const servers: ServerProcess[] = []
  const databases: TestDatabase[] = []
  afterEach(async () => {
    await Promise.all(servers.splice(0).map((server) => server.dispose()))
  })
  after(async () => {
    await Promise.all(servers.splice(0).map((server) => server.dispose()))
    await Promise.all(databases.splice(0).map((database) => database.cleanup()))
  })
  return {
    async spawn(database, env = {}) {
      const server = await spawnServer(database, env)
      servers.push(server)
      return server
    },
    async createDatabase() {
      const database = await target.create()
      databases.push(database)
      return database
    },
  }
}
