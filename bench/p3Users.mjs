/**
 * P3users (issue 24): ours' authenticated durable enqueue (`POST /v1/jobs` on `node dist/src/main.js`,
 * serving another queue so that the jobs stay queued) against what a user would build without it
 * (bench/userGraphile.mjs: Hono + jose + graphile-worker `addJob`; bench/userPgBoss.mjs: the same with
 * pg-boss `send`), and against the insert-alone yardstick (honoInsert.ts: a bare Hono route doing only
 * the service's group-committed insert), and against that yardstick behind ours' token check and body
 * validation (`hono-insert-guarded`: what any endpoint safe to expose does, and nothing else of ours).
 * Bare Hono (no database) gives the machine's state. autocannon c=64 against each in turn, run after
 * run; every 2xx is checked against the rows stored.
 */
import path from 'node:path'
import {
  admin,
  benchDir,
  cannonFigures,
  compiledScript,
  log,
  median,
  mintToken,
  SECRET,
  startScript,
  startServiceProcess,
  stop,
} from './harness.mjs'

export async function p3Users(ctx) {
  const { results, runs, urls, reset, cannonMeasured } = ctx
  const figure = (results.figures.P3users = {})
  const token = await mintToken()
  const auth = { authorization: `Bearer ${token}` }
  const count = async (url, sql) => (await admin((c) => c.query(sql), url)).rows[0].n
  const oursStored = () => count(urls.ours, 'select count(*)::int as n from job_runner_jobs')

  const servers = {
    async ours() {
      await reset('ours')
      return {
        server: await startServiceProcess({ DATABASE_URL: urls.ours, QUEUES: 'nobody' }),
        headers: auth,
        stored: oursStored,
      }
    },
    async 'hono-insert'() {
      await reset('ours')
      const server = await startScript(compiledScript('honoInsert.js'), { DATABASE_URL: urls.ours })
      return { server, headers: {}, stored: oursStored }
    },
    async 'hono-insert-guarded'() {
      await reset('ours')
      const server = await startScript(compiledScript('honoInsert.js'), {
        DATABASE_URL: urls.ours,
        GUARDED: '1',
        JWT_SECRET: SECRET,
      })
      return { server, headers: auth, stored: oursStored }
    },
    async 'user-graphile'() {
      await reset('graphile')
      const server = await startScript(path.join(benchDir, 'userGraphile.mjs'), {
        DATABASE_URL: urls.graphile,
        JWT_SECRET: SECRET,
      })
      const stored = () => count(urls.graphile, 'select count(*)::int as n from graphile_worker._private_jobs')
      return { server, headers: auth, stored }
    },
    async 'user-pgboss'() {
      await reset('pgboss')
      const server = await startScript(path.join(benchDir, 'userPgBoss.mjs'), {
        DATABASE_URL: urls.pgboss,
        JWT_SECRET: SECRET,
      })
      const stored = () => count(urls.pgboss, `select count(*)::int as n from pgboss.job where name = 'echo'`)
      return { server, headers: auth, stored }
    },
    async 'bare-hono'() {
      return { server: await startScript(compiledScript('bareHono.js')), headers: {} }
    },
  }

  for (let run = 0; run < runs; run++) {
    for (const [config, open] of Object.entries(servers)) {
      const { server, headers, stored } = await open()
      const { result, cpu } = await cannonMeasured(server.url, headers, server.proc.pid)
      await stop(server.proc)
      const r = cannonFigures(result, { ...cpu, ...(stored ? { stored: await stored() } : {}) })
      ;(figure[config] ??= []).push(r)
      log(
        'P3users',
        `run ${run + 1}`,
        `${config} ${r.reqPerSec.toFixed(0)} req/s p99 ${r.p99Ms} ms, server ${cpu.serverCpuUsPerReq?.toFixed(1)} µs/req (non2xx ${r.non2xx}${r.stored === undefined ? '' : `, stored ${r.stored}`})`,
      )
    }
  }
}

export function summarizeP3users(byConfig) {
  const fmt = (x, d = 0) => (typeof x !== 'number' || Number.isNaN(x) ? '–' : x.toFixed(d))
  const lines = [
    '### P3users authenticated durable HTTP enqueue, c=64: ours against what users build',
    '',
    '| config | req/s median (runs) | p99 ms median (runs) | server CPU µs/req | non-2xx | stored ≥ answered |',
    '|---|---|---|---|---|---|',
  ]
  for (const [config, rs] of Object.entries(byConfig)) {
    lines.push(
      `| ${config} | ${fmt(median(rs.map((r) => r.reqPerSec)))} (${rs.map((r) => fmt(r.reqPerSec)).join(', ')}) | ${fmt(
        median(rs.map((r) => r.p99Ms)),
      )} (${rs.map((r) => r.p99Ms).join(', ')}) | ${fmt(median(rs.map((r) => r.serverCpuUsPerReq)), 1)} | ${rs
        .map((r) => r.non2xx)
        .join(', ')} | ${rs.every((r) => r.stored === undefined || r.stored >= r.total) ? 'yes' : 'NO'} |`,
    )
  }
  const ours = byConfig.ours
  const ratio = (of) => ours.map((r, i) => r.reqPerSec / of(i))
  const describe = (xs) => `${xs.map((x) => fmt(x, 2)).join(', ')} (median ${fmt(median(xs), 2)})`
  if (byConfig['hono-insert'])
    lines.push(
      '',
      `ours ÷ hono-insert (target ≥ 0.9), per run: ${describe(ratio((i) => byConfig['hono-insert'][i].reqPerSec))}`,
    )
  if (byConfig['hono-insert-guarded'])
    lines.push(
      '',
      `ours ÷ hono-insert-guarded (the insert behind ours' token check and body validation), per run: ${describe(
        ratio((i) => byConfig['hono-insert-guarded'][i].reqPerSec),
      )}`,
      '',
      `hono-insert-guarded ÷ hono-insert (what the guards leave of the insert alone), per run: ${describe(
        byConfig['hono-insert-guarded'].map((r, i) => r.reqPerSec / byConfig['hono-insert'][i].reqPerSec),
      )}`,
    )
  if (byConfig['user-graphile'] && byConfig['user-pgboss'])
    lines.push(
      '',
      `ours ÷ the better user-built endpoint (target ≥ 8), per run: ${describe(
        ratio((i) => Math.max(byConfig['user-graphile'][i].reqPerSec, byConfig['user-pgboss'][i].reqPerSec)),
      )}`,
    )
  if (byConfig['bare-hono'])
    lines.push(
      '',
      `ours ÷ bare Hono (the machine's state; the retired target), per run: ${describe(ratio((i) => byConfig['bare-hono'][i].reqPerSec))}`,
    )
  lines.push('')
  return lines
}
