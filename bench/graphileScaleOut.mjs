/**
 * P11's peer: N graphile-worker processes (0.18, tuned as in P1: local queue 500, no completion
 * batch delay, concurrency 10 each) drain 50,000 echo jobs on one PostgreSQL.
 *
 *   node bench/graphileScaleOut.mjs main <databaseUrl> <processes> [jobs]
 *
 * The workers start and report ready; the jobs are added with `addJobs` (1,000 a call) with one
 * common `runAt` 4 s ahead; the drain is timed from that `runAt` to the moment the jobs table is empty
 * (graphile-worker deletes a completed job), read every 20 ms. The workers' CPU is read from
 * /proc/<pid>/stat over the same span. Prints one JSON line. Not part of `bench/run.mjs`: a
 * comparison of how the peer's rate and CPU per job move with the number of processes, beside P11's
 * figures for ours (whose method differs: its jobs are runnable at once, its drain read from the rows).
 */
import { spawn } from 'node:child_process'
import pg from 'pg'
import { makeWorkerUtils, run } from 'graphile-worker'
const [mode, url, n = '1', jobs = '50000'] = process.argv.slice(2)
const preset = { worker: { localQueue: { size: 500 }, completeJobBatchDelay: 0, failJobBatchDelay: 0 } }
const silent = { scope: () => silent, debug() {}, info() {}, warn() {}, error() {} }
if (mode === 'worker') {
  const runner = await run({
    connectionString: url,
    concurrency: 10,
    noHandleSignals: true,
    logger: silent,
    preset,
    taskList: { echo: async (p) => p },
  })
  process.send?.('ready')
  process.on('message', async () => {
    await runner.stop()
    process.exit(0)
  })
} else {
  const utils = await makeWorkerUtils({ connectionString: url })
  await utils.migrate()
  const kids = []
  for (let i = 0; i < Number(n); i++) {
    const k = spawn(process.execPath, [new URL(import.meta.url).pathname, 'worker', url], {
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    })
    kids.push(k)
    await new Promise((r) => k.once('message', r))
  }
  const client = new pg.Client(url)
  await client.connect()
  const runAt = new Date(Date.now() + 4000)
  const t0 = Date.now()
  for (let i = 0; i < Number(jobs); i += 1000)
    await utils.addJobs(Array.from({ length: 1000 }, () => ({ identifier: 'echo', payload: {}, runAt })))
  console.error('added in', Date.now() - t0, 'ms; wait for runAt')
  const cpu0 = await Promise.all(kids.map((k) => cpuMs(k.pid)))
  while (Date.now() < runAt.getTime()) await new Promise((r) => setTimeout(r, 5))
  for (;;) {
    const { rows } = await client.query('select count(*)::int n from graphile_worker._private_jobs')
    if (rows[0].n === 0) break
    await new Promise((r) => setTimeout(r, 20))
  }
  const ms = Date.now() - runAt.getTime()
  const cpu1 = await Promise.all(kids.map((k) => cpuMs(k.pid)))
  const cpu = cpu1.reduce((a, b, i) => a + b - cpu0[i], 0)
  console.log(
    JSON.stringify({
      n: Number(n),
      jobsPerSec: Math.round(Number(jobs) / (ms / 1000)),
      workerCpuUsPerJob: +((cpu * 1000) / Number(jobs)).toFixed(1),
    }),
  )
  for (const k of kids) k.send('stop')
  await Promise.all(kids.map((k) => new Promise((r) => k.once('exit', r))))
  await client.end()
  await utils.release()
}
async function cpuMs(pid) {
  const fs = await import('node:fs')
  const f = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ')
  return (Number(f[11]) + Number(f[12])) * 10
}
