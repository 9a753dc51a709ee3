/**
 * P11, scale-out (issue 24): 1, 2, 4 and 8 instances (`node dist/src/main.js` on their own loopback
 * ports, one database) drain P1's 50,000 echo jobs (or `--jobs`). The instances start first and idle
 * until their start-up statistics have reached PostgreSQL; then one statement inserts every job
 * (they become runnable at once, and the insert's trigger wakes every instance), and the drain is
 * read from the rows (first `started_at` → last `finished_at`).
 *
 * Commits per job are `pg_stat_database.xact_commit` deltas: PostgreSQL 15 reports an idle
 * connection's counts up to 10 s late, so the window runs from an idle reading before the insert to
 * one `--p11-settle` seconds after the last job finished, and the instances' idle commits (measured
 * over `--p11-idle-window` seconds just before) are taken off for the time outside the drain, as are
 * the harness's own polls and the insert. NOTIFYs are counted by a listening connection
 * (notifyCounter.mjs), whose reads are in the commits (at most one per notification: reported beside).
 * pg_stat_statements is not loaded on this server, so statements are not counted one by one.
 */
import pg from 'pg'
import {
  admin,
  databaseStats,
  loadAverage,
  log,
  measureHelpers,
  median,
  processCpuMs,
  sleep,
  startServiceProcess,
  statsDelta,
  stop,
} from './harness.mjs'
import { drainWindow, waitFinished } from './drainWindow.mjs'
import { countNotifications, totalNotifications } from './notifyCounter.mjs'
import { databaseOf, describeStatements, statementLog } from './statementLog.mjs'

export async function startInstances(count, env) {
  return Promise.all(Array.from({ length: count }, () => startServiceProcess(env)))
}

/** Connections the instances hold on the database (pg_stat_activity), the reading's own left out. */
export async function connectionsOf(url) {
  return admin(
    async (c) =>
      (
        await c.query(
          `select count(*)::int as n from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()`,
        )
      ).rows[0].n,
    url,
  )
}

/** The peak of `connectionsOf` while the drain runs, sampled every 200 ms on one connection of its own. */
async function sampleConnections(url) {
  const client = new pg.Client({ connectionString: url })
  await client.connect()
  let peak = 0
  let samples = 0
  let stopped = false
  const sampling = (async () => {
    while (!stopped) {
      const { rows } = await client.query(
        `select count(*)::int as n from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()`,
      )
      samples += 1
      // Not the instances': the harness's poll of finished jobs and the NOTIFY counter.
      peak = Math.max(peak, rows[0].n - 2)
      await sleep(200)
    }
  })()
  return {
    async stop() {
      stopped = true
      await sampling
      await client.end()
      return { peak, samples }
    },
  }
}

export async function p11ScaleOut(ctx) {
  const { results, runs, jobs, smoke, args, urls, reset } = ctx
  const counts = String(args['p11-instances'] ?? (smoke ? '1,2' : '1,2,4,8'))
    .split(',')
    .map(Number)
  const settleMs = Number(args['p11-settle'] ?? (smoke ? 1 : 11)) * 1000
  const idleWindowMs = Number(args['p11-idle-window'] ?? (smoke ? 1 : 10)) * 1000
  const figure = (results.figures.P11 = {})
  const { machineCpuMs, machineCpuPerJob } = await measureHelpers()
  const url = urls.ours

  for (let run = 0; run < runs; run++) {
    for (const n of counts) {
      await reset('ours')
      const loadBefore = loadAverage()
      // A diagnosis only: logging every statement slows the drain.
      const statements = args['log-statements']
        ? await statementLog(databaseOf(url), { plans: args['log-plans'] === true, logPath: args['pg-log'] })
        : undefined
      const instances = await startInstances(n, { DATABASE_URL: url, CONCURRENCY: '10' })
      try {
        await sleep(settleMs)
        const idleConnections = await connectionsOf(url)
        const notices = await countNotifications(url)
        const idleStart = await databaseStats(url)
        const idleStarted = Date.now()
        await sleep(idleWindowMs)
        const drainStart = await databaseStats(url)
        const windowStarted = Date.now()
        const idleCommitsPerSec = (statsDelta(idleStart, drainStart).commits / (windowStarted - idleStarted)) * 1000
        const idleNotices = notices.take()

        const cpuBefore = await Promise.all(instances.map((i) => processCpuMs(i.proc.pid)))
        const machineBefore = machineCpuMs()
        const insertStarted = Date.now()
        await admin(
          (c) =>
            c.query(
              `insert into job_runner_jobs (owner, type, queue, payload, max_attempts)
               select 'bench', 'echo', 'default', '{}', 1 from generate_series(1, $1)`,
              [jobs],
            ),
          url,
        )
        const connections = await sampleConnections(url)
        const wait = await waitFinished(url, jobs)
        const { peak: peakConnections, samples } = await connections.stop()
        const drainEnded = Date.now()
        const machine = machineCpuPerJob(machineBefore, machineCpuMs(), jobs)
        const cpuAfter = await Promise.all(instances.map((i) => processCpuMs(i.proc.pid)))
        if (wait.timedOut) throw new Error(`P11 ${n} instances finished ${wait.finished} of ${jobs}`)
        const window = await drainWindow(url)

        await sleep(settleMs)
        const drainEnd = await databaseStats(url)
        const windowEnded = Date.now()
        const drainNotices = notices.take()
        await notices.close()
        const delta = statsDelta(drainStart, drainEnd)
        const outsideDrainMs = windowEnded - windowStarted - (drainEnded - insertStarted)
        // The insert, the harness's polls, the window read and the connection samples are not the instances'.
        const harness = 1 + wait.polls + 1 + samples
        const commits = delta.commits - harness - (idleCommitsPerSec * outsideDrainMs) / 1000
        const notifications = totalNotifications(drainNotices)
        const r = {
          instances: n,
          jobs,
          ...window,
          commitsPerJob: commits / jobs,
          rawCommitsPerJob: delta.commits / jobs,
          idleCommitsPerSec,
          notificationsPerJob: notifications / jobs,
          deliveriesPerJob: (notifications * n) / jobs,
          notices: drainNotices,
          idleNotices,
          rowsReturnedPerJob: delta.returned / jobs,
          instanceCpuUsPerJob: (cpuAfter.reduce((s, x, i) => s + (x - cpuBefore[i]), 0) * 1000) / jobs,
          ...machine,
          idleConnections,
          peakConnections,
          loadAverage: loadBefore,
        }
        if (statements) r.statements = await statements.read(insertStarted, drainEnded)
        ;(figure[n] ??= []).push(r)
        log(
          'P11',
          `run ${run + 1}`,
          `${n} instance(s): ${r.jobsPerSec.toFixed(0)} jobs/s;`,
          `commits/job ${r.commitsPerJob.toFixed(4)} (raw ${r.rawCommitsPerJob.toFixed(4)}, idle ${idleCommitsPerSec.toFixed(1)}/s);`,
          `notifications/job ${r.notificationsPerJob.toFixed(4)}, deliveries/job ${r.deliveriesPerJob.toFixed(4)} ${JSON.stringify(drainNotices)};`,
          `instances' CPU ${r.instanceCpuUsPerJob.toFixed(1)} µs/job, machine ${r.machineCpuUsPerJob?.toFixed(1)} µs/job, idle ${((r.machineIdleShare ?? NaN) * 100).toFixed(0)} %;`,
          `connections idle ${idleConnections} peak ${peakConnections}; load ${loadBefore}`,
          ...(r.statements ? ['\n' + describeStatements(r.statements, { jobs }).join('\n')] : []),
        )
      } finally {
        await Promise.all(instances.map((i) => stop(i.proc, 'SIGTERM')))
        await statements?.stop()
      }
    }
  }
}

export function summarizeP11(byCount) {
  const fmt = (x, d = 0) => (typeof x !== 'number' || Number.isNaN(x) ? '–' : x.toFixed(d))
  const cell = (rs, f, d = 0) => `${fmt(median(rs.map(f)), d)} (${rs.map((r) => fmt(f(r), d)).join(', ')})`
  const jobs = Object.values(byCount).flat()[0]?.jobs
  const lines = [
    `### P11 scale-out: N instances drain ${jobs?.toLocaleString('en-US') ?? 'P1’s'} echo jobs (c=10 each), one PostgreSQL`,
    '',
    '| instances | jobs/s median (runs) | commits/job (idle taken off) | raw commits/job | NOTIFYs/job | deliveries/job | instances CPU µs/job | machine CPU µs/job | machine idle % | connections idle / peak |',
    '|---|---|---|---|---|---|---|---|---|---|',
  ]
  for (const [n, rs] of Object.entries(byCount)) {
    lines.push(
      `| ${n} | ${cell(rs, (r) => r.jobsPerSec)} | ${cell(rs, (r) => r.commitsPerJob, 4)} | ${cell(rs, (r) => r.rawCommitsPerJob, 4)} | ${cell(
        rs,
        (r) => r.notificationsPerJob,
        4,
      )} | ${cell(rs, (r) => r.deliveriesPerJob, 4)} | ${cell(rs, (r) => r.instanceCpuUsPerJob, 1)} | ${cell(
        rs,
        (r) => r.machineCpuUsPerJob,
        1,
      )} | ${cell(rs, (r) => (r.machineIdleShare ?? NaN) * 100)} | ${median(rs.map((r) => r.idleConnections))} / ${median(
        rs.map((r) => r.peakConnections),
      )} |`,
    )
  }
  lines.push('')
  return lines
}
