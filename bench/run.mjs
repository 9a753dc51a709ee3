/**
 * The benchmark harness (issue 5). Runs each figure with job-runner and its peers interleaved
 * (ours, then each peer, run after run) so that noise on this shared machine hits all of them,
 * each run in a fresh process, each system in its own database, truncated and VACUUM ANALYZEd
 * between runs. Writes bench/results/<timestamp>.json and .md (medians, ranges, ratios). Ours runs
 * compiled (it builds dist/ first, bench/tsconfig.json), as production runs it.
 *
 *   npm run bench -- [--only P1,P1bb,P2,P3,P3users,P3b,P4,P5,P6,P7,P7bb,P8,P8flat,P8features,P9,P11,idle] [--runs 5] [--jobs 50000]
 *                    [--concurrency 10,1,50] [--duration 20] [--p3-steps] [--time-cap 10000] [--peers graphile-tuned,...]
 *                    [--db-prefix bench] [--smoke] [--json]
 *                    [--cancels 500] (P4) [--flat-jobs 1000000] [--flat-concurrency 10] (P8flat, P8features: jobs only)
 *                    [--finished 1000000] [--queued 10000] [--depth-ops 300] [--depth-rounds 3] (P9)
 *                    [--bb-configs ours-bb,graphile-bb,...] [--bb-lead 8] (P1bb) [--p3b-duration 30] (P3b)
 *                    [--p11-instances 1,2,4,8] [--p11-settle 11] [--p11-idle-window 10] (P11)
 *                    [--idle-instances 1,10] [--idle-seconds 30] (idle)
 *                    [--p7-jobs 10000,50000] [--p7-restarts 3] [--p7-lead seconds] (P7bb) [--p8-without stream,logs,schedule] [--p8-after-gc] (P8features)
 *
 * P4 (cancel across instances), P4http (the same over HTTP between two servers; not in the default
 * list), P8flat (memory while --flat-jobs pass through) and P9 (queue depth) are ours only. P8flat and
 * P9 run once per invocation (P9 alternates its two tables operation by operation).
 * --p3-steps adds to each P3 run the insert taken apart (honoInsert.ts's STORE none, round-trip,
 * async-commit) between ours and the insert alone.
 * Issue 24's figures, each in a file of its own: P1bb (P1 from the outside: HTTP batch enqueue with
 * one future runAt, drain read from the rows; p1BlackBox.mjs), P3users (ours against the enqueue
 * endpoints users build on graphile-worker and pg-boss; p3Users.mjs), P3b (enqueue while the same
 * instance runs every job; p3Running.mjs), P11 (1–8 instances draining; p11ScaleOut.mjs), idle
 * (idle instances' cost; idleCost.mjs), P7bb (P7 from the outside: the service on its embedded
 * database, HTTP batch enqueue, drain read from the rows, restart; p7BlackBox.mjs) and P8features (P8
 * flat through the service with an event stream open, jobs that log, a schedule and its webhook;
 * p8Features.mjs). P11, idle, P7bb and P8features run ours only, idle and P8features once per invocation.
 *
 * Needs PostgreSQL at BENCH_DATABASE_URL (default postgres://root@127.0.0.1:5432/test; the
 * databases bench_ours, bench_graphile and bench_pgboss are created and dropped on it).
 */
import { spawn } from 'node:child_process'
import fs from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { performance } from 'node:perf_hooks'
import { execFileSync } from 'node:child_process'
import pg from 'pg'
import {
  admin,
  adminUrl,
  benchDir,
  cannonFigures,
  cannonMeasured as cannonMeasuredWith,
  compiledScript,
  dbUrl,
  loadAverage,
  log,
  mintToken,
  root,
  startScript,
  startServiceProcess,
  stop,
} from './harness.mjs'
import { p1BlackBox, summarizeP1bb } from './p1BlackBox.mjs'
import { p3Users, summarizeP3users } from './p3Users.mjs'
import { p3Running, summarizeP3b } from './p3Running.mjs'
import { p11ScaleOut, summarizeP11 } from './p11ScaleOut.mjs'
import { idleCost, summarizeIdle } from './idleCost.mjs'
import { p7BlackBox, summarizeP7bb } from './p7BlackBox.mjs'
import { p8Features, summarizeP8features } from './p8Features.mjs'

const args = parseArgs(process.argv.slice(2))
const smoke = args.smoke === true
const runs = Number(args.runs ?? (smoke ? 1 : 5))
const jobs = Number(args.jobs ?? (smoke ? 300 : 50_000))
const concurrencies = String(args.concurrency ?? (smoke ? '10' : '10,1,50'))
  .split(',')
  .map(Number)
const durationSec = Number(args.duration ?? (smoke ? 1 : 20))
const latencyJobs = Number(args['latency-jobs'] ?? (smoke ? 20 : 1000))
const only = new Set(
  String(
    args.only ?? (smoke ? 'P1,P2,P3' : 'P1,P1bb,P2,P3,P3users,P3b,P4,P5,P6,P7,P7bb,P8,P8flat,P8features,P9,P11,idle'),
  ).split(','),
)
// Peers that cannot drain the jobs in this long (pg-boss default: 5 jobs/s) report what they did by then.
const timeCapMs = Number(args['time-cap'] ?? 10_000)
const cancels = Number(args.cancels ?? (smoke ? 10 : 500))
const flatJobs = Number(args['flat-jobs'] ?? (smoke ? 2000 : 1_000_000))
const flatConcurrency = Number(args['flat-concurrency'] ?? 10)
const depth = {
  finished: Number(args.finished ?? (smoke ? 2000 : 1_000_000)),
  queued: Number(args.queued ?? (smoke ? 200 : 10_000)),
  ops: Number(args['depth-ops'] ?? (smoke ? 10 : 300)),
  rounds: Number(args['depth-rounds'] ?? (smoke ? 1 : 3)),
}
const peers = String(args.peers ?? 'ours-lq500,graphile-default,graphile-tuned,pgboss-default,pgboss-tuned')
  .split(',')
  .filter(Boolean)
/**
 * Ours in another configuration, drained beside the peers in P1: `ours-lq500` holds at most 500 jobs
 * claimed ahead (LOCAL_QUEUE_SIZE), graphile tuned's local queue size, against the default's 2,000.
 */
const OURS_VARIANTS = { 'ours-lq500': { localQueueSize: 500 } }

function parseArgs(argv) {
  const out = {}
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]
    if (!a.startsWith('--')) continue
    const key = a.slice(2)
    const next = argv[i + 1]
    if (next === undefined || next.startsWith('--')) out[key] = true
    else out[key] = argv[++i]
  }
  return out
}

const prefix = String(args['db-prefix'] ?? 'bench')
if (!/^[a-z_][a-z0-9_]*$/.test(prefix)) throw new Error('--db-prefix must be a lower-case SQL identifier')
const DATABASES = { ours: `${prefix}_ours`, graphile: `${prefix}_graphile`, pgboss: `${prefix}_pgboss` }
const systemOf = (config) =>
  config.startsWith('ours') ? 'ours' : config.startsWith('graphile') ? 'graphile' : 'pgboss'

async function createDatabases() {
  await admin(async (c) => {
    for (const name of Object.values(DATABASES)) {
      await c.query(`drop database if exists ${name} with (force)`)
      await c.query(`create database ${name}`)
    }
  })
  await child('ours', 'setup', { databaseUrl: dbUrl(DATABASES.ours) })
  await child('graphile-tuned', 'setup', { databaseUrl: dbUrl(DATABASES.graphile) })
  await child('pgboss-tuned', 'setup', { databaseUrl: dbUrl(DATABASES.pgboss) })
}

async function dropDatabases() {
  await admin(async (c) => {
    for (const name of Object.values(DATABASES)) await c.query(`drop database if exists ${name} with (force)`)
  })
}

const RESET = {
  ours: ['truncate job_runner_jobs, job_runner_owner_jobs, job_runner_instances'],
  graphile: ['truncate graphile_worker._private_jobs, graphile_worker._private_job_queues cascade'],
  pgboss: ['truncate pgboss.job cascade'],
}

async function reset(system) {
  await admin(async (c) => {
    for (const statement of RESET[system]) await c.query(statement)
    await c.query('vacuum analyze')
  }, dbUrl(DATABASES[system]))
}

/**
 * Compiles the service, its job files and the bench workers written in TypeScript into dist/
 * (bench/tsconfig.json), once per invocation. The job files are loaded by folder at run time, so
 * nothing imports them: they are compiled because that tsconfig names them. Ours then runs as
 * production runs it (`node dist/...`, as the Procfile does), and not under tsx, whose esbuild
 * transform names every closure at creation (`keepNames`): a cost of its own on the hot path that
 * neither the peers nor production pay.
 */
function compile() {
  execFileSync(
    process.execPath,
    [path.join(root, 'node_modules/typescript/bin/tsc'), '-p', path.join(benchDir, 'tsconfig.json')],
    { cwd: root, stdio: 'inherit' },
  )
}

/** Runs one bench child (`ours` → dist/bench/ours.js, a peer → bench/peers.mjs) and returns its RESULT. */
function child(config, mode, params) {
  const argv = config.startsWith('ours')
    ? [path.join(root, 'dist/bench/ours.js'), mode, JSON.stringify({ ...params, ...OURS_VARIANTS[config] })]
    : [path.join(benchDir, 'peers.mjs'), config, mode, JSON.stringify(params)]
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, argv, { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] })
    let out = ''
    let err = ''
    proc.stdout.on('data', (d) => (out += d))
    proc.stderr.on('data', (d) => (err += d))
    proc.on('exit', (code) => {
      const line = out.split('\n').find((l) => l.startsWith('RESULT '))
      if (code !== 0 || !line) reject(new Error(`${config} ${mode} exited ${code}: ${err.slice(-2000)}`))
      else resolve(JSON.parse(line.slice(7)))
    })
  })
}

// ---------------------------------------------------------------------------------------------

const results = {
  startedAt: new Date().toISOString(),
  params: {
    runs,
    jobs,
    concurrencies,
    durationSec,
    latencyJobs,
    timeCapMs,
    smoke,
    cancels,
    flatJobs,
    flatConcurrency,
    depth,
  },
  machine: machine(),
  figures: {},
}

function machine() {
  const pgVersion = execFileSync('psql', [adminUrl, '-Atc', 'show server_version'], { encoding: 'utf8' }).trim()
  const versions = {}
  for (const [name, dir] of [
    ['graphile-worker', 'bench/node_modules/graphile-worker'],
    ['pg-boss', 'bench/node_modules/pg-boss'],
    ['autocannon', 'bench/node_modules/autocannon'],
    ['hono', 'node_modules/hono'],
    ['postgres', 'node_modules/postgres'],
  ]) {
    versions[name] = JSON.parse(
      execFileSync('cat', [path.join(root, dir, 'package.json')], { encoding: 'utf8' }),
    ).version
  }
  return {
    nproc: os.cpus().length,
    memoryGb: +(os.totalmem() / 2 ** 30).toFixed(1),
    node: process.version,
    postgres: pgVersion,
    versions,
  }
}

async function p1() {
  for (const concurrency of concurrencies) {
    const key = `P1 c=${concurrency}`
    results.figures[key] = {}
    for (let run = 0; run < runs; run++) {
      for (const config of ['ours', ...peers]) {
        const system = systemOf(config)
        await reset(system)
        // pg-boss's defaults poll every 2 s per worker: cap its runs by time and report jobs/s.
        const r = await child(config, 'drain', { databaseUrl: dbUrl(DATABASES[system]), jobs, concurrency, timeCapMs })
        ;(results.figures[key][config] ??= []).push(r)
        log(
          key,
          config,
          `run ${run + 1}`,
          `${r.jobsPerSec.toFixed(0)} jobs/s`,
          r.capped ? `(capped: ${r.completed} done)` : '',
          `commits/job ${r.commitsPerJob?.toFixed(3)}`,
          `WAL B/job ${r.walBytesPerJob?.toFixed(0)}`,
          `CPU µs/job ${r.cpuUsPerJob?.toFixed(1)}`,
          `machine CPU µs/job ${r.machineCpuUsPerJob?.toFixed(1)} idle ${((r.machineIdleShare ?? NaN) * 100).toFixed(0)} %`,
        )
      }
    }
  }
}

async function p2() {
  results.figures.P2 = {}
  for (let run = 0; run < runs; run++) {
    for (const config of ['ours', ...peers.filter((p) => p.startsWith('graphile'))]) {
      const system = systemOf(config)
      await reset(system)
      const r = await child(config, 'latency', {
        databaseUrl: dbUrl(DATABASES[system]),
        jobs: latencyJobs,
        concurrency: 10,
      })
      ;(results.figures.P2[config] ??= []).push(r)
      log(
        'P2',
        config,
        `run ${run + 1}`,
        `p50 ${r.p50Ms.toFixed(2)} ms p99 ${r.p99Ms.toFixed(2)} ms`,
        r.httpP50Ms === undefined ? '' : `HTTP p50 ${r.httpP50Ms.toFixed(2)} ms`,
      )
    }
  }
}

/** autocannon at P3's load (64 connections, 8 in a smoke run) for `durationSec`. */
const cannonMeasured = (url, headers, serverPid, seconds = durationSec) =>
  cannonMeasuredWith(url, headers, serverPid, { connections: smoke ? 8 : 64, durationSec: seconds })

/**
 * P3's yardsticks beside ours, each a bare Hono route (honoInsert.ts with its STORE, bareHono.ts):
 * the insert alone, and with --p3-steps the insert taken apart, cheapest first.
 */
const P3_YARDSTICKS = [
  ...(args['p3-steps'] === true
    ? [
        ['hono-no-db', 'none'],
        ['hono-round-trip', 'round-trip'],
        ['hono-async-commit', 'async-commit'],
      ]
    : []),
  ['hono-insert', 'durable'],
]

async function p3() {
  results.figures.P3 = {}
  const token = await mintToken()
  const countJobs = async () =>
    (await admin((c) => c.query('select count(*)::int as n from job_runner_jobs'), dbUrl(DATABASES.ours))).rows[0].n
  const report = (run, config, r, cpu, extra = {}) => {
    ;(results.figures.P3[config] ??= []).push(cannonFigures(r, { ...extra, ...cpu }))
    const stored = extra.stored === undefined ? '' : `, stored ${extra.stored}`
    log(
      'P3',
      `run ${run + 1}`,
      `${config} ${r.requests.average.toFixed(0)} req/s p99 ${r.latency.p99} ms server ${cpu.serverCpuUsPerReq?.toFixed(1)} / autocannon ${cpu.loadCpuUsPerReq.toFixed(1)} / machine ${cpu.machineCpuUsPerReq?.toFixed(1)} µs/req (non2xx ${r.non2xx}${stored})`,
    )
  }
  for (let run = 0; run < runs; run++) {
    await reset('ours')
    // The runner serves only the queue "nobody": echo jobs (queue "default") stay queued.
    const service = await startServiceProcess({ DATABASE_URL: dbUrl(DATABASES.ours), QUEUES: 'nobody' })
    const { result: ours, cpu: oursCpu } = await cannonMeasured(
      service.url,
      { authorization: `Bearer ${token}` },
      service.proc.pid,
    )
    await stop(service.proc)
    report(run, 'ours', ours, oursCpu, { stored: await countJobs() })
    for (const [config, store] of P3_YARDSTICKS) {
      // The same (emptied) table as ours.
      await reset('ours')
      const yardstick = await startScript(compiledScript('honoInsert.js'), {
        DATABASE_URL: dbUrl(DATABASES.ours),
        STORE: store,
      })
      const { result, cpu } = await cannonMeasured(yardstick.url, {}, yardstick.proc.pid)
      await stop(yardstick.proc)
      report(run, config, result, cpu, store === 'durable' ? { stored: await countJobs() } : {})
    }
    const bare = await startScript(compiledScript('bareHono.js'))
    const { result: hono, cpu: honoCpu } = await cannonMeasured(bare.url, {}, bare.proc.pid)
    await stop(bare.proc)
    report(run, 'bare-hono', hono, honoCpu)
  }
}

async function pollCount(url, sql, predicate, timeoutMs = 60_000) {
  const client = new pg.Client({ connectionString: url, options: '-c search_path=job_runner,public' })
  await client.connect()
  try {
    const deadline = performance.now() + timeoutMs
    for (;;) {
      const { rows } = await client.query(sql)
      if (predicate(rows[0])) return rows[0]
      if (performance.now() > deadline) throw new Error(`timed out waiting: ${sql} → ${JSON.stringify(rows[0])}`)
      await new Promise((r) => setTimeout(r, 20))
    }
  } finally {
    await client.end()
  }
}

async function p5() {
  results.figures.P5 = { ours: [] }
  const url = dbUrl(DATABASES.ours)
  const n = smoke ? 50 : 1000
  for (let run = 0; run < runs; run++) {
    await reset('ours')
    const service = await startServiceProcess({
      DATABASE_URL: url,
      CONCURRENCY: String(n),
      CHECKPOINT_INTERVAL_SECONDS: '3600',
    })
    await admin(
      (c) =>
        c.query(`insert into job_runner_jobs (owner, type, queue, payload, max_attempts)
      select 'bench', 'count', 'default', '{"to": 1000000, "stepMs": 20}', 5 from generate_series(1, ${n})`),
      url,
    )
    await pollCount(url, `select count(*)::int as n from job_runner_jobs where state = 'running'`, (r) => r.n === n)
    // Let every job save a few in-memory checkpoints that only the shutdown will write.
    await new Promise((r) => setTimeout(r, 500))
    const sent = performance.now()
    service.proc.kill('SIGTERM')
    const exit = await service.exited
    const exitMs = exit.at - sent
    const { rows } = await admin(
      (c) =>
        c.query(`select count(*) filter (where state = 'queued')::int as queued,
      count(*) filter (where state = 'queued' and interruptions = 1 and (checkpoint->>'cursor')::int > 0)::int as checkpointed,
      count(*)::int as total from job_runner_jobs`),
      url,
    )
    results.figures.P5.ours.push({ jobs: n, exitMs, exitCode: exit.code, ...rows[0] })
    log('P5', `run ${run + 1}`, `exit ${exitMs.toFixed(0)} ms code ${exit.code}`, JSON.stringify(rows[0]))
  }
}

async function p6() {
  results.figures.P6 = { ours: [] }
  const url = dbUrl(DATABASES.ours)
  const leaseSeconds = 2
  const n = smoke ? 10 : 100
  for (let run = 0; run < runs; run++) {
    await reset('ours')
    const env = { DATABASE_URL: url, CONCURRENCY: String(n), LEASE_SECONDS: String(leaseSeconds) }
    const a = await startServiceProcess(env)
    await admin(
      (c) =>
        c.query(`insert into job_runner_jobs (owner, type, queue, payload, max_attempts)
      select 'bench', 'sleep', 'default', '{"ms": 600000}', 5 from generate_series(1, ${n})`),
      url,
    )
    const { owner } = await pollCount(
      url,
      `select count(*)::int as n, min(lease_owner::text) as owner from job_runner_jobs where state = 'running'`,
      (r) => r.n === n,
    )
    const b = await startServiceProcess(env)
    const killed = performance.now()
    a.proc.kill('SIGKILL')
    await pollCount(
      url,
      `select count(*)::int as n from job_runner_jobs where state = 'running' and lease_owner <> '${owner}'`,
      (r) => r.n === n,
    )
    const recoveredMs = performance.now() - killed
    await stop(b.proc)
    results.figures.P6.ours.push({ jobs: n, leaseSeconds, recoveredMs })
    log(
      'P6',
      `run ${run + 1}`,
      `all ${n} running on B ${recoveredMs.toFixed(0)} ms after SIGKILL (lease ${leaseSeconds} s)`,
    )
  }
}

async function p7() {
  results.figures.P7 = { drain: [], restart: [] }
  const n = smoke ? 300 : 10_000
  for (let run = 0; run < runs; run++) {
    const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'job-runner-bench-'))
    try {
      const r = await child('ours', 'drain', { dataDir, jobs: n, concurrency: 10, timeCapMs: 120_000 })
      results.figures.P7.drain.push(r)
      // Restart on the folder the drain left: in-process startService → /readyz, and since process start.
      const restart = await child('ours', 'restart', { dataDir })
      const service = await startServiceProcess({ DATABASE_URL: '', DATA_DIR: dataDir })
      const stopped = new Promise((resolve) => service.proc.once('exit', resolve))
      service.proc.kill('SIGTERM')
      await stopped
      results.figures.P7.restart.push({ ...restart, spawnToReadyzMs: service.readyMs })
      log(
        'P7',
        `run ${run + 1}`,
        `drain ${r.jobsPerSec.toFixed(0)} jobs/s`,
        `startService→ready ${restart.startServiceMs.toFixed(0)} ms, since process start ${restart.sinceProcessStartMs.toFixed(0)} ms, spawn→/readyz ${service.readyMs.toFixed(0)} ms`,
      )
    } finally {
      await fs.rm(dataDir, { recursive: true, force: true })
    }
  }
}

async function p8() {
  results.figures.P8 = { ours: [] }
  for (let run = 0; run < runs; run++) {
    await reset('ours')
    const service = await startServiceProcess({ DATABASE_URL: dbUrl(DATABASES.ours) })
    await new Promise((r) => setTimeout(r, smoke ? 200 : 3000))
    const status = await fs.readFile(`/proc/${service.proc.pid}/status`, 'utf8')
    const rssMb = Number(/VmRSS:\s+(\d+)/.exec(status)[1]) / 1024
    await stop(service.proc)
    results.figures.P8.ours.push({ rssMb })
    log('P8', `run ${run + 1}`, `idle RSS ${rssMb.toFixed(1)} MB`)
  }
}

async function p4() {
  results.figures.P4 = { ours: [] }
  for (let run = 0; run < runs; run++) {
    await reset('ours')
    const r = await child('ours', 'cancel', {
      databaseUrl: dbUrl(DATABASES.ours),
      ops: cancels,
      warmup: smoke ? 2 : 20,
    })
    results.figures.P4.ours.push(r)
    log(
      'P4',
      `run ${run + 1}`,
      `cancel on B → A's token fired p50 ${r.toAbortMs.p50.toFixed(2)} p95 ${r.toAbortMs.p95.toFixed(2)} p99 ${r.toAbortMs.p99.toFixed(2)} ms`,
      `→ cancelled written p99 ${r.toSettledMs.p99.toFixed(2)} ms`,
      `commits/cycle ${r.commitsPerCycle.toFixed(2)}`,
    )
  }
}

/**
 * P4 over HTTP (an upper bound): two compiled servers on one database, A serving `default`, B none;
 * a `sleep` job running on A; `POST /v1/jobs/:id/cancel` to B, timed until A's `GET ?wait` answers
 * `cancelled` (A wakes its long-poll when it has written the outcome).
 */
async function p4http() {
  results.figures['P4 http'] = { ours: [] }
  const n = smoke ? 5 : 100
  const token = await mintToken()
  const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' }
  const call = async (url, init = {}) => {
    const response = await fetch(url, { ...init, headers: { ...headers, ...init.headers } })
    // 304: a ?wait that saw no change before its timeout.
    if (response.status === 304) return undefined
    const body = await response.json()
    if (!response.ok)
      throw new Error(`${init.method ?? 'GET'} ${url} answered ${response.status}: ${JSON.stringify(body)}`)
    return { body, etag: response.headers.get('etag') }
  }
  for (let run = 0; run < runs; run++) {
    await reset('ours')
    const env = { DATABASE_URL: dbUrl(DATABASES.ours), LOG_LEVEL: 'warn' }
    const a = await startServiceProcess({ ...env, QUEUES: 'default' })
    const b = await startServiceProcess({ ...env, QUEUES: 'nobody' })
    try {
      const samples = []
      for (let i = 0; i < n + 3; i++) {
        const { body: job } = await call(`${b.url}/v1/jobs`, {
          method: 'POST',
          body: '{"type":"sleep","payload":{"ms":600000}}',
        })
        let seen = await call(`${a.url}/v1/jobs/${job.id}`)
        while (seen.body.state !== 'running')
          seen = (await call(`${a.url}/v1/jobs/${job.id}?wait=5`, { headers: { 'if-none-match': seen.etag } })) ?? seen
        const t0 = performance.now()
        await call(`${b.url}/v1/jobs/${job.id}/cancel`, { method: 'POST' })
        while (seen.body.state !== 'cancelled')
          seen = (await call(`${a.url}/v1/jobs/${job.id}?wait=5`, { headers: { 'if-none-match': seen.etag } })) ?? seen
        if (i >= 3) samples.push(performance.now() - t0)
      }
      const sorted = [...samples].sort((x, y) => x - y)
      const pct = (p) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]
      const r = { cancels: n, p50Ms: pct(50), p95Ms: pct(95), p99Ms: pct(99), maxMs: sorted.at(-1) }
      results.figures['P4 http'].ours.push(r)
      log(
        'P4 http',
        `run ${run + 1}`,
        `POST cancel to B → A's GET ?wait shows cancelled p50 ${r.p50Ms.toFixed(2)} p95 ${r.p95Ms.toFixed(2)} p99 ${r.p99Ms.toFixed(2)} ms`,
      )
    } finally {
      await stop(a.proc)
      await stop(b.proc)
    }
  }
}

async function p8flat() {
  results.figures['P8 flat'] = { ours: [] }
  await reset('ours')
  const r = await child('ours', 'flat', {
    databaseUrl: dbUrl(DATABASES.ours),
    jobs: flatJobs,
    concurrency: flatConcurrency,
  })
  results.figures['P8 flat'].ours.push(r)
  log(
    'P8 flat',
    `${r.completed}/${r.jobs} jobs at ${r.jobsPerSec.toFixed(0)} jobs/s`,
    `RSS start ${r.rss.startMb.toFixed(1)} warm ${r.rss.warmMb?.toFixed(1)} max ${r.rss.maxMb.toFixed(1)} end ${r.rss.endMb.toFixed(1)} MB, slope ${r.rss.slopeMbPer100k?.toFixed(2)} MB/100k jobs`,
  )
}

async function p9() {
  results.figures.P9 = { ours: [] }
  const deepDb = `${prefix}_ours_deep`
  await admin(async (c) => {
    await c.query(`drop database if exists ${deepDb} with (force)`)
    await c.query(`create database ${deepDb}`)
  })
  try {
    const r = await child('ours', 'depth', {
      databaseUrl: dbUrl(DATABASES.ours),
      deepDatabaseUrl: dbUrl(deepDb),
      ...depth,
    })
    results.figures.P9.ours.push(r)
    for (const [m, x] of Object.entries(r.ratioDeepToEmpty)) {
      log(
        'P9',
        m,
        `empty p50/p99 ${r.summary.empty[m].p50.toFixed(2)}/${r.summary.empty[m].p99.toFixed(2)} ms`,
        `deep p50/p99 ${r.summary.deep[m].p50.toFixed(2)}/${r.summary.deep[m].p99.toFixed(2)} ms`,
        `ratio ${x.p50.toFixed(2)}/${x.p99.toFixed(2)}`,
      )
    }
    log(
      'P9',
      'pruner',
      `keep-all run ${r.pruning.keepAllRunMs.toFixed(1)} ms`,
      `1 h retention: ${r.pruning.hourPruned} deleted in ${r.pruning.hourRunMs.toFixed(0)} ms`,
    )
  } finally {
    await admin((c) => c.query(`drop database if exists ${deepDb} with (force)`))
  }
}

// ---------------------------------------------------------------------------------------------

export function summarize(results) {
  const stats = (xs) => {
    const s = [...xs].sort((a, b) => a - b)
    const mid = s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2
    return { median: mid, min: s[0], max: s.at(-1) }
  }
  const fmt = (x, d = 0) => (x === undefined || Number.isNaN(x) ? '–' : x.toFixed(d))
  const cell = (xs, d = 0) => {
    const s = stats(xs)
    return `${fmt(s.median, d)} (${fmt(s.min, d)}–${fmt(s.max, d)})`
  }
  const lines = []
  const m = results.machine
  lines.push(
    `Machine: ${m.nproc} cores, ${m.memoryGb} GB, Node ${m.node}, PostgreSQL ${m.postgres}; ${Object.entries(m.versions)
      .map(([k, v]) => `${k} ${v}`)
      .join(', ')}`,
  )
  lines.push(`Parameters: ${JSON.stringify(results.params)}`, '')
  for (const [figure, byConfig] of Object.entries(results.figures)) {
    if (figure.startsWith('P1 ')) {
      lines.push(
        `### ${figure}`,
        '',
        '| config | jobs/s median (range) | ours ÷ config (median) | commits/job | WAL bytes/job | worker CPU µs/job | machine CPU µs/job | machine idle % | runs (jobs/s) |',
        '|---|---|---|---|---|---|---|---|---|',
      )
      const ours = stats(byConfig.ours.map((r) => r.jobsPerSec)).median
      for (const [config, rs] of Object.entries(byConfig)) {
        const med = stats(rs.map((r) => r.jobsPerSec)).median
        lines.push(
          `| ${config}${rs.some((r) => r.capped) ? ' (time-capped)' : ''} | ${cell(rs.map((r) => r.jobsPerSec))} | ${fmt(ours / med, 2)} | ${cell(
            rs.map((r) => r.commitsPerJob),
            3,
          )} | ${cell(rs.map((r) => r.walBytesPerJob))} | ${cell(
            rs.map((r) => r.cpuUsPerJob),
            1,
          )} | ${cell(
            rs.map((r) => r.machineCpuUsPerJob),
            1,
          )} | ${cell(rs.map((r) => (r.machineIdleShare ?? NaN) * 100))} | ${rs.map((r) => fmt(r.jobsPerSec)).join(', ')} |`,
        )
      }
      lines.push('')
    } else if (figure === 'P1bb') {
      lines.push(...summarizeP1bb(byConfig))
    } else if (figure === 'P3users') {
      lines.push(...summarizeP3users(byConfig))
    } else if (figure === 'P3b') {
      lines.push(...summarizeP3b(byConfig))
    } else if (figure === 'P11') {
      lines.push(...summarizeP11(byConfig))
    } else if (figure === 'idle') {
      lines.push(...summarizeIdle(byConfig))
    } else if (figure === 'P7bb') {
      lines.push(...summarizeP7bb(byConfig))
    } else if (figure === 'P8features') {
      lines.push(...summarizeP8features(byConfig))
    } else if (figure === 'P2') {
      lines.push(
        '### P2 enqueue → handler start (ms)',
        '',
        '| config | p50 median (range) | p99 median (range) | HTTP POST → start p50 | runs p50/p99 |',
        '|---|---|---|---|---|',
      )
      for (const [config, rs] of Object.entries(byConfig)) {
        lines.push(
          `| ${config} | ${cell(
            rs.map((r) => r.p50Ms),
            2,
          )} | ${cell(
            rs.map((r) => r.p99Ms),
            2,
          )} | ${
            rs[0].httpP50Ms === undefined
              ? '–'
              : cell(
                  rs.map((r) => r.httpP50Ms),
                  2,
                )
          } | ${rs.map((r) => `${fmt(r.p50Ms, 2)}/${fmt(r.p99Ms, 2)}`).join(', ')} |`,
        )
      }
      lines.push('')
    } else if (figure === 'P3') {
      lines.push(
        '### P3 authenticated durable HTTP enqueue',
        '',
        '| config | req/s median (range) | p99 ms median (range) | server CPU µs/req | autocannon CPU µs/req | machine CPU µs/req | machine idle % | runs req/s | non-2xx |',
        '|---|---|---|---|---|---|---|---|---|',
      )
      for (const [config, rs] of Object.entries(byConfig)) {
        lines.push(
          `| ${config} | ${cell(rs.map((r) => r.reqPerSec))} | ${cell(rs.map((r) => r.p99Ms))} | ${cell(
            rs.map((r) => r.serverCpuUsPerReq),
            1,
          )} | ${cell(
            rs.map((r) => r.loadCpuUsPerReq ?? NaN),
            1,
          )} | ${cell(
            rs.map((r) => r.machineCpuUsPerReq),
            1,
          )} | ${cell(rs.map((r) => (r.machineIdleShare ?? NaN) * 100))} | ${rs.map((r) => fmt(r.reqPerSec)).join(', ')} | ${rs.map((r) => r.non2xx).join(', ')} |`,
        )
      }
      const ratioTo = (config) => byConfig.ours.map((r, i) => r.reqPerSec / byConfig[config][i].reqPerSec)
      const describe = (ratio) => `${ratio.map((x) => x.toFixed(2)).join(', ')} (median ${fmt(stats(ratio).median, 2)})`
      lines.push('', `ours ÷ bare Hono, per run: ${describe(ratioTo('bare-hono'))}`)
      for (const config of Object.keys(byConfig).filter((c) => c.startsWith('hono-'))) {
        const toBare = byConfig[config].map((r, i) => r.reqPerSec / byConfig['bare-hono'][i].reqPerSec)
        lines.push('', `${config} ÷ bare Hono, per run: ${describe(toBare)}`)
      }
      if (byConfig['hono-insert'])
        lines.push('', `ours ÷ hono-insert (the insert alone), per run: ${describe(ratioTo('hono-insert'))}`)
      lines.push('')
    } else if (figure === 'P4') {
      lines.push(
        '### P4 cancel on instance B → token fires on instance A (ms)',
        '',
        "| run | cancels | → token fired p50 / p95 / p99 / max | B's cancel call p50 / p99 | → `cancelled` written p50 / p99 | commits/cycle | WAL bytes/cycle |",
        '|---|---|---|---|---|---|---|',
      )
      byConfig.ours.forEach((r, i) => {
        const a = r.toAbortMs
        lines.push(
          `| ${i + 1} | ${r.cancels} | ${fmt(a.p50, 2)} / ${fmt(a.p95, 2)} / ${fmt(a.p99, 2)} / ${fmt(a.max, 2)} | ${fmt(r.cancelCallMs.p50, 2)} / ${fmt(r.cancelCallMs.p99, 2)} | ${fmt(r.toSettledMs.p50, 2)} / ${fmt(r.toSettledMs.p99, 2)} | ${fmt(r.commitsPerCycle, 2)} | ${fmt(r.walBytesPerCycle)} |`,
        )
      })
      lines.push(
        '',
        `p99 median over runs: ${cell(
          byConfig.ours.map((r) => r.toAbortMs.p99),
          2,
        )} ms (a cycle is: enqueue on B, claim on A, cancel on B, \`cancelled\` written by A)`,
        '',
      )
    } else if (figure === 'P4 http') {
      lines.push(
        "### P4 over HTTP: POST cancel to server B → server A's `GET ?wait` shows `cancelled` (ms, upper bound)",
        '',
        '| run | cancels | p50 / p95 / p99 / max |',
        '|---|---|---|',
      )
      byConfig.ours.forEach((r, i) =>
        lines.push(
          `| ${i + 1} | ${r.cancels} | ${fmt(r.p50Ms, 2)} / ${fmt(r.p95Ms, 2)} / ${fmt(r.p99Ms, 2)} / ${fmt(r.maxMs, 2)} |`,
        ),
      )
      lines.push('')
    } else if (figure === 'P8 flat') {
      lines.push(
        '### P8 flat: memory while the jobs pass through (MB)',
        '',
        '| jobs (done) | jobs/s | RSS start / after warm-up / max / end | RSS slope per 100k jobs | RSS medians by quarter after warm-up | heapUsed start / warm / max / end | heap slope per 100k | commits/job | WAL bytes/job |',
        '|---|---|---|---|---|---|---|---|---|',
      )
      for (const r of byConfig.ours) {
        const q = (x) => `${fmt(x.startMb, 1)} / ${fmt(x.warmMb, 1)} / ${fmt(x.maxMb, 1)} / ${fmt(x.endMb, 1)}`
        lines.push(
          `| ${r.jobs} (${r.completed}${r.capped ? ', time-capped' : ''}) | ${fmt(r.jobsPerSec)} | ${q(r.rss)} | ${fmt(r.rss.slopeMbPer100k, 2)} | ${(r.rss.quarterMediansMb ?? []).map((x) => fmt(x, 1)).join(', ')} | ${q(r.heapUsed)} | ${fmt(r.heapUsed.slopeMbPer100k, 2)} | ${fmt(r.commitsPerJob, 3)} | ${fmt(r.walBytesPerJob)} |`,
        )
      }
      lines.push(
        '',
        `Warm-up: the first ${byConfig.ours[0].warmupJobs} jobs; concurrency ${byConfig.ours[0].concurrency}; samples (sec, settled, rss, heapUsed) every 1 s in the .json.`,
        '',
      )
    } else if (figure === 'P9') {
      for (const r of byConfig.ours) {
        lines.push(
          `### P9 queue depth: ${r.finished} finished jobs vs none, ${r.queued} queued both times (ms, ${r.ops} operations × ${r.rounds} rounds)`,
          '',
          '| operation | empty p50 / p99 | deep p50 / p99 | deep ÷ empty p50 / p99 |',
          '|---|---|---|---|',
        )
        for (const [m, x] of Object.entries(r.ratioDeepToEmpty)) {
          lines.push(
            `| ${m} | ${fmt(r.summary.empty[m].p50, 2)} / ${fmt(r.summary.empty[m].p99, 2)} | ${fmt(r.summary.deep[m].p50, 2)} / ${fmt(r.summary.deep[m].p99, 2)} | ${fmt(x.p50, 2)} / ${fmt(x.p99, 2)} |`,
          )
        }
        lines.push(
          '',
          'Per round (p50 ms): ' +
            r.perRound
              .map(
                (p) =>
                  `${p.round} ${p.side}: claim1 ${fmt(p.claim1P50, 2)}, claim50 ${fmt(p.claim50P50, 2)}, enqueue1 ${fmt(p.enqueue1P50, 2)}, enqueue100 ${fmt(p.enqueue100P50, 2)}`,
              )
              .join('; '),
          '',
        )
        for (const [side, plan] of Object.entries(r.plans))
          lines.push(`Claim (limit 50) plan, ${side} table:`, '', '```', plan, '```', '')
        const p = r.pruning
        if (p)
          lines.push(
            `Pruner on the deep table: default retention (keeps all) ${fmt(p.keepAllRunMs, 1)} ms, ${p.keepAllPruned} deleted; retention 1 h: ${p.hourPruned} deleted in ${fmt(p.hourRunMs, 0)} ms (${fmt(p.hourJobsPerSec, 0)} jobs/s), ${p.finishedLeft} finished jobs left.`,
            '',
          )
      }
    } else {
      lines.push(
        `### ${figure}`,
        '',
        '```',
        ...Object.entries(byConfig).map(([k, rs]) => `${k}: ${rs.map((r) => JSON.stringify(r)).join('\n  ')}`),
        '```',
        '',
      )
    }
  }
  return lines.join('\n')
}

/** Written after every figure, so a failure later keeps what was measured. */
async function save() {
  await fs.mkdir(path.join(benchDir, 'results'), { recursive: true })
  const stamp = results.startedAt.replace(/[:.]/g, '-')
  await fs.writeFile(path.join(benchDir, 'results', `${stamp}.json`), JSON.stringify(results, null, 2))
  await fs.writeFile(path.join(benchDir, 'results', `${stamp}.md`), summarize(results))
}

/** What the figure files (p1BlackBox.mjs, p3Users.mjs, …) take from this run. */
const context = () => ({
  results,
  runs,
  jobs,
  smoke,
  args,
  durationSec,
  urls: Object.fromEntries(Object.entries(DATABASES).map(([system, name]) => [system, dbUrl(name)])),
  reset,
  child,
  cannonMeasured,
})

const figures = {
  P1: p1,
  P1bb: () => p1BlackBox(context()),
  P3users: () => p3Users(context()),
  P3b: () => p3Running(context()),
  P11: () => p11ScaleOut(context()),
  idle: () => idleCost(context()),
  P2: p2,
  P3: p3,
  P4: p4,
  P4http: p4http,
  P5: p5,
  P6: p6,
  P7: p7,
  P7bb: () => p7BlackBox(context()),
  P8: p8,
  P8flat: p8flat,
  P8features: () => p8Features(context()),
  P9: p9,
}
try {
  compile()
  await createDatabases()
  for (const [name, fn] of Object.entries(figures)) {
    if (!only.has(name)) continue
    log(`${name} starts (load average ${loadAverage()})`)
    await fn()
    if (!smoke) await save()
  }
} finally {
  await dropDatabases().catch((e) => log('drop failed', e.message))
}
results.finishedAt = new Date().toISOString()
if (!smoke) await save()
const summary = summarize(results)
process.stdout.write(`${summary}\n`)
if (args.json) process.stdout.write(`JSON ${JSON.stringify(results)}\n`)
