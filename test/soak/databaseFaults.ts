/**
 * The database goes away under a running service, and comes back. The service sits behind a TCP
 * proxy (tcpProxy.ts) so only its own connections are cut; the PostgreSQL server, shared with other
 * suites, is never touched (the `terminate` fault kills only backends of the test's own database).
 *
 * While the database is gone every job request and /readyz answer 503 problem+json with
 * Retry-After within a bound (no hang), /livez answers 200, and the process keeps running. Once it
 * is back, everything resumes unaided: every job enqueued before succeeds, none is lost, and none
 * starts again after it succeeded (watched through the runner's own events, in-process). The
 * runner's failures meanwhile are each counted in /metrics, and work that fails at every turn logs
 * once a minute a kind: a few seconds of outage used to log the same outcome-write error 72 times.
 */
import assert from 'node:assert/strict'
import postgres from 'postgres'
import type { TestDatabase } from '../support/databases.js'
import { REPEATED_FAILURE_WINDOW_MS } from '../../src/support/repeatedFailures.js'
import { expectProblem } from '../support/http.js'
import { parseMetrics, valueOf } from '../support/prometheus.js'
import { startTestService, type TestService } from '../support/service.js'
import { startTcpProxy, type TcpProxy } from './tcpProxy.js'

export type DatabaseFault = 'refuse' | 'blackhole' | 'terminate'

export interface DatabaseFaultOptions {
  database: TestDatabase
  fault: DatabaseFault
  /** Jobs enqueued before the fault (a mix of count, sleep, echo and flaky). */
  jobs: number
  /** Rounds of requests made while the database is gone. */
  rounds: number
  /** A request must be answered within this (a hang fails the scenario). */
  requestBoundMs?: number
}

export async function runDatabaseFault({
  database,
  fault,
  jobs,
  rounds,
  requestBoundMs = 6000,
}: DatabaseFaultOptions): Promise<void> {
  assert.ok(database.databaseUrl, 'database faults need PostgreSQL')
  const upstream = new URL(database.databaseUrl)
  const proxy = await startTcpProxy({ host: upstream.hostname, port: Number(upstream.port || 5432) })
  let service: TestService | undefined
  try {
    service = await startTestService(database, {
      DATABASE_URL: proxy.urlFor(database.databaseUrl),
      LEASE_SECONDS: '2',
      CHECKPOINT_INTERVAL_SECONDS: '0.2',
      RETRY_BASE_MS: '20',
      CONCURRENCY: '8',
      LOG_LEVEL: 'info',
    })
    const watcher = watchRuns(service)
    const token = await service.token({ sub: 'faults' })
    const adminToken = await service.token({ sub: 'faults', scopes: ['jobs:read', 'jobs:write', 'admin'] })
    const ids = await enqueueMix(service, jobs)
    // The target of the reads and the cancel made during the fault: due in a century, never run.
    const target = await service.request('/v1/jobs', {
      token,
      method: 'POST',
      body: JSON.stringify({ type: 'echo', runAt: '2100-01-01T00:00:00Z' }),
    })
    assert.equal(target.status, 202)
    const targetId = ((await target.json()) as { id: string }).id

    // Some jobs are running when the database goes.
    await service.runner.events.waitFor('job:start', () => true)
    const runnerErrors = countRunnerErrors(service)
    const faultStartedAt = Date.now()
    if (fault === 'terminate') {
      await terminateBackends(database.databaseUrl)
    } else {
      if (fault === 'refuse') proxy.refuse()
      else proxy.blackhole()
      proxy.cut()
    }

    const seen: number[] = []
    for (let round = 0; round < rounds; round++) {
      const requests: [string, RequestInit][] = [
        ['/v1/jobs', { method: 'POST', body: JSON.stringify({ type: 'echo', payload: { during: round } }) }],
        ['/v1/jobs?limit=5', {}],
        [`/v1/jobs/${targetId}`, {}],
        [`/v1/jobs/${targetId}?wait=1`, { headers: { 'if-none-match': '"stale"' } }],
        [`/v1/jobs/${targetId}/cancel`, { method: 'POST' }],
        ['/v1/jobs/batch', { method: 'POST', body: JSON.stringify({ jobs: [{ type: 'echo' }] }) }],
      ]
      // All at once, as clients would send them: each must be answered within the bound, and a
      // black-holed round then costs one store timeout rather than one per request.
      const responses = await Promise.all(
        requests.map(([path, init]) => bounded(service!, path, { ...init, token }, requestBoundMs)),
      )
      for (const [index, response] of responses.entries()) {
        const [path] = requests[index]!
        seen.push(response.status)
        // `terminate` heals at once (postgres.js reconnects), so a success is allowed there; never a 500.
        // (A job enqueued then must finish too: the final listing holds it.)
        if (fault === 'terminate' && response.status < 500) {
          await response.body?.cancel()
          continue
        }
        const retryAfter = response.headers.get('retry-after')
        await expectProblem(response, 503)
        assert.match(retryAfter ?? '', /^[0-9]+$/, `${path}: 503 without Retry-After`)
      }
      const ready = await bounded(service, '/readyz', { token: null }, requestBoundMs)
      if (fault === 'terminate' && ready.status === 200) await ready.body?.cancel()
      else await expectProblem(ready, 503)
      const live = await bounded(service, '/livez', { token: null }, requestBoundMs)
      assert.equal(live.status, 200)
      await live.body?.cancel()
      const status = await bounded(service, '/v1/admin/status', { token: adminToken }, requestBoundMs)
      assert.equal(status.status, 200, 'admin status answers without the database')
      await status.body?.cancel()
    }
    assert.ok(
      seen.every((status) => status !== 500),
      `a 500 while the database was gone: ${seen.join(',')}`,
    )
    assert.equal(service.lifecycle.state, 'running', 'the service must not stop because its database went away')

    proxy.restore()
    // Everything resumes unaided: no call to the service but reads.
    const all = await waitForAllFinished(service, adminToken, 60_000)
    for (const id of ids) assert.ok(all.has(id), `job ${id} was lost`)
    for (const [id, job] of all) {
      assert.equal(job.state, 'succeeded', `job ${id} (${job.type}) ended ${job.state}: ${job.error ?? ''}`)
      const rerun = watcher.startedAfterSuccess.get(id)
      assert.equal(rerun, undefined, `job ${id} started again after it succeeded`)
    }
    const ready = await bounded(service, '/readyz', { token: null }, requestBoundMs)
    assert.equal(ready.status, 200, 'ready again once the database is back')
    await ready.body?.cancel()
    // The failures were logged, without a token in any line.
    for (const line of service.logs.lines)
      assert.ok(!line.includes(token.split('.')[2]!), `a log line holds the token: ${line.slice(0, 200)}`)
    await expectRunnerErrorsCountedNotFlooded(service, runnerErrors.stop(), Date.now() - faultStartedAt, adminToken)
    watcher.stop()
  } finally {
    await service?.close()
    await proxy.close()
  }
}

/** Counts the runner's failures from its own events until `stop()`, which answers the count. */
function countRunnerErrors(service: TestService): { stop(): number } {
  let count = 0
  const off = service.runner.events.on('runner:error', () => count++)
  return {
    stop() {
      off()
      return count
    },
  }
}

/** Log lines of work that fails at every turn while the database is gone (src/support/repeatedFailures.ts). */
const REPEATING =
  /^(runner error during |bulk actions: looking for work failed|webhook deliveries: a claim or a write failed)/

/**
 * The failures over `elapsedMs`: each of the `failures` the runner reported counts in
 * job_runner_runner_errors_total, and each kind of failure that repeats at every turn (what failed,
 * and its message) has at most one log line a minute.
 */
async function expectRunnerErrorsCountedNotFlooded(
  service: TestService,
  failures: number,
  elapsedMs: number,
  adminToken: string,
): Promise<void> {
  const lines = new Map<string, number>()
  for (const line of service.logs.lines) {
    const entry = JSON.parse(line) as { msg?: string; err?: { message?: string } }
    if (!entry.msg || !REPEATING.test(entry.msg)) continue
    const kind = `${entry.msg.replace(/ \([0-9]+ more like it.*$/, '')}: ${entry.err?.message}`
    lines.set(kind, (lines.get(kind) ?? 0) + 1)
  }
  const allowed = 1 + Math.floor(elapsedMs / REPEATED_FAILURE_WINDOW_MS)
  for (const [kind, count] of lines)
    assert.ok(count <= allowed, `"${kind}" logged ${count} times in ${Math.round(elapsedMs / 1000)} s`)
  const metrics = parseMetrics(await (await service.request('/metrics', { token: adminToken })).text())
  const counted = valueOf(metrics, 'job_runner_runner_errors_total') ?? 0
  // Failures before the fault count too (none are expected; at least every one seen since).
  assert.ok(counted >= failures, `job_runner_runner_errors_total ${counted}, runner:error events ${failures}`)
}

/** Records, per job, a `job:start` seen after a `job:settled` succeeded for it. */
function watchRuns(service: TestService): { startedAfterSuccess: Map<string, number>; stop(): void } {
  const succeeded = new Set<string>()
  const startedAfterSuccess = new Map<string, number>()
  const offs = [
    service.runner.events.on('job:settled', ({ job, outcome }) => {
      if (outcome === 'succeeded') succeeded.add(job.id)
    }),
    service.runner.events.on('job:start', ({ job }) => {
      if (succeeded.has(job.id)) startedAfterSuccess.set(job.id, Date.now())
    }),
  ]
  return { startedAfterSuccess, stop: () => offs.forEach((off) => off()) }
}

async function enqueueMix(service: TestService, count: number): Promise<string[]> {
  const jobs = Array.from({ length: count }, (_, i) => {
    switch (i % 4) {
      case 0:
        return { type: 'count', payload: { to: 40, stepMs: 25 } }
      case 1:
        return { type: 'sleep', payload: { ms: 300 } }
      case 2:
        return { type: 'flaky', payload: { failTimes: 1 }, maxAttempts: 10 }
      default:
        return { type: 'echo', payload: { i } }
    }
  })
  const response = await service.request('/v1/jobs/batch', {
    sub: 'faults',
    method: 'POST',
    body: JSON.stringify({ jobs }),
  })
  assert.equal(response.status, 202, await response.clone().text())
  const body = (await response.json()) as { jobs: { id: string }[] }
  return body.jobs.map((job) => job.id)
}

/** A request that must be answered within `boundMs`: a hang fails with a clear message. */
async function bounded(
  service: TestService,
  path: string,
  init: RequestInit & { token?: string | null },
  boundMs: number,
): Promise<Response> {
  const started = Date.now()
  try {
    return await service.request(path, { ...init, signal: AbortSignal.timeout(boundMs) })
  } catch (error) {
    throw new Error(
      `${init.method ?? 'GET'} ${path} was not answered within ${boundMs} ms (waited ${Date.now() - started} ms): ${String(error)}`,
    )
  }
}

interface ListedJob {
  id: string
  type: string
  state: string
  error: string | null
  runAt: string | null
}

/** Pages through every job (admin) until none is queued or running; long-polls nothing, re-lists on change. */
async function waitForAllFinished(
  service: TestService,
  adminToken: string,
  timeoutMs: number,
): Promise<Map<string, ListedJob>> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const all = new Map<string, ListedJob>()
    let cursor: string | null = null
    let failed = false
    do {
      const response = await service.request(`/v1/jobs?limit=100${cursor ? `&cursor=${cursor}` : ''}`, {
        token: adminToken,
      })
      if (response.status !== 200) {
        failed = true
        await response.body?.cancel()
        break
      }
      const page = (await response.json()) as { jobs: ListedJob[]; nextCursor: string | null }
      for (const job of page.jobs) all.set(job.id, job)
      cursor = page.nextCursor
    } while (cursor)
    // Jobs due in the far future (the fault's read targets) are not expected to finish.
    for (const [id, job] of all) if (job.runAt !== null && Date.parse(job.runAt) > Date.now() + 3600_000) all.delete(id)
    const pending = [...all.values()].filter((job) => job.state === 'queued' || job.state === 'running')
    if (!failed && pending.length === 0) return all
    if (Date.now() > deadline)
      assert.fail(`jobs still unfinished after the database came back: ${JSON.stringify(pending.slice(0, 5))}`)
    // Wakes on the next settlement (a safety-net timer re-lists anyway: a job may settle on another path).
    await Promise.race([
      service.runner.events.waitFor('job:settled', () => true),
      new Promise((resolve) => setTimeout(resolve, 500).unref()),
    ])
  }
}

/** Terminates the backends of the test's own database only (never another database's). */
async function terminateBackends(databaseUrl: string): Promise<number> {
  const name = new URL(databaseUrl).pathname.slice(1)
  assert.match(name, /^job_runner_test_[0-9a-f]+$/, 'only a test database may have its backends terminated')
  const admin = postgres(databaseUrl, { max: 1, onnotice: () => {} })
  try {
    const rows =
      await admin`select pg_terminate_backend(pid) as done from pg_stat_activity where datname = ${name} and pid <> pg_backend_pid()`
    return rows.length
  } finally {
    await admin.end()
  }
}

export type { TcpProxy }
