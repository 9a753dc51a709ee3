/**
 * P1bb, P1 from the outside (issue 24): ours started as production runs it (`node dist/src/main.js`,
 * CONCURRENCY 10), 50,000 `echo` jobs enqueued through `POST /v1/jobs/batch` (1,000 a request, the
 * route's maximum) with one common `runAt` a few seconds ahead, the drain read from the rows: first
 * `started_at` to last `finished_at`. graphile-worker tuned gets the same jobs with the same `run_at`
 * (bench/graphileBlackBox.mjs). Beside them, to take the difference apart, each run also drains:
 *
 * - `ours-bb-now`: the same HTTP enqueue into an instance serving another queue, then a fresh instance
 *   that serves the jobs' queue (no future `runAt`: the jobs are runnable when it starts);
 * - `ours-svc-pre`: P1's enqueue (JobStore, batches of 1,000, no HTTP), then the same fresh instance;
 * - `ours-p1` and `graphile-p1`: P1 itself (bench/ours.ts and bench/peers.mjs `drain`), ours also read
 *   from its rows.
 *
 * The index shape (sizes, leaf density) is read after each enqueue. Configurations run interleaved,
 * run after run.
 */
import path from 'node:path'
import { spawn } from 'node:child_process'
import { benchDir, loadAverage, log, median, mintToken, processCpuMs, startServiceProcess, stop } from './harness.mjs'
import { drainWindow, formatRate, indexShape, waitFinished } from './drainWindow.mjs'
import { databaseOf, describeStatements, statementLog } from './statementLog.mjs'

export const P1BB_CONFIGS = ['ours-bb', 'graphile-bb', 'ours-bb-now', 'ours-svc-pre', 'ours-p1', 'graphile-p1']
const BATCH = 1000

/** Enqueues `total` echo jobs through `POST /v1/jobs/batch`, `inFlight` requests at a time. */
export async function enqueueOverHttp(url, token, total, { runAt, inFlight = 2 } = {}) {
  const job = runAt === undefined ? { type: 'echo', payload: {} } : { type: 'echo', payload: {}, runAt }
  let next = 0
  const worker = async () => {
    while (next < total) {
      const n = Math.min(BATCH, total - next)
      next += n
      const response = await fetch(`${url}/v1/jobs/batch`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ jobs: Array.from({ length: n }, () => job) }),
      })
      if (response.status !== 202)
        throw new Error(`POST /v1/jobs/batch answered ${response.status}: ${await response.text()}`)
      await response.arrayBuffer()
    }
  }
  const started = performance.now()
  await Promise.all(Array.from({ length: inFlight }, worker))
  return performance.now() - started
}

export async function p1BlackBox(ctx) {
  const { results, runs, jobs, smoke, args, urls, reset, child } = ctx
  const configs = String(args['bb-configs'] ?? (smoke ? 'ours-bb,graphile-bb' : P1BB_CONFIGS.join(',')))
    .split(',')
    .filter(Boolean)
  const leadMs = Number(args['bb-lead'] ?? (smoke ? 2 : 8)) * 1000
  const timeCapMs = Number(args['time-cap'] ?? 60_000)
  const figure = (results.figures.P1bb = {})
  const token = await mintToken()
  const concurrency = 10
  const env = { DATABASE_URL: urls.ours, CONCURRENCY: String(concurrency) }

  /** Waits for the drain, then reads it from the rows; the service's CPU counts from `cpuFrom` (or now) to the end. */
  const oursFromRows = async (service, extra, cpuFrom) => {
    const cpuBefore = cpuFrom ?? (await processCpuMs(service.proc.pid))
    const wait = await waitFinished(urls.ours, jobs, { timeoutMs: timeCapMs })
    const cpuAfter = await processCpuMs(service.proc.pid)
    await stop(service.proc, 'SIGTERM')
    const window = await drainWindow(urls.ours)
    if (wait.timedOut || window.succeeded !== jobs)
      throw new Error(`ours drained ${window.succeeded} of ${jobs} (timed out: ${wait.timedOut})`)
    return { ...window, ...extra, cpuUsPerJob: ((cpuAfter - cpuBefore) * 1000) / jobs }
  }

  const drains = {
    async 'ours-bb'() {
      await reset('ours')
      const service = await startServiceProcess(env)
      const runAtMs = Date.now() + leadMs
      const enqueueMs = await enqueueOverHttp(service.url, token, jobs, { runAt: new Date(runAtMs).toISOString() })
      const enqueuedAtMs = Date.now()
      const cpuFrom = await processCpuMs(service.proc.pid)
      // Read only while there is time before the jobs become due, so that it never overlaps the drain.
      const shape = runAtMs - Date.now() > 1500 ? await indexShape(urls.ours) : undefined
      const r = await oursFromRows(
        service,
        { enqueueMs, enqueueOverlapped: enqueuedAtMs > runAtMs, indexShape: shape },
        cpuFrom,
      )
      return { ...r, startLagMs: r.firstStartMs - runAtMs, indexShapeAfterDrain: await indexShape(urls.ours) }
    },
    async 'graphile-bb'() {
      await reset('graphile')
      return runScript(path.join(benchDir, 'graphileBlackBox.mjs'), {
        databaseUrl: urls.graphile,
        jobs,
        concurrency,
        runAtMs: Date.now() + leadMs,
        timeCapMs,
      })
    },
    async 'ours-bb-now'() {
      await reset('ours')
      const enqueuer = await startServiceProcess({ ...env, QUEUES: 'nobody' })
      const enqueueMs = await enqueueOverHttp(enqueuer.url, token, jobs)
      await stop(enqueuer.proc, 'SIGTERM')
      const shape = await indexShape(urls.ours)
      return oursFromRows(await startServiceProcess(env), { enqueueMs, indexShape: shape })
    },
    async 'ours-svc-pre'() {
      await reset('ours')
      const { enqueueMs } = await child('ours', 'enqueue', { databaseUrl: urls.ours, jobs })
      const shape = await indexShape(urls.ours)
      return oursFromRows(await startServiceProcess(env), { enqueueMs, indexShape: shape })
    },
    async 'ours-p1'() {
      await reset('ours')
      const r = await child('ours', 'drain', { databaseUrl: urls.ours, jobs, concurrency, timeCapMs })
      const window = await drainWindow(urls.ours)
      return { ...window, harnessJobsPerSec: r.jobsPerSec, enqueueMs: r.enqueueMs, cpuUsPerJob: r.cpuUsPerJob }
    },
    async 'graphile-p1'() {
      await reset('graphile')
      const r = await child('graphile-tuned', 'drain', { databaseUrl: urls.graphile, jobs, concurrency, timeCapMs })
      return { ...r, harnessJobsPerSec: r.jobsPerSec }
    },
  }

  for (let run = 0; run < runs; run++) {
    for (const config of configs) {
      const drain = drains[config]
      if (!drain) throw new Error(`--bb-configs: unknown ${config} (one of ${P1BB_CONFIGS.join(', ')})`)
      const loadBefore = loadAverage()
      // A diagnosis only (--log-statements): logging every statement slows the drain.
      const statements =
        args['log-statements'] && config.startsWith('ours')
          ? await statementLog(databaseOf(urls.ours), { plans: args['log-plans'] === true, logPath: args['pg-log'] })
          : undefined
      const r = { ...(await drain().finally(() => statements?.stop())), loadAverage: loadBefore }
      if (statements) r.statements = await statements.read(r.firstStartMs - 1, r.lastFinishMs + 1)
      ;(figure[config] ??= []).push(r)
      const ramp = r.rampUp
      log(
        'P1bb',
        `run ${run + 1}`,
        config,
        `${r.jobsPerSec.toFixed(0)} jobs/s (${r.elapsedMs.toFixed(0)} ms)`,
        r.harnessJobsPerSec === undefined ? '' : `P1's own measure ${r.harnessJobsPerSec.toFixed(0)}`,
        ramp ? `first 0.5 s ${ramp.firstHalfSecondJobsPerSec} jobs/s, steady ${formatRate(ramp.steadyJobsPerSec)}` : '',
        r.enqueueMs === undefined
          ? ''
          : `enqueue ${r.enqueueMs.toFixed(0)} ms${r.enqueueOverlapped ? ' (OVERLAPPED the runAt)' : ''}`,
        r.cpuUsPerJob === undefined ? '' : `worker CPU ${r.cpuUsPerJob.toFixed(1)} µs/job`,
        `load ${loadBefore}`,
        ...(r.statements ? ['\n' + describeStatements(r.statements, { jobs }).join('\n')] : []),
      )
    }
  }
}

/** Runs a bench script that prints one `RESULT {json}` line. */
function runScript(file, params) {
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, [file, JSON.stringify(params)], { stdio: ['ignore', 'pipe', 'pipe'] })
    let out = ''
    let err = ''
    proc.stdout.on('data', (d) => (out += d))
    proc.stderr.on('data', (d) => (err += d))
    proc.on('exit', (code) => {
      const line = out.split('\n').find((l) => l.startsWith('RESULT '))
      if (code !== 0 || !line) reject(new Error(`${file} exited ${code}: ${err.slice(-2000)}`))
      else resolve(JSON.parse(line.slice(7)))
    })
  })
}

export function summarizeP1bb(byConfig) {
  const lines = [
    '### P1bb black box: 50,000 echo jobs, c=10, first start → last finish',
    '',
    '| config | jobs/s median (runs) | ÷ graphile-bb (median of per-run ratios) | first 0.5 s jobs/s | steady jobs/s | ms to 1,000 finished | worker CPU µs/job | enqueue ms | load avg |',
    '|---|---|---|---|---|---|---|---|---|',
  ]
  const fmt = (x, d = 0) => (typeof x !== 'number' || Number.isNaN(x) ? '–' : x.toFixed(d))
  const peer = byConfig['graphile-bb']
  for (const [config, rs] of Object.entries(byConfig)) {
    const ratio = peer ? median(rs.map((r, i) => r.jobsPerSec / peer[i]?.jobsPerSec)) : NaN
    lines.push(
      `| ${config} | ${fmt(median(rs.map((r) => r.jobsPerSec)))} (${rs.map((r) => fmt(r.jobsPerSec)).join(', ')}) | ${fmt(ratio, 2)} | ${fmt(
        median(rs.map((r) => r.rampUp?.firstHalfSecondJobsPerSec)),
      )} | ${fmt(median(rs.map((r) => r.rampUp?.steadyJobsPerSec)))} | ${fmt(
        median(rs.map((r) => r.rampUp?.msTo1000Finished)),
      )} | ${fmt(median(rs.map((r) => r.cpuUsPerJob)), 1)} | ${fmt(median(rs.map((r) => r.enqueueMs)))} | ${rs
        .map((r) => r.loadAverage)
        .join(', ')} |`,
    )
  }
  const oursP1 = byConfig['ours-p1']
  if (oursP1?.[0]?.harnessJobsPerSec !== undefined)
    lines.push(
      '',
      `ours-p1 by P1's own measure (runner start → last settled): ${oursP1.map((r) => fmt(r.harnessJobsPerSec)).join(', ')} jobs/s`,
    )
  const bb = byConfig['ours-bb']?.[0]
  if (bb?.firstClaims)
    lines.push(
      '',
      `ours-bb run 1, first claims (ms after the first, rows): ${bb.firstClaims.map((c) => `${c.afterMs}:${c.rows}`).join(' ')}`,
    )
  for (const config of ['ours-bb', 'ours-bb-now', 'ours-svc-pre']) {
    const shape = byConfig[config]?.find((r) => r.indexShape)?.indexShape
    if (!shape) continue
    lines.push(
      '',
      `${config} indexes after the enqueue (kB, leaf density %): ` +
        Object.entries(shape.indexes)
          .map(([name, s]) => `${name} ${s.kB}${s.leafDensity === undefined ? '' : ` (${fmt(s.leafDensity)} %)`}`)
          .join(', '),
    )
  }
  lines.push('')
  return lines
}
