/**
 * graphile-worker's side of P1bb, in a fresh process (bench/p1BlackBox.mjs spawns it):
 *
 *   node bench/graphileBlackBox.mjs '<json params>'   {databaseUrl, jobs, concurrency, runAtMs, timeCapMs}
 *
 * The worker runs first (tuned, the preset of P1's graphile-tuned), then the jobs are added through
 * WorkerUtils.addJobs (its `add_jobs` SQL function) in chunks of 1,000, all with the common `runAt`.
 * graphile-worker deletes a job when it completes and keeps no start or finish time, so the task
 * records them itself: the first start is its first call, the last finish its last return (before the
 * completion commits, as ours' `finished_at` is the outcome write's transaction start). The table
 * being empty is polled too, to confirm every completion committed. Prints one `RESULT {json}` line.
 */
import { performance } from 'node:perf_hooks'
import pg from 'pg'
import { makeWorkerUtils, run } from 'graphile-worker'
import { rampUp } from './drainWindow.mjs'

const params = JSON.parse(process.argv[2] ?? '{}')
const total = params.jobs ?? 50_000
const timeCapMs = params.timeCapMs ?? 120_000
const silentLogger = { scope: () => silentLogger, debug() {}, info() {}, warn() {}, error() {} }
const preset = { worker: { localQueue: { size: 500 }, completeJobBatchDelay: 0, failJobBatchDelay: 0 } }

const starts = []
const finishes = []
let allFinished
const finished = new Promise((resolve) => (allFinished = resolve))
const runner = await run({
  connectionString: params.databaseUrl,
  concurrency: params.concurrency ?? 10,
  noHandleSignals: true,
  logger: silentLogger,
  preset,
  taskList: {
    echo: async (payload) => {
      starts.push(Date.now())
      finishes.push(Date.now())
      if (finishes.length === total) allFinished()
      return payload
    },
  },
})

const utils = await makeWorkerUtils({ connectionString: params.databaseUrl, logger: silentLogger })
const runAt = new Date(params.runAtMs)
const enqueueStarted = performance.now()
for (let done = 0; done < total; done += 1000) {
  const n = Math.min(1000, total - done)
  await utils.addJobs(Array.from({ length: n }, () => ({ identifier: 'echo', payload: {}, runAt })))
}
const enqueueMs = performance.now() - enqueueStarted
const enqueuedAtMs = Date.now()
await utils.release()
const cpuBefore = process.cpuUsage()

const capped = await Promise.race([
  finished.then(() => false),
  new Promise((r) => setTimeout(() => r(true), Math.max(0, params.runAtMs - Date.now()) + timeCapMs).unref()),
])
// Every completion committed: the table is empty.
const client = new pg.Client({ connectionString: params.databaseUrl })
await client.connect()
let emptyAtMs
for (;;) {
  const { rows } = await client.query('select count(*)::int as n from graphile_worker._private_jobs')
  if (rows[0].n === 0 || capped) {
    emptyAtMs = Date.now()
    break
  }
  await new Promise((r) => setTimeout(r, 20))
}
const cpu = process.cpuUsage(cpuBefore)
await client.end()
await runner.stop()

starts.sort((a, b) => a - b)
finishes.sort((a, b) => a - b)
const firstStartMs = starts[0]
const lastFinishMs = finishes.at(-1)
const result = {
  jobs: total,
  completed: finishes.length,
  capped,
  enqueueMs,
  enqueueOverlapped: enqueuedAtMs > params.runAtMs,
  firstStartMs,
  lastFinishMs,
  emptyAtMs,
  startLagMs: firstStartMs - params.runAtMs,
  elapsedMs: lastFinishMs - firstStartMs,
  jobsPerSec: (finishes.length / (lastFinishMs - firstStartMs)) * 1000,
  rampUp: rampUp(firstStartMs, finishes),
  // The worker process's CPU from the end of the enqueue to the last completion (the wait for run_at included: it idles).
  cpuUsPerJob: (cpu.user + cpu.system) / finishes.length,
}
process.stdout.write(`RESULT ${JSON.stringify(result)}\n`)
process.exit(0)
