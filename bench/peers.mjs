/**
 * The peers' side of the benchmarks, one mode per fresh process (`bench/run.mjs` spawns it):
 *
 *   node bench/peers.mjs <peer> <mode> '<json params>'
 *
 * peer: graphile-default | graphile-tuned | pgboss-default | pgboss-tuned
 * mode: setup (install schema), drain (P1), latency (P2, graphile only), lag (P10: `jobs` jobs at random
 * runAt within `spreadMs`, from 2 s ahead; start − runAt). Prints one `RESULT {json}` line.
 * The measurement helpers are ours' (`bench/measure.ts`), compiled into dist/ by run.mjs before any
 * child starts, so that every system is measured by the same code.
 */
import { performance } from 'node:perf_hooks'
import pg from 'pg'
import { makeWorkerUtils, run as runGraphile } from 'graphile-worker'
import { PgBoss } from 'pg-boss'
import { machineCpuMs, machineCpuPerJob, percentile, rssMb } from '../dist/bench/measure.js'

const [peer, mode = 'drain', rawParams = '{}'] = process.argv.slice(2)
const params = JSON.parse(rawParams)
const total = params.jobs ?? 20_000
const concurrency = params.concurrency ?? 10
const timeCapMs = params.timeCapMs ?? 60_000
const QUEUE = 'echo'

const graphilePreset = {
  'graphile-default': { worker: {} },
  'graphile-tuned': { worker: { localQueue: { size: 500 }, completeJobBatchDelay: 0, failJobBatchDelay: 0 } },
}
const bossWork = {
  'pgboss-default': {},
  'pgboss-tuned': { batchSize: 50 },
}

const silentLogger = { scope: () => silentLogger, debug() {}, info() {}, warn() {}, error() {} }

async function counters(client) {
  await new Promise((r) => setTimeout(r, 1100))
  const { rows } = await client.query(
    `select xact_commit::text as commits, pg_wal_lsn_diff(pg_current_wal_lsn(), '0/0')::text as wal
     from pg_stat_database where datname = current_database()`,
  )
  return { commits: Number(rows[0].commits), walBytes: Number(rows[0].wal) }
}

/** Polls `countSql` (jobs not yet finished) until it reaches zero or the time cap passes. */
async function waitDrained(client, countSql, started) {
  let polls = 0
  for (;;) {
    const { rows } = await client.query(countSql)
    polls += 1
    const left = Number(rows[0].n)
    const elapsedMs = performance.now() - started
    if (left === 0 || elapsedMs >= timeCapMs) return { left, elapsedMs, polls }
    await new Promise((r) => setTimeout(r, 20))
  }
}

function lagSummary(lags) {
  return {
    n: lags.length,
    p50Ms: percentile(lags, 50),
    p90Ms: percentile(lags, 90),
    p99Ms: percentile(lags, 99),
    maxMs: Math.max(...lags),
    minMs: Math.min(...lags),
  }
}

async function graphile() {
  const preset = graphilePreset[peer]
  if (mode === 'setup') {
    const utils = await makeWorkerUtils({ connectionString: params.databaseUrl, logger: silentLogger })
    await utils.migrate()
    await utils.release()
    return { ok: true }
  }
  const utils = await makeWorkerUtils({ connectionString: params.databaseUrl, logger: silentLogger })
  if (mode === 'drain') {
    const enqueueStarted = performance.now()
    for (let done = 0; done < total; done += 1000) {
      const n = Math.min(1000, total - done)
      await utils.addJobs(Array.from({ length: n }, () => ({ identifier: QUEUE, payload: {} })))
    }
    const enqueueMs = performance.now() - enqueueStarted
    // Its connections' commits are reported when they close (PostgreSQL 15 reports lazily), not during the drain.
    await utils.release()
    const client = new pg.Client({ connectionString: params.databaseUrl })
    await client.connect()
    const before = await counters(client)
    const rssBefore = rssMb()
    const started = performance.now()
    const cpuBefore = process.cpuUsage()
    const machineBefore = machineCpuMs()
    const runner = await runGraphile({
      connectionString: params.databaseUrl,
      concurrency,
      noHandleSignals: true,
      logger: silentLogger,
      preset,
      taskList: { [QUEUE]: async (payload) => payload },
    })
    const { left, elapsedMs, polls } = await waitDrained(
      client,
      'select count(*) as n from graphile_worker._private_jobs',
      started,
    )
    const cpu = process.cpuUsage(cpuBefore)
    const machineAfter = machineCpuMs()
    const rssAfter = rssMb()
    await runner.stop()
    const after = await counters(client)
    await client.end()
    const completed = total - left
    return {
      jobs: total,
      completed,
      capped: left > 0,
      elapsedMs,
      jobsPerSec: (completed / elapsedMs) * 1000,
      enqueueMs,
      // The worker process's own CPU (user + system) per job while it drained, in microseconds.
      cpuUsPerJob: (cpu.user + cpu.system) / completed,
      ...machineCpuPerJob(machineBefore, machineAfter, completed),
      rssBeforeMb: rssBefore,
      rssAfterMb: rssAfter,
      commitsPerJob: (after.commits - before.commits - polls - 1) / completed,
      walBytesPerJob: (after.walBytes - before.walBytes) / completed,
    }
  }
  if (mode === 'lag') {
    const lags = []
    let allDone
    const done = new Promise((r) => (allDone = r))
    const runner = await runGraphile({
      connectionString: params.databaseUrl,
      concurrency,
      noHandleSignals: true,
      logger: silentLogger,
      preset,
      taskList: {
        [QUEUE]: async (payload) => {
          lags.push(Date.now() - payload.runAt)
          if (lags.length === total) allDone()
        },
      },
    })
    const base = Date.now() + 2000
    const spreadMs = params.spreadMs ?? 60_000
    const runAts = Array.from({ length: total }, () => base + Math.random() * spreadMs)
    for (let i = 0; i < total; i += 100) {
      await utils.addJobs(
        runAts.slice(i, i + 100).map((runAt) => ({ identifier: QUEUE, payload: { runAt }, runAt: new Date(runAt) })),
      )
    }
    await done
    await runner.stop()
    await utils.release()
    return lagSummary(lags)
  }
  if (mode === 'latency') {
    let onStart = () => {}
    let onDone = () => {}
    const runner = await runGraphile({
      connectionString: params.databaseUrl,
      concurrency,
      noHandleSignals: true,
      logger: silentLogger,
      preset,
      taskList: {
        [QUEUE]: async () => {
          onStart()
          setImmediate(() => onDone())
        },
      },
    })
    const samples = []
    const measureOne = async () => {
      const startedAt = performance.now()
      let startMs = 0
      const started = new Promise(
        (r) =>
          (onStart = () => {
            startMs = performance.now() - startedAt
            r()
          }),
      )
      const done = new Promise((r) => (onDone = r))
      await runner.addJob(QUEUE, {})
      await started
      await done
      return startMs
    }
    for (let i = 0; i < 50; i++) await measureOne()
    await new Promise((r) => setTimeout(r, 500))
    for (let i = 0; i < total; i++) samples.push(await measureOne())
    await runner.stop()
    await utils.release()
    return { jobs: total, p50Ms: percentile(samples, 50), p99Ms: percentile(samples, 99) }
  }
  throw new Error(`unknown mode ${mode}`)
}

async function pgboss() {
  const boss = new PgBoss({ connectionString: params.databaseUrl })
  boss.on('error', (error) => console.error('pg-boss error', error))
  if (mode === 'setup') {
    await boss.start()
    await boss.createQueue(QUEUE)
    await boss.stop({ graceful: false })
    return { ok: true }
  }
  if (mode === 'lag') {
    await boss.start()
    const lags = []
    let allDone
    const done = new Promise((r) => (allDone = r))
    await boss.work(QUEUE, { localConcurrency: concurrency, ...bossWork[peer] }, async (jobs) => {
      for (const job of jobs) lags.push(Date.now() - job.data.runAt)
      if (lags.length >= total) allDone()
    })
    const base = Date.now() + 2000
    const spreadMs = params.spreadMs ?? 60_000
    const runAts = Array.from({ length: total }, () => base + Math.random() * spreadMs)
    for (let i = 0; i < total; i += 100) {
      await boss.insert(
        QUEUE,
        runAts.slice(i, i + 100).map((runAt) => ({ data: { runAt }, startAfter: new Date(runAt) })),
      )
    }
    await done
    await boss.stop({ graceful: false, wait: true })
    return lagSummary(lags)
  }
  if (mode !== 'drain') throw new Error(`unknown mode ${mode}`)
  await boss.start()
  const enqueueStarted = performance.now()
  for (let done = 0; done < total; done += 1000) {
    const n = Math.min(1000, total - done)
    await boss.insert(
      QUEUE,
      Array.from({ length: n }, () => ({ data: {} })),
    )
  }
  const enqueueMs = performance.now() - enqueueStarted
  const client = new pg.Client({ connectionString: params.databaseUrl })
  await client.connect()
  const before = await counters(client)
  const rssBefore = rssMb()
  const started = performance.now()
  const cpuBefore = process.cpuUsage()
  const machineBefore = machineCpuMs()
  await boss.work(QUEUE, { localConcurrency: concurrency, ...bossWork[peer] }, async (jobs) =>
    Promise.all(jobs.map(async (job) => job.data)),
  )
  const { left, elapsedMs, polls } = await waitDrained(
    client,
    `select count(*) as n from pgboss.job where name = '${QUEUE}' and state <> 'completed'`,
    started,
  )
  const cpu = process.cpuUsage(cpuBefore)
  const machineAfter = machineCpuMs()
  const rssAfter = rssMb()
  await boss.stop({ graceful: false, wait: true })
  const after = await counters(client)
  await client.end()
  const completed = total - left
  return {
    jobs: total,
    completed,
    capped: left > 0,
    elapsedMs,
    jobsPerSec: (completed / elapsedMs) * 1000,
    enqueueMs,
    // The worker process's own CPU (user + system) per job while it drained, in microseconds.
    cpuUsPerJob: (cpu.user + cpu.system) / completed,
    ...machineCpuPerJob(machineBefore, machineAfter, completed),
    rssBeforeMb: rssBefore,
    rssAfterMb: rssAfter,
    commitsPerJob: (after.commits - before.commits - polls - 1) / completed,
    walBytesPerJob: (after.walBytes - before.walBytes) / completed,
  }
}

const result = peer.startsWith('graphile') ? await graphile() : await pgboss()
process.stdout.write(`RESULT ${JSON.stringify(result)}\n`)
process.exit(0)
