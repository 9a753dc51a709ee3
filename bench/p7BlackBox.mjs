/**
 * P7bb, P7 from the outside (issue 24): the service as a user runs it on a bare machine, with no
 * `DATABASE_URL` (`node dist/src/main.js`, embedded PGlite in a `DATA_DIR` of its own, CONCURRENCY 10),
 * `echo` jobs enqueued through `POST /v1/jobs/batch` with one common `runAt` ahead of the enqueue's
 * end, the drain read from the rows (first `started_at` → last `finished_at`, as P1bb reads them); then
 * restarts on the folder the drain left: spawn → first 200 from `/readyz`.
 *
 * The end of the drain is watched over HTTP only, as a user would: the newest job is long-polled
 * (`GET /v1/jobs/:id?wait=30`) until it is finished, then no queued or running job may be left. The
 * embedded database admits one process, so the rows are read after the last restart has stopped,
 * by opening the folder with PGlite here.
 */
import fs from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import {
  loadAverage,
  log,
  median,
  mintToken,
  processCpuMs,
  root,
  sleep,
  startServiceProcess,
  stop,
} from './harness.mjs'
import { FINISHED_ROWS_SQL, formatRate, windowOf } from './drainWindow.mjs'
import { enqueueOverHttp } from './p1BlackBox.mjs'

const TERMINAL = new Set(['succeeded', 'failed', 'cancelled', 'expired'])

export async function p7BlackBox(ctx) {
  const { results, runs, smoke, args } = ctx
  const sizes = String(args['p7-jobs'] ?? (smoke ? '200' : '10000,50000'))
    .split(',')
    .map(Number)
  const restarts = Number(args['p7-restarts'] ?? (smoke ? 1 : 3))
  const figure = (results.figures.P7bb = {})
  const token = await mintToken()
  const env = (dataDir) => ({ DATABASE_URL: '', DATA_DIR: dataDir, CONCURRENCY: '10' })

  for (let run = 0; run < runs; run++) {
    for (const jobs of sizes) {
      // The runAt must fall after the enqueue's end: PGlite took about 0.2 ms a job over HTTP here (args: --p7-lead seconds).
      const leadMs = Number(args['p7-lead'] ?? 2 + jobs * 0.0003) * 1000
      const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'job-runner-p7bb-'))
      const loadBefore = loadAverage()
      try {
        const first = await startServiceProcess(env(dataDir))
        const runAtMs = Date.now() + leadMs
        const enqueueMs = await enqueueOverHttp(first.url, token, jobs, { runAt: new Date(runAtMs).toISOString() })
        const enqueuedAtMs = Date.now()
        const cpuFrom = await processCpuMs(first.proc.pid)
        await waitDrained(first.url, token, jobs)
        const cpuTo = await processCpuMs(first.proc.pid)
        const peakRssMb = await peakRss(first.proc.pid)
        await stop(first.proc, 'SIGTERM')
        const restartMs = []
        for (let i = 0; i < restarts; i++) {
          const again = await startServiceProcess(env(dataDir))
          restartMs.push(again.readyMs)
          await stop(again.proc, 'SIGTERM')
        }
        const window = windowOf(await readFinishedRows(dataDir))
        if (window.succeeded !== jobs) throw new Error(`P7bb: ${window.succeeded} of ${jobs} jobs succeeded`)
        const r = {
          ...window,
          enqueueMs,
          enqueueOverlapped: enqueuedAtMs > runAtMs,
          startLagMs: window.firstStartMs - runAtMs,
          cpuUsPerJob: ((cpuTo - cpuFrom) * 1000) / jobs,
          peakRssMb,
          firstReadyMs: first.readyMs,
          restartMs,
          loadAverage: loadBefore,
        }
        ;(figure[jobs] ??= []).push(r)
        log(
          'P7bb',
          `run ${run + 1}`,
          `${jobs} jobs: ${r.jobsPerSec.toFixed(0)} jobs/s (${r.elapsedMs.toFixed(0)} ms)`,
          `steady ${formatRate(r.rampUp?.steadyJobsPerSec)}`,
          `enqueue ${enqueueMs.toFixed(0)} ms${r.enqueueOverlapped ? ' (OVERLAPPED the runAt)' : ''}`,
          `worker CPU ${r.cpuUsPerJob.toFixed(1)} µs/job, peak RSS ${peakRssMb?.toFixed(0)} MB`,
          `restart spawn → /readyz ${restartMs.map((ms) => ms.toFixed(0)).join(', ')} ms`,
          `load ${loadBefore}`,
        )
      } finally {
        await fs.rm(dataDir, { recursive: true, force: true })
      }
    }
  }
}

/** Waits, over HTTP, until none of the owner's jobs is queued or running. */
async function waitDrained(url, token, jobs, timeoutMs = 300_000) {
  const headers = { authorization: `Bearer ${token}` }
  const get = async (pathAndQuery, extra = {}) => {
    const response = await fetch(`${url}${pathAndQuery}`, { headers: { ...headers, ...extra } })
    if (response.status === 304) return { unchanged: true }
    if (!response.ok) throw new Error(`GET ${pathAndQuery} answered ${response.status}: ${await response.text()}`)
    return { body: await response.json(), etag: response.headers.get('etag') }
  }
  const deadline = Date.now() + timeoutMs
  const newest = (await get('/v1/jobs?limit=1')).body.jobs[0]
  let seen = await get(`/v1/jobs/${newest.id}`)
  while (!TERMINAL.has(seen.body.state)) {
    if (Date.now() > deadline) throw new Error(`P7bb: the drain of ${jobs} jobs did not end in ${timeoutMs} ms`)
    const next = await get(`/v1/jobs/${newest.id}?wait=30`, { 'if-none-match': seen.etag })
    if (!next.unchanged) seen = next
  }
  for (const state of ['queued', 'running']) {
    while ((await get(`/v1/jobs?state=${state}&limit=1`)).body.jobs.length > 0) {
      if (Date.now() > deadline) throw new Error(`P7bb: jobs still ${state} after ${timeoutMs} ms`)
      await sleep(50)
    }
  }
}

/** The process's peak resident set (VmHWM), in MB: PGlite's WASM heap lives in it. */
async function peakRss(pid) {
  const status = await fs.readFile(`/proc/${pid}/status`, 'utf8').catch(() => '')
  const kB = /VmHWM:\s+(\d+)/.exec(status)?.[1]
  return kB === undefined ? undefined : Number(kB) / 1024
}

/** Opens the folder the service left (it has exited: the folder admits one process) and reads the finished jobs. */
async function readFinishedRows(dataDir) {
  const { PGlite } = await import(path.join(root, 'node_modules/@electric-sql/pglite/dist/index.js'))
  const db = await PGlite.create({ dataDir: path.join(dataDir, 'pgdata') })
  try {
    return (await db.query(FINISHED_ROWS_SQL)).rows
  } finally {
    await db.close()
  }
}

export function summarizeP7bb(bySize) {
  const fmt = (x, d = 0) => (typeof x !== 'number' || Number.isNaN(x) ? '–' : x.toFixed(d))
  const lines = [
    '### P7bb embedded, from the outside: HTTP batch enqueue, one runAt, c=10, first start → last finish; restart spawn → /readyz',
    '',
    '| jobs | jobs/s median (runs) | steady jobs/s | worker CPU µs/job | peak RSS MB | enqueue ms | restart ms median (all) | load avg |',
    '|---|---|---|---|---|---|---|---|',
  ]
  for (const [jobs, rs] of Object.entries(bySize)) {
    const restarts = rs.flatMap((r) => r.restartMs)
    lines.push(
      `| ${jobs} | ${fmt(median(rs.map((r) => r.jobsPerSec)))} (${rs.map((r) => fmt(r.jobsPerSec)).join(', ')}) | ${fmt(
        median(rs.map((r) => r.rampUp?.steadyJobsPerSec)),
      )} | ${fmt(median(rs.map((r) => r.cpuUsPerJob)), 1)} | ${fmt(median(rs.map((r) => r.peakRssMb)))} | ${fmt(
        median(rs.map((r) => r.enqueueMs)),
      )}${rs.some((r) => r.enqueueOverlapped) ? ' (overlapped the runAt)' : ''} | ${fmt(median(restarts))} (${restarts
        .map((ms) => fmt(ms))
        .join(', ')}) | ${rs.map((r) => r.loadAverage).join(', ')} |`,
    )
  }
  lines.push('')
  return lines
}
