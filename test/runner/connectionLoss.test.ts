/**
 * Losing the database connections while jobs run. The service runs as a real process (`src/main.ts`)
 * against PostgreSQL; an admin connection terminates every other backend of the database, again and
 * again for a while, as a failover or a network cut would. The process must stay up, and every job
 * must still succeed once the database answers again. PostgreSQL only (PGlite has no server whose
 * connections could be cut); skipped, saying so, without TEST_DATABASE_URL.
 *
 * A real process rather than an in-process service: the guarantee is about the process, and
 * postgres.js 3.4.9 leaks an unhandled rejection when a connection dies while it fetches array types
 * (porsager/postgres#1192), which main.ts logs instead of crashing but which node:test would count
 * against an in-process test.
 */
import { it, before, after } from 'node:test'
import { describeOrSkip } from '../support/describeOrSkip.js'
import assert from 'node:assert/strict'
import { spawn, type ChildProcess } from 'node:child_process'
import { once } from 'node:events'
import { createInterface } from 'node:readline'
import { setTimeout as sleep } from 'node:timers/promises'
import postgres from 'postgres'
import { postgresOnly, skipWithoutPostgres, type TestDatabase } from '../support/databases.js'
import { TEST_SECRET } from '../support/service.js'
import { procfileWebCommand } from '../support/process.js'
import { mintToken } from '../../src/auth/devToken.js'
import { projectRoot } from '../../src/support/projectRoot.js'
import type { Job } from '../../src/queue/job.js'
import { TEST_NODE_FLAGS } from '../support/nodeFlags.js'

const COUNT_JOBS = 9
const OUTAGE_MS = 1500

const target = postgresOnly()
describeOrSkip(
  'losing the PostgreSQL connection while running',
  { skip: skipWithoutPostgres(), timeout: 90_000 },
  () => {
    let database: TestDatabase
    let admin: postgres.Sql
    let child: ChildProcess | undefined
    let exited: Promise<unknown> = Promise.resolve()
    const logLines: string[] = []

    before(async () => {
      database = await target!.create()
      admin = postgres(database.databaseUrl!, { max: 1, onnotice: () => {} })
    })

    after(async () => {
      if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL')
      await exited
      await admin?.end()
      await database?.cleanup()
    })

    /** Starts the server as the Procfile does (the compiled `src/main.ts`) and resolves with its URL once it listens. */
    async function startProcess(): Promise<string> {
      const started = spawn(process.execPath, [...TEST_NODE_FLAGS, ...procfileWebCommand().slice(1)], {
        cwd: projectRoot(),
        env: {
          PATH: process.env.PATH,
          DATABASE_URL: database.databaseUrl,
          DATA_DIR: database.dataDir,
          JWT_SECRET: TEST_SECRET,
          PORT: '0',
          CONCURRENCY: '5',
          LEASE_SECONDS: '5',
          POLL_INTERVAL_MS: '200',
          RETRY_BASE_MS: '50',
          CHECKPOINT_INTERVAL_SECONDS: '0.2',
          SHUTDOWN_GRACE_SECONDS: '5',
          LOG_LEVEL: 'info',
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      })
      child = started
      exited = once(started, 'exit')
      started.stderr!.on('data', (chunk: Buffer) => logLines.push(chunk.toString('utf8')))
      const lines = createInterface({ input: started.stdout! })
      return new Promise((resolve, reject) => {
        started.once('exit', (code) =>
          reject(new Error(`the service exited with ${code} before listening:\n${logLines.join('\n')}`)),
        )
        lines.on('line', (line) => {
          logLines.push(line)
          const record = parse(line)
          if (record?.msg === 'job-runner listening' && typeof record.url === 'string') resolve(record.url)
        })
      })
    }

    it('keeps the process up and finishes every job once the database is back', async () => {
      const url = await startProcess()
      const token = await mintToken({ secret: TEST_SECRET, sub: 'alice', audience: 'job-runner' })
      const api = async (path: string, { headers, ...init }: RequestInit = {}): Promise<Response> =>
        fetch(url + path, {
          ...init,
          headers: {
            authorization: `Bearer ${token}`,
            'content-type': 'application/json',
            ...(headers as Record<string, string>),
          },
        })
      /** Long-polls job `id` (through the outage's aftermath) until `accept` says yes. */
      const pollJob = async (id: string, accept: (job: Job) => boolean): Promise<Job> => {
        let etag: string | undefined
        for (;;) {
          const response = await retryUntilOk(
            () =>
              api(
                etag ? `/v1/jobs/${id}?wait=5` : `/v1/jobs/${id}`,
                etag ? { headers: { 'if-none-match': etag } } : {},
              ),
            child!,
            logLines,
          )
          if (response.status === 304) continue
          assert.equal(response.status, 200)
          etag = response.headers.get('etag') ?? undefined
          const job = (await response.json()) as Job
          if (accept(job)) return job
        }
      }
      const isFinished = (job: Job) => job.state === 'succeeded' || job.state === 'failed' || job.state === 'cancelled'

      const batch = await api('/v1/jobs/batch', {
        method: 'POST',
        body: JSON.stringify({
          jobs: Array.from({ length: COUNT_JOBS }, () => ({ type: 'count', payload: { to: 30, stepMs: 30 } })),
        }),
      })
      assert.equal(batch.status, 202)
      const ids = ((await batch.json()) as { jobs: Job[] }).jobs.map((job) => job.id)
      // Wait until the first job runs and has written a checkpoint.
      await pollJob(ids[0]!, (job) => job.state !== 'queued' && job.checkpoint !== null)

      // The outage: every connection of the service is cut, and cut again as it reconnects.
      let terminated = 0
      const outageEnds = Date.now() + OUTAGE_MS
      while (Date.now() < outageEnds) {
        const rows = await admin`
        select pg_terminate_backend(pid) as ok from pg_stat_activity
        where datname = current_database() and pid <> pg_backend_pid()`
        terminated += rows.filter((r) => r.ok).length
        await sleep(50)
      }
      assert.ok(terminated > 0, 'connections were terminated')

      // The database is back: a new job is taken too, and every job finishes.
      const late = await retryUntilOk(
        () => api('/v1/jobs', { method: 'POST', body: JSON.stringify({ type: 'echo', payload: 'after the outage' }) }),
        child!,
        logLines,
      )
      ids.push(((await late.json()) as Job).id)
      const finished: Job[] = []
      for (const id of ids) finished.push(await pollJob(id, isFinished))
      assert.deepEqual(
        finished.map((job) => job.state),
        ids.map(() => 'succeeded'),
      )
      assert.ok(finished.slice(0, -1).every((job) => (job.result as { counted: number }).counted === 30))
      assert.equal(finished.at(-1)!.result, 'after the outage')
      assert.equal(child!.exitCode, null, 'the process is still running')
      const fatal = logLines
        .map(parse)
        .filter((record) => record?.level === 60 || record?.msg === 'uncaught exception: shutting down')
      assert.deepEqual(fatal, [], 'nothing fatal was logged')

      // And it still shuts down cleanly.
      child!.kill('SIGTERM')
      const [code] = (await exited) as [number | null]
      assert.equal(code, 0, `exit code ${code}; the log's last lines:\n${logLines.slice(-40).join('\n')}`)
    })
  },
)

function parse(line: string): Record<string, unknown> | undefined {
  try {
    return JSON.parse(line) as Record<string, unknown>
  } catch {
    return undefined
  }
}

/**
 * Repeats a request while the service answers 5xx (its pool may still be reconnecting) or the socket
 * fails (a keep-alive connection closed under the request); never once the process has exited.
 */
async function retryUntilOk(
  request: () => Promise<Response>,
  child: ChildProcess,
  logLines: readonly string[],
): Promise<Response> {
  for (let attempt = 0; ; attempt++) {
    const alive = child.exitCode === null && child.signalCode === null
    assert.ok(
      alive,
      `the service exited (${child.exitCode ?? child.signalCode}); its last lines:\n${logLines.slice(-20).join('\n')}`,
    )
    try {
      const response = await request()
      if (response.status < 500 || attempt >= 50) return response
      await response.body?.cancel()
    } catch (error) {
      if (attempt >= 50) throw error
    }
    await sleep(100)
  }
}
