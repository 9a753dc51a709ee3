/**
 * P2 as `bench/ours.ts latency` runs it (the service and its client in one process, `jobs`
 * sequential jobs enqueued directly, then as many through `POST /v1/jobs`, each timed from the
 * enqueue to its handler's start), with each sample split where the enqueue is answered:
 *
 * - `enqueue`: until the enqueue's answer (over HTTP: the request until its 202 is read, which holds
 *   the insert's commit);
 * - `afterEnqueue`: from that answer to the handler's start, the runner's part (0 when the job had
 *   started before the answer was read);
 * - over HTTP also `server`: from the request's arrival to its response's end in the service
 *   (node's `http.server.*` diagnostics channels), `database`: the service's `jobs.enqueue` call, and
 *   `store`: within it, the store's `enqueueJobs` (the insert's round trip and commit).
 *
 * P2's tail is a few samples in a thousand, so this says which of the parts it sits in. For
 * before/after comparisons it runs any built checkout, as `p2Apart.mjs` does:
 *
 *   node bench/p2Phases.mjs <checkout folder> <databaseUrl> [jobs]
 *
 * The database must be migrated (`node dist/bench/ours.js setup`). Prints one `RESULT {json}` line.
 */
import diagnosticsChannel from 'node:diagnostics_channel'
import { checkoutToken, startCheckoutService } from './checkout.mjs'

const [dir, databaseUrl, jobs = '1000'] = process.argv.slice(2)
if (!dir || !databaseUrl) throw new Error('usage: node bench/p2Phases.mjs <checkout folder> <databaseUrl> [jobs]')
const service = await startCheckoutService(dir, databaseUrl)
const token = await checkoutToken(dir)

// One request at a time, so the last arrival and response end are this sample's.
const server = { arrived: 0, finished: 0 }
diagnosticsChannel.subscribe('http.server.request.start', () => (server.arrived = performance.now()))
diagnosticsChannel.subscribe('http.server.response.finish', () => (server.finished = performance.now()))
/** Times each call of `owner[method]` into `span` (one call at a time, as above). */
function timeCalls(owner, method, span) {
  const call = owner[method].bind(owner)
  owner[method] = async (...args) => {
    span.started = performance.now()
    try {
      return await call(...args)
    } finally {
      span.ended = performance.now()
    }
  }
}
const database = { started: 0, ended: 0 }
const store = { started: 0, ended: 0 }
timeCalls(service.jobs, 'enqueue', database)
timeCalls(service.store, 'enqueueJobs', store)

const direct = () => service.jobs.enqueue({ owner: 'bench', jobs: [{ type: 'echo', payload: {} }] })
const http = async () => {
  const response = await fetch(`${service.url}/v1/jobs`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: '{"type":"echo","payload":{}}',
  })
  if (response.status !== 202) throw new Error(`POST /v1/jobs answered ${response.status}`)
  await response.arrayBuffer()
}

async function measure(enqueue) {
  const parts = { total: [], enqueue: [], afterEnqueue: [], server: [], database: [], store: [] }
  for (let i = 0; i < Number(jobs); i++) {
    const started = performance.now()
    const startEvent = service.runner.events.waitFor('job:start')
    const settledEvent = service.runner.events.waitFor('job:settled')
    await enqueue()
    const answered = performance.now()
    await startEvent
    const ended = performance.now()
    parts.total.push(ended - started)
    parts.enqueue.push(answered - started)
    parts.afterEnqueue.push(ended - answered)
    parts.server.push(server.finished - server.arrived)
    parts.database.push(database.ended - database.started)
    parts.store.push(store.ended - store.started)
    await settledEvent
  }
  return parts
}

// Warm-up as ours.ts latency: JIT, connections, token verification.
for (let i = 0; i < 50; i++) {
  await direct()
  await http()
}
await new Promise((resolve) => setTimeout(resolve, 500))
const directParts = await measure(direct)
const httpParts = await measure(http)
await service.lifecycle.shutdown('bench done')

const at = (samples, q) => {
  const sorted = [...samples].sort((a, b) => a - b)
  // The rank bench/measure.ts's percentile takes, so the totals match ours.ts latency's.
  return Number(sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))].toFixed(2))
}
const summary = (parts, names) =>
  Object.fromEntries(names.map((name) => [name, { p50Ms: at(parts[name], 0.5), p99Ms: at(parts[name], 0.99) }]))
const result = {
  jobs: Number(jobs),
  direct: summary(directParts, ['total', 'enqueue', 'afterEnqueue']),
  http: summary(httpParts, ['total', 'enqueue', 'afterEnqueue', 'server', 'database', 'store']),
}
process.stdout.write(`RESULT ${JSON.stringify(result)}\n`)
process.exit(0)
