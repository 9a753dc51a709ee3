/**
 * Idle cost (issue 24, with P11): what idle instances (`node dist/src/main.js`, no jobs) cost
 * PostgreSQL: commits per second (`pg_stat_database.xact_commit`; each of the service's statements
 * outside an explicit transaction is a transaction of its own, so this is close to statements per
 * second), rows read, and which tables they scan (pg_stat_user_tables), over `--idle-seconds`
 * (30 by default) after `--p11-settle` seconds of settling (PostgreSQL 15 reports an idle connection's
 * counts up to 10 s late). Measured for 1 and for 10 instances; 100 is extrapolated from 10, not
 * measured. NOTIFYs meanwhile are counted too (notifyCounter.mjs).
 */
import {
  databaseStats,
  loadAverage,
  log,
  processCpuMs,
  sleep,
  statsDelta,
  stop,
  tableScans,
  tableScansDelta,
} from './harness.mjs'
import { countNotifications } from './notifyCounter.mjs'
import { connectionsOf, startInstances } from './p11ScaleOut.mjs'
import { databaseOf, describeStatements, statementLog } from './statementLog.mjs'

export async function idleCost(ctx) {
  const { results, smoke, args, urls, reset } = ctx
  const counts = String(args['idle-instances'] ?? (smoke ? '1,2' : '1,10'))
    .split(',')
    .map(Number)
  const settleMs = Number(args['p11-settle'] ?? (smoke ? 1 : 11)) * 1000
  const windowMs = Number(args['idle-seconds'] ?? (smoke ? 2 : 30)) * 1000
  const figure = (results.figures.idle = {})
  const url = urls.ours
  for (const n of counts) {
    await reset('ours')
    // A diagnosis: which statements the idle instances send (PostgreSQL's log).
    const statements = args['log-statements']
      ? await statementLog(databaseOf(url), { logPath: args['pg-log'] })
      : undefined
    const instances = await startInstances(n, { DATABASE_URL: url })
    try {
      await sleep(settleMs)
      const connections = await connectionsOf(url)
      const notices = await countNotifications(url)
      const before = await databaseStats(url)
      const scansBefore = await tableScans(url)
      const cpuBefore = await Promise.all(instances.map((i) => processCpuMs(i.proc.pid)))
      const started = Date.now()
      await sleep(windowMs)
      const after = await databaseStats(url)
      const seconds = (Date.now() - started) / 1000
      const scansAfter = await tableScans(url)
      const cpuAfter = await Promise.all(instances.map((i) => processCpuMs(i.proc.pid)))
      const noticed = notices.take()
      await notices.close()
      // The scans reading of `before` is one more commit inside the window.
      const delta = statsDelta(before, after)
      delta.commits -= 1
      const perSecond = Object.fromEntries(Object.entries(delta).map(([k, v]) => [k, v / seconds]))
      const scans = Object.fromEntries(
        Object.entries(tableScansDelta(scansBefore, scansAfter)).map(([table, c]) => [
          table,
          +(c.scans / seconds).toFixed(3),
        ]),
      )
      const r = {
        instances: n,
        seconds,
        commitsPerSec: perSecond.commits,
        commitsPerSecPerInstance: perSecond.commits / n,
        rowsReturnedPerSec: perSecond.returned,
        rowsFetchedPerSec: perSecond.fetched,
        blocksHitPerSec: perSecond.blocksHit,
        scansPerSecByTable: scans,
        instanceCpuMsPerSec: cpuAfter.reduce((s, x, i) => s + (x - cpuBefore[i]), 0) / seconds,
        connections,
        notices: noticed,
        loadAverage: loadAverage(),
      }
      if (statements) r.statements = await statements.read(started, started + seconds * 1000)
      figure[n] = r
      log(
        'idle',
        `${n} instance(s): ${r.commitsPerSec.toFixed(2)} commits/s (${r.commitsPerSecPerInstance.toFixed(2)} per instance),`,
        `${r.rowsReturnedPerSec.toFixed(0)} rows read/s, instances' CPU ${r.instanceCpuMsPerSec.toFixed(1)} ms/s,`,
        `${connections} connections, scans/s ${JSON.stringify(scans)}, NOTIFYs ${JSON.stringify(noticed)}`,
        ...(r.statements ? ['\n' + describeStatements(r.statements, { seconds }).join('\n')] : []),
      )
    } finally {
      await Promise.all(instances.map((i) => stop(i.proc, 'SIGTERM')))
      await statements?.stop()
    }
  }
}

export function summarizeIdle(byCount) {
  const fmt = (x, d = 2) => (typeof x !== 'number' || Number.isNaN(x) ? '–' : x.toFixed(d))
  const lines = [
    '### Idle cost: idle instances against one PostgreSQL',
    '',
    '| instances | commits/s | per instance | rows read/s | instances CPU ms/s | connections | scans/s by table |',
    '|---|---|---|---|---|---|---|',
  ]
  for (const [n, r] of Object.entries(byCount)) {
    lines.push(
      `| ${n} | ${fmt(r.commitsPerSec)} | ${fmt(r.commitsPerSecPerInstance)} | ${fmt(r.rowsReturnedPerSec, 0)} | ${fmt(
        r.instanceCpuMsPerSec,
        1,
      )} | ${r.connections} | ${Object.entries(r.scansPerSecByTable)
        .map(([t, s]) => `${t.replace(/^job_runner_/, '')} ${s}`)
        .join(', ')} |`,
    )
  }
  const largest = Object.values(byCount).at(-1)
  if (largest)
    lines.push(
      '',
      `100 idle instances, **extrapolated** linearly from ${largest.instances} (not measured): ${fmt(largest.commitsPerSecPerInstance * 100, 0)} commits/s, ${fmt(
        (largest.rowsReturnedPerSec / largest.instances) * 100,
        0,
      )} rows read/s, ${fmt((largest.connections / largest.instances) * 100, 0)} connections.`,
    )
  lines.push('')
  return lines
}
