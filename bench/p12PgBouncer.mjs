/**
 * P12 (issue 24): ours through PgBouncer in transaction pooling mode (Debian's `pgbouncer`, as
 * Heroku and most managed PostgreSQL run it) beside ours direct, in the same run, interleaved run by
 * run so that the shared machine's noise hits both:
 *
 * - P1: the drain of pre-enqueued echo jobs (bench/ours.ts `drain`, as bench/run.mjs --only P1),
 *   the runner's claims and outcomes through the pooler;
 * - P3: authenticated durable HTTP enqueue (the compiled service, autocannon c=64, the runner
 *   serving another queue), as bench/run.mjs --only P3;
 * - the machine's state: bare Hono req/s (bench/bareHono.ts) in each run;
 * - what one statement costs, taken apart: 2,000 reads of one job one after the other
 *   (`JobStore.getJob`), direct with prepared statements (the default), direct without them (what
 *   DATABASE_POOLING=transaction does, without the pooler) and through PgBouncer; medians and p99
 *   in microseconds.
 *
 *   node bench/p12PgBouncer.mjs [--runs 5] [--jobs 50000] [--concurrency 10] [--duration 20] [--pool 10]
 *
 * Through the bouncer the service gets DATABASE_URL = the bouncer, DATABASE_DIRECT_URL = the server
 * (so DATABASE_POOLING=transaction: unprepared statements, LISTEN and migrations direct). `--pool`
 * is the bouncer's server connections for the database (default 10: the service's own pool size,
 * so that the pooler adds no wait of its own). Needs the pgbouncer executable and PostgreSQL at
 * BENCH_DATABASE_URL (default postgres://root@127.0.0.1:5432/test; the database bench_p12 is made
 * and dropped there). Writes bench/results/<time>-P12.json and .md.
 */
import { execFileSync, spawn } from 'node:child_process'
import fs from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import autocannon from 'autocannon'
import pg from 'pg'

const benchDir = path.dirname(fileURLToPath(import.meta.url))
const root = path.dirname(benchDir)
const adminUrl = process.env.BENCH_DATABASE_URL ?? 'postgres://root@127.0.0.1:5432/test'
const SECRET = 'bench-secret-bench-secret-bench-secret!'
const DATABASE = 'bench_p12'

const args = Object.fromEntries(
  process.argv
    .slice(2)
    .map((a, i, all) => (a.startsWith('--') ? [a.slice(2), all[i + 1]?.startsWith('--') ? true : all[i + 1]] : null))
    .filter(Boolean),
)
const runs = Number(args.runs ?? 5)
const jobs = Number(args.jobs ?? 50_000)
const concurrency = Number(args.concurrency ?? 10)
const durationSec = Number(args.duration ?? 20)
const poolSize = Number(args.pool ?? 10)

const log = (...parts) => console.error(`[p12 ${new Date().toISOString().slice(11, 19)}]`, ...parts)
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b)
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2
}

function dbUrl(name, base = adminUrl) {
  const url = new URL(base)
  url.pathname = `/${name}`
  return url.toString()
}

async function admin(fn, url = adminUrl) {
  const client = new pg.Client({ connectionString: url })
  await client.connect()
  try {
    return await fn(client)
  } finally {
    await client.end()
  }
}

/** A bench child of ours (dist/bench/ours.js) and its RESULT line. */
function ours(mode, params) {
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, [path.join(root, 'dist/bench/ours.js'), mode, JSON.stringify(params)], {
      cwd: root,
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let out = ''
    let err = ''
    proc.stdout.on('data', (d) => (out += d))
    proc.stderr.on('data', (d) => (err += d))
    proc.on('exit', (code) => {
      const line = out.split('\n').find((l) => l.startsWith('RESULT '))
      if (code !== 0 || !line) reject(new Error(`ours ${mode} exited ${code}: ${err.slice(-2000)}`))
      else resolve(JSON.parse(line.slice(7)))
    })
  })
}

/** A process that prints `READY <port>` (bareHono) or answers /readyz (the service). */
async function startProcess(argv, env, readyOnStdout) {
  const port = 20000 + Math.floor(Math.random() * 20000)
  const proc = spawn(process.execPath, argv, {
    cwd: root,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, PORT: String(port), JWT_SECRET: SECRET, LOG_LEVEL: 'warn', ...env },
  })
  let out = ''
  proc.stdout.on('data', (d) => (out = (out + d).slice(-4000)))
  proc.stderr.on('data', (d) => (out = (out + d).slice(-4000)))
  const exited = new Promise((resolve) => proc.once('exit', resolve))
  for (;;) {
    if (proc.exitCode !== null) throw new Error(`${argv.at(-1)} exited before ready: ${out}`)
    if (readyOnStdout) {
      const m = /READY (\d+)/.exec(out)
      if (m) return { proc, exited, url: `http://127.0.0.1:${m[1]}` }
    } else {
      const url = `http://127.0.0.1:${port}`
      if (
        await fetch(`${url}/readyz`).then(
          (r) => r.ok,
          () => false,
        )
      )
        return { proc, exited, url }
    }
    await new Promise((r) => setTimeout(r, 20))
  }
}

async function stop({ proc, exited }) {
  if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGKILL')
  await exited
}

function cannon(url, headers) {
  return new Promise((resolve, reject) => {
    autocannon(
      {
        url: `${url}/v1/jobs`,
        method: 'POST',
        connections: 64,
        duration: durationSec,
        headers: { 'content-type': 'application/json', ...headers },
        body: '{"type":"echo","payload":{}}',
      },
      (error, result) => (error ? reject(error) : resolve(result)),
    )
  })
}

async function token() {
  const { SignJWT } = await import(path.join(root, 'node_modules/jose/dist/webapi/index.js'))
  return new SignJWT({ scope: 'jobs:write jobs:read' })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject('bench')
    .setAudience('job-runner')
    .setIssuedAt()
    .setExpirationTime('2h')
    .sign(new TextEncoder().encode(SECRET))
}

async function reset() {
  await admin(async (c) => {
    await c.query(
      'truncate job_runner.job_runner_jobs, job_runner.job_runner_owner_jobs, job_runner.job_runner_instances',
    )
    await c.query('vacuum analyze')
  }, dbUrl(DATABASE))
}

// ---------------------------------------------------------------------------------------------

execFileSync(
  process.execPath,
  [path.join(root, 'node_modules/typescript/bin/tsc'), '-p', path.join(benchDir, 'tsconfig.json')],
  { cwd: root, stdio: 'inherit' },
)
execFileSync(process.execPath, [path.join(root, 'scripts/copy-job-files.mjs')], { cwd: root, stdio: 'inherit' })
const { findPgBouncer, startPgBouncer } = await import(path.join(root, 'dist/test/support/pgbouncer.js'))
if (!findPgBouncer()) throw new Error('pgbouncer is not installed (apt-get install pgbouncer)')

await admin(async (c) => {
  await c.query(`drop database if exists ${DATABASE} with (force)`)
  await c.query(`create database ${DATABASE}`)
})
const direct = dbUrl(DATABASE)
await ours('setup', { databaseUrl: direct })
const bouncer = await startPgBouncer({ upstreamUrl: adminUrl, poolSize })
const pooled = bouncer.urlFor(direct)
const version = execFileSync(findPgBouncer(), ['--version'], { encoding: 'utf8' }).split('\n')[0]
log(`${version} on port ${bouncer.port}, pool_mode transaction, ${poolSize} server connections`)

const WAYS = {
  direct: { databaseUrl: direct },
  pgbouncer: { databaseUrl: pooled, databaseDirectUrl: direct },
}
const envOf = (way) =>
  way.databaseDirectUrl
    ? { DATABASE_URL: way.databaseUrl, DATABASE_DIRECT_URL: way.databaseDirectUrl }
    : { DATABASE_URL: way.databaseUrl }

const { connectDatabase } = await import(path.join(root, 'dist/src/db/connect.js'))
const { JobStore } = await import(path.join(root, 'dist/src/queue/store.js'))
const READ_WAYS = {
  'direct prepared': { databaseUrl: direct },
  'direct unprepared': { databaseUrl: direct, databaseDirectUrl: direct, databasePooling: 'transaction' },
  pgbouncer: { databaseUrl: pooled, databaseDirectUrl: direct, databasePooling: 'transaction' },
}
const READS = 2000

/** `READS` reads of one job, one at a time, after 200 to warm up: p50 and p99 in microseconds. */
async function sequentialReads(options) {
  const db = await connectDatabase({ ...options, dataDir: os.tmpdir(), maxConnections: 1 })
  try {
    const store = new JobStore(db.sql, db.schema)
    const [{ job }] = await store.enqueueJobs({
      owner: 'bench',
      jobs: [
        {
          type: 'echo',
          queue: 'nobody',
          payload: {},
          priority: 0,
          maxAttempts: 1,
          maxInterruptions: 0,
          timeoutSeconds: null,
          runAt: null,
          idempotencyKey: null,
          requestHash: null,
        },
      ],
    })
    const samples = []
    for (let i = 0; i < READS + 200; i++) {
      const started = process.hrtime.bigint()
      await store.getJob({ id: job.id, owner: 'bench' })
      if (i >= 200) samples.push(Number(process.hrtime.bigint() - started) / 1000)
    }
    samples.sort((a, b) => a - b)
    return { p50: samples[Math.floor(samples.length / 2)], p99: samples[Math.floor(samples.length * 0.99)] }
  } finally {
    await db.close()
  }
}

const results = {
  startedAt: new Date().toISOString(),
  params: { runs, jobs, concurrency, durationSec, poolSize, pgbouncer: version },
  machine: { nproc: os.cpus().length, node: process.version, loadAverage: os.loadavg() },
  runs: [],
}
const bearer = `Bearer ${await token()}`
try {
  for (let run = 0; run < runs; run++) {
    const row = { run: run + 1, loadAverage: os.loadavg()[0] }
    // Alternate which goes first, so that neither always runs on the warmer (or busier) machine.
    const order = run % 2 === 0 ? ['direct', 'pgbouncer'] : ['pgbouncer', 'direct']
    for (const name of order) {
      await reset()
      const drained = await ours('drain', { ...WAYS[name], jobs, concurrency, timeCapMs: 300_000 })
      row[`P1 ${name}`] = drained.jobsPerSec
      row[`P1 ${name} commits/job`] = drained.commitsPerJob
      log(`run ${run + 1} P1 ${name}: ${drained.jobsPerSec.toFixed(0)} jobs/s (c=${concurrency})`)
    }
    for (const name of order) {
      await reset()
      const service = await startProcess([path.join(root, 'dist/src/main.js')], {
        ...envOf(WAYS[name]),
        QUEUES: 'nobody',
      })
      const r = await cannon(service.url, { authorization: bearer })
      await stop(service)
      row[`P3 ${name}`] = r.requests.average
      row[`P3 ${name} p99`] = r.latency.p99
      row[`P3 ${name} non2xx`] = r.non2xx + r.errors
      log(
        `run ${run + 1} P3 ${name}: ${r.requests.average.toFixed(0)} req/s p99 ${r.latency.p99} ms (non2xx ${r.non2xx}, errors ${r.errors})`,
      )
    }
    for (const [name, options] of Object.entries(READ_WAYS)) {
      const { p50, p99 } = await sequentialReads(options)
      row[`read ${name} p50`] = p50
      row[`read ${name} p99`] = p99
      log(`run ${run + 1} read ${name}: p50 ${p50.toFixed(0)} µs p99 ${p99.toFixed(0)} µs`)
    }
    const bare = await startProcess([path.join(root, 'dist/bench/bareHono.js')], {}, true)
    const hono = await cannon(bare.url, {})
    await stop(bare)
    row['bare Hono'] = hono.requests.average
    log(`run ${run + 1} bare Hono: ${hono.requests.average.toFixed(0)} req/s`)
    results.runs.push(row)
  }
} finally {
  results.pgbouncer = await bouncer.transactions().catch(() => undefined)
  await bouncer.stop()
  await admin((c) => c.query(`drop database if exists ${DATABASE} with (force)`))
}

const col = (key) => results.runs.map((r) => r[key])
const summary = {}
for (const key of Object.keys(results.runs[0])) if (key !== 'run') summary[key] = median(col(key))
results.medians = summary
const ratio = (a, b) => (summary[a] / summary[b]).toFixed(2)
const md = [
  `## P12 — through PgBouncer (transaction pooling) beside direct, ${results.startedAt}`,
  '',
  `\`node bench/p12PgBouncer.mjs --runs ${runs} --jobs ${jobs} --concurrency ${concurrency} --duration ${durationSec} --pool ${poolSize}\`;`,
  `${version}, ${poolSize} server connections; ${results.machine.nproc} cores, load average at start ${results.machine.loadAverage.map((l) => l.toFixed(1)).join(' ')} (the machine is shared: numbers are noisy).`,
  '',
  '| run | load | P1 direct jobs/s | P1 PgBouncer jobs/s | P3 direct req/s (p99 ms) | P3 PgBouncer req/s (p99 ms) | bare Hono req/s |',
  '| --- | --- | --- | --- | --- | --- | --- |',
  ...results.runs.map(
    (r) =>
      `| ${r.run} | ${r.loadAverage.toFixed(1)} | ${r['P1 direct'].toFixed(0)} | ${r['P1 pgbouncer'].toFixed(0)} | ${r['P3 direct'].toFixed(0)} (${r['P3 direct p99']}) | ${r['P3 pgbouncer'].toFixed(0)} (${r['P3 pgbouncer p99']}) | ${r['bare Hono'].toFixed(0)} |`,
  ),
  `| median | | ${summary['P1 direct'].toFixed(0)} | ${summary['P1 pgbouncer'].toFixed(0)} (${ratio('P1 pgbouncer', 'P1 direct')}×) | ${summary['P3 direct'].toFixed(0)} (${summary['P3 direct p99']}) | ${summary['P3 pgbouncer'].toFixed(0)} (${ratio('P3 pgbouncer', 'P3 direct')}×) (${summary['P3 pgbouncer p99']}) | ${summary['bare Hono'].toFixed(0)} |`,
  '',
  '| run | read direct prepared p50 / p99 µs | read direct unprepared | read PgBouncer |',
  '| --- | --- | --- | --- |',
  ...[...results.runs, { run: 'median', ...summary }].map(
    (r) =>
      `| ${r.run} | ${['direct prepared', 'direct unprepared', 'pgbouncer'].map((w) => `${r[`read ${w} p50`].toFixed(0)} / ${r[`read ${w} p99`].toFixed(0)}`).join(' | ')} |`,
  ),
  '',
  `Commits per job (P1): direct ${summary['P1 direct commits/job']?.toFixed(3)}, PgBouncer ${summary['P1 pgbouncer commits/job']?.toFixed(3)}. Failed requests (P3): direct ${summary['P3 direct non2xx']}, PgBouncer ${summary['P3 pgbouncer non2xx']} (medians).`,
  results.pgbouncer ? `PgBouncer carried ${results.pgbouncer.transactions} transactions.` : '',
  '',
].join('\n')
const stamp = results.startedAt.replace(/[:.]/g, '-')
await fs.writeFile(path.join(benchDir, 'results', `${stamp}-P12.json`), JSON.stringify(results, null, 2))
await fs.writeFile(path.join(benchDir, 'results', `${stamp}-P12.md`), md)
console.log(md)
