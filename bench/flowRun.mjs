/**
 * Issue 19's flow control benchmarks: P10 scheduled-start lag (ours beside graphile-worker and
 * pg-boss, interleaved), fairness between owners, rate-limit accuracy and P1 with concurrency keys
 * (with and without keys, interleaved). Each run is a fresh process (dist/bench/flow.js for us,
 * bench/peers.mjs `lag` for the peers), each system in its own database, truncated between runs.
 *
 *   node bench/flowRun.mjs [--only lag,fairness,rate,keys] [--runs 3] [--lag-jobs 1000] [--spread-ms 60000]
 *                          [--fair-jobs 100000] [--rate-seconds 60] [--rate-burst 1] [--key-jobs 50000]
 *                          [--per-key 2[,20,1000]]
 *                          [--lag-peers graphile-default,pgboss-default] [--db-prefix flow]
 *
 * Writes bench/results/flow-<timestamp>.json and prints each result. Needs PostgreSQL at
 * BENCH_DATABASE_URL (default postgres://root@127.0.0.1:5432/test).
 */
import { spawn, execFileSync } from 'node:child_process'
import fs from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import pg from 'pg'

const benchDir = path.dirname(fileURLToPath(import.meta.url))
const root = path.dirname(benchDir)
const adminUrl = process.env.BENCH_DATABASE_URL ?? 'postgres://root@127.0.0.1:5432/test'
const args = Object.fromEntries(
  process.argv
    .slice(2)
    .map((a, i, all) =>
      a.startsWith('--') ? [a.slice(2), all[i + 1]?.startsWith('--') ? true : (all[i + 1] ?? true)] : null,
    )
    .filter(Boolean),
)
const only = new Set(String(args.only ?? 'lag,fairness,rate,keys').split(','))
const runs = Number(args.runs ?? 3)
const prefix = String(args['db-prefix'] ?? 'flow')
if (!/^[a-z_][a-z0-9_]*$/.test(prefix)) throw new Error('--db-prefix must be a lower-case SQL identifier')
const DATABASES = { ours: `${prefix}_ours`, graphile: `${prefix}_graphile`, pgboss: `${prefix}_pgboss` }
const lagPeers = String(args['lag-peers'] ?? 'graphile-default,pgboss-default')
  .split(',')
  .filter(Boolean)

const log = (...parts) => console.error(`[flow ${new Date().toISOString().slice(11, 19)}]`, ...parts)
const dbUrl = (name) => Object.assign(new URL(adminUrl), { pathname: `/${name}` }).toString()

async function admin(fn, url = adminUrl) {
  const client = new pg.Client({ connectionString: url })
  await client.connect()
  try {
    return await fn(client)
  } finally {
    await client.end()
  }
}

const RESET = {
  ours: [
    'truncate job_runner.job_runner_jobs, job_runner.job_runner_owner_jobs, job_runner.job_runner_instances, job_runner.job_runner_rate_limits',
  ],
  graphile: ['truncate graphile_worker._private_jobs, graphile_worker._private_job_queues cascade'],
  pgboss: ['truncate pgboss.job cascade'],
}
const systemOf = (config) => (config === 'ours' ? 'ours' : config.startsWith('graphile') ? 'graphile' : 'pgboss')

async function reset(system) {
  await admin(async (c) => {
    for (const statement of RESET[system]) await c.query(statement)
    await c.query('vacuum analyze')
  }, dbUrl(DATABASES[system]))
}

function child(config, mode, params) {
  const argv =
    config === 'ours'
      ? [path.join(root, 'dist/bench/flow.js'), mode, JSON.stringify(params)]
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

async function setup() {
  execFileSync(
    process.execPath,
    [path.join(root, 'node_modules/typescript/bin/tsc'), '-p', path.join(benchDir, 'tsconfig.json')],
    {
      cwd: root,
      stdio: 'inherit',
    },
  )
  await admin(async (c) => {
    for (const name of Object.values(DATABASES)) {
      await c.query(`drop database if exists ${name} with (force)`)
      await c.query(`create database ${name}`)
    }
  })
  // Ours migrates in each child (openRunner); the peers install their schemas here.
  await child('ours', 'drain', { databaseUrl: dbUrl(DATABASES.ours), jobs: 10 })
  if (only.has('lag')) {
    if (lagPeers.some((p) => p.startsWith('graphile')))
      await child('graphile-default', 'setup', { databaseUrl: dbUrl(DATABASES.graphile) })
    if (lagPeers.some((p) => p.startsWith('pgboss')))
      await child('pgboss-default', 'setup', { databaseUrl: dbUrl(DATABASES.pgboss) })
  }
}

const results = {
  startedAt: new Date().toISOString(),
  args,
  machine: { nproc: os.cpus().length, node: process.version, loadavg: os.loadavg() },
  figures: {},
}

async function measure(figure, config, mode, params) {
  await reset(systemOf(config))
  const result = await child(config, mode, { databaseUrl: dbUrl(DATABASES[systemOf(config)]), ...params })
  ;(results.figures[figure] ??= {})[config] ??= []
  results.figures[figure][config].push(result)
  const { perSecond, aStartedAtRounds, ...shown } = result
  log(figure, config, JSON.stringify(shown))
  return result
}

await setup()
try {
  if (only.has('lag')) {
    const params = {
      jobs: Number(args['lag-jobs'] ?? 1000),
      spreadMs: Number(args['spread-ms'] ?? 60_000),
      concurrency: 10,
    }
    for (let run = 0; run < runs; run++) {
      for (const config of ['ours', ...lagPeers]) await measure('P10', config, 'lag', params)
    }
  }
  if (only.has('fairness')) {
    for (let run = 0; run < runs; run++) {
      await measure('fairness', 'ours', 'fairness', {
        jobs: Number(args['fair-jobs'] ?? 100_000),
        concurrency: 10,
        rounds: 5,
        everyMs: 2000,
      })
    }
  }
  if (only.has('rate')) {
    await measure('rate', 'ours', 'rate', {
      limit: 10,
      burst: Number(args['rate-burst'] ?? 1),
      durationMs: Number(args['rate-seconds'] ?? 60) * 1000,
      instances: 2,
      concurrency: 10,
    })
  }
  if (only.has('keys')) {
    const jobs = Number(args['key-jobs'] ?? 50_000)
    // Issue 19's figure is perKey 2; larger ones tell the limits' tightness from the limited claim's own cost.
    const perKeys = String(args['per-key'] ?? '2')
      .split(',')
      .map(Number)
    for (let run = 0; run < runs; run++) {
      await measure('P1keys', 'ours', 'drain', { jobs, concurrency: 10, keys: 0 })
      results.figures.P1keys.ours.at(-1).variant = 'no keys'
      for (const perKey of perKeys) {
        await measure('P1keys', 'ours', 'drain', { jobs, concurrency: 10, keys: 1000, perKey })
        results.figures.P1keys.ours.at(-1).variant = `1,000 keys, perKey ${perKey}`
      }
    }
  }
} finally {
  await admin(async (c) => {
    for (const name of Object.values(DATABASES)) await c.query(`drop database if exists ${name} with (force)`)
  })
  results.finishedAt = new Date().toISOString()
  const file = path.join(benchDir, 'results', `flow-${results.startedAt.replace(/[:.]/g, '-')}.json`)
  await fs.writeFile(file, JSON.stringify(results, null, 2))
  log('wrote', path.relative(root, file))
}
