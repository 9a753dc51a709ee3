/**
 * What the figures of bench/run.mjs share: the databases, the compiled service started as production
 * starts it, the yardstick and user-built servers, a token, autocannon with the CPU it cost, and the
 * statistics PostgreSQL keeps per database. Each figure file (p1BlackBox.mjs, p3Users.mjs, …) takes
 * these instead of reaching into run.mjs.
 *
 * Every server binds 127.0.0.1: the benchmarks talk over loopback only.
 */
import { spawn } from 'node:child_process'
import fs from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { performance } from 'node:perf_hooks'
import { fileURLToPath } from 'node:url'
import pg from 'pg'
import autocannon from 'autocannon'

export const benchDir = path.dirname(fileURLToPath(import.meta.url))
export const root = path.dirname(benchDir)
export const adminUrl = process.env.BENCH_DATABASE_URL ?? 'postgres://root@127.0.0.1:5432/test'
export const SECRET = 'bench-secret-bench-secret-bench-secret!'

export function dbUrl(name) {
  const url = new URL(adminUrl)
  url.pathname = `/${name}`
  return url.toString()
}

export async function admin(fn, url = adminUrl) {
  const client = new pg.Client({ connectionString: url, options: '-c search_path=job_runner,public' })
  await client.connect()
  try {
    return await fn(client)
  } finally {
    await client.end()
  }
}

export function log(...parts) {
  console.error(`[bench ${new Date().toISOString().slice(11, 19)}]`, ...parts)
}

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms))

/** The 1-minute load average, kept beside each run: the machine is shared. */
export const loadAverage = () => +os.loadavg()[0].toFixed(2)

/** Starts the real service (dist/src/main.js, as the Procfile does) and resolves once /readyz answers 200. */
export async function startServiceProcess(env) {
  // A random port may be taken by another process on this shared machine: try another one.
  for (let attempt = 1; ; attempt++) {
    try {
      return await startServiceProcessOnce(env)
    } catch (error) {
      if (attempt >= 3) throw error
      log('service did not start, retrying on another port:', error.message.slice(0, 300))
    }
  }
}

async function startServiceProcessOnce(env) {
  const port = 20000 + Math.floor(Math.random() * 20000)
  const started = performance.now()
  const proc = spawn(process.execPath, [path.join(root, 'dist/src/main.js')], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', JWT_SECRET: SECRET, LOG_LEVEL: 'warn', ...env },
  })
  let err = ''
  proc.stderr.on('data', (d) => (err += d))
  // pino writes to stdout: keep the tail for the error message.
  proc.stdout.on('data', (d) => (err = (err + d).slice(-4000)))
  const exited = new Promise((resolve) =>
    proc.on('exit', (code, signal) => resolve({ code, signal, at: performance.now() })),
  )
  const url = `http://127.0.0.1:${port}`
  for (;;) {
    const done = await Promise.race([exited.then(() => true), sleep(20).then(() => false)])
    if (done) throw new Error(`service exited before ready: ${err.slice(-2000)}`)
    const ok = await fetch(`${url}/readyz`).then(
      (r) => r.ok,
      () => false,
    )
    if (ok) break
  }
  return { proc, url, port, exited, readyMs: performance.now() - started }
}

/**
 * A server script that prints `READY <port>` once listening: a P3 yardstick compiled into dist/bench
 * (bareHono.js, honoInsert.js) or a user-built endpoint that runs as written (bench/userGraphile.mjs).
 */
export function startScript(file, env = {}) {
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, [file], {
      cwd: root,
      stdio: ['ignore', 'pipe', 'inherit'],
      env: { ...process.env, ...env },
    })
    let out = ''
    proc.stdout.on('data', (d) => {
      out += d
      const m = /READY (\d+)/.exec(out)
      if (m) resolve({ proc, url: `http://127.0.0.1:${m[1]}` })
    })
    proc.on('exit', (code) => reject(new Error(`${file} exited ${code}`)))
  })
}

export const compiledScript = (name) => path.join(root, 'dist/bench', name)

/** An HS256 token signed with the service's secret, as a client of the service holds one. */
export async function mintToken(scope = 'jobs:write jobs:read') {
  const { SignJWT } = await import(path.join(root, 'node_modules/jose/dist/webapi/index.js'))
  return new SignJWT({ scope })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject('bench')
    .setAudience('job-runner')
    .setIssuedAt()
    .setExpirationTime('2h')
    .sign(new TextEncoder().encode(SECRET))
}

export function cannon(url, { headers = {}, connections, durationSec, body = '{"type":"echo","payload":{}}' }) {
  return new Promise((resolve, reject) => {
    autocannon(
      {
        url: `${url}/v1/jobs`,
        method: 'POST',
        connections,
        duration: durationSec,
        headers: { 'content-type': 'application/json', ...headers },
        body,
      },
      (error, result) => (error ? reject(error) : resolve(result)),
    )
  })
}

/** A process's CPU time (user + system) in milliseconds, from /proc (Linux; undefined elsewhere). */
export async function processCpuMs(pid) {
  try {
    const fields = (await fs.readFile(`/proc/${pid}/stat`, 'utf8')).split(') ')[1].split(' ')
    // utime and stime, fields 14 and 15 of stat(5), in ticks of 10 ms.
    return (Number(fields[11]) + Number(fields[12])) * 10
  } catch {
    return undefined
  }
}

/** The compiled measurement helpers (bench/measure.ts), shared with the bench workers. */
export const measureHelpers = () => import(path.join(root, 'dist/bench/measure.js'))

/**
 * autocannon against `url`, with the CPU spent per request by the server process, by this process
 * (autocannon runs in it: the load's own cost) and by the whole machine.
 */
export async function cannonMeasured(url, headers, serverPid, options) {
  const { machineCpuMs, machineCpuPerJob } = await measureHelpers()
  const serverBefore = await processCpuMs(serverPid)
  const machineBefore = machineCpuMs()
  const loadBefore = process.cpuUsage()
  const result = await cannon(url, { ...options, headers })
  const load = process.cpuUsage(loadBefore)
  const serverAfter = await processCpuMs(serverPid)
  const machine = machineCpuPerJob(machineBefore, machineCpuMs(), result.requests.total)
  const serverCpuUsPerReq =
    serverBefore === undefined || serverAfter === undefined
      ? undefined
      : ((serverAfter - serverBefore) * 1000) / result.requests.total
  const loadCpuUsPerReq = (load.user + load.system) / result.requests.total
  return {
    result,
    cpu: {
      serverCpuUsPerReq,
      loadCpuUsPerReq,
      machineCpuUsPerReq: machine.machineCpuUsPerJob,
      machineIdleShare: machine.machineIdleShare,
    },
  }
}

/** What a P3 figure keeps of an autocannon result. */
export function cannonFigures(r, extra = {}) {
  return {
    reqPerSec: r.requests.average,
    p50Ms: r.latency.p50,
    p99Ms: r.latency.p99,
    non2xx: r.non2xx,
    errors: r.errors,
    total: r.requests.total,
    ...extra,
  }
}

export const stop = (proc, signal = 'SIGKILL') =>
  new Promise((resolve) => {
    if (proc.exitCode !== null || proc.signalCode !== null) return resolve()
    proc.once('exit', resolve)
    proc.kill(signal)
  })

/**
 * The database's own counters (pg_stat_database): commits, rows read and written. PostgreSQL 15
 * reports a backend's counts when it goes idle at most once a second, an idle backend's last ones up
 * to 10 s late, and all of them when it exits: callers read after the backends exited or idled long
 * enough, and say which.
 */
export async function databaseStats(url) {
  return admin(async (c) => {
    const { rows } = await c.query(
      `select xact_commit::float8 as commits, xact_rollback::float8 as rollbacks, tup_returned::float8 as returned,
              tup_fetched::float8 as fetched, tup_inserted::float8 as inserted, tup_updated::float8 as updated,
              tup_deleted::float8 as deleted, blks_hit::float8 as "blocksHit", blks_read::float8 as "blocksRead"
       from pg_stat_database where datname = current_database()`,
    )
    return rows[0]
  }, url)
}

/** `after − before` for every counter; the reading's own transaction (one commit) taken off. */
export function statsDelta(before, after) {
  const out = {}
  for (const key of Object.keys(after)) out[key] = after[key] - before[key]
  out.commits -= 1
  return out
}

/** Scans per table of the service's schema (pg_stat_user_tables), to tell where idle instances read. */
export async function tableScans(url) {
  return admin(async (c) => {
    const { rows } = await c.query(
      `select relname as table, (seq_scan + coalesce(idx_scan, 0))::float8 as scans, n_tup_ins::float8 as inserted,
              n_tup_upd::float8 as updated, n_tup_del::float8 as deleted
       from pg_stat_user_tables where schemaname = 'job_runner' order by relname`,
    )
    return Object.fromEntries(rows.map(({ table, ...counts }) => [table, counts]))
  }, url)
}

export function tableScansDelta(before, after) {
  const out = {}
  for (const [table, counts] of Object.entries(after)) {
    const was = before[table] ?? {}
    const delta = Object.fromEntries(Object.entries(counts).map(([k, v]) => [k, v - (was[k] ?? 0)]))
    if (Object.values(delta).some((v) => v !== 0)) out[table] = delta
  }
  return out
}

export function median(xs) {
  const s = xs.filter((x) => typeof x === 'number' && !Number.isNaN(x)).sort((a, b) => a - b)
  if (s.length === 0) return NaN
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2
}
