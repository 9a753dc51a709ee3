/**
 * P8features, P8 with issue 24's new features (RSS flat over 1,000,000 jobs "including events, logs,
 * schedules"): the service as production runs it (`node dist/src/main.js` on PostgreSQL, CONCURRENCY
 * 10) drains --flat-jobs jobs, each of which writes a line to its stored log, while
 *
 * - an owner event stream (`GET /v1/events`, Server-Sent Events) is open and read here, every job's
 *   state changes and log lines through it; dropped by the service when it falls 256 KiB behind, it
 *   reconnects a second later with `Last-Event-ID`, as an `EventSource` does;
 * - a schedule (`every: PT1S`) fires a `tick` job a second, in a queue of its own;
 * - a webhook subscription for `tick` jobs delivers each one's outcome to a receiver on loopback.
 *
 * The jobs are inserted with SQL (100,000 a statement) while the queue is paused, the stream already
 * open; resuming the queue starts the drain. The service's RSS and heapUsed are sampled every second
 * from inside it by a preloaded sampler (bench/memorySampler.mjs; the service is not changed), and
 * each sample is placed against the jobs finished so far (counted from the rows once a second). The
 * summary is P8 flat's (bench/p8Flat.ts `memorySummary`: warm-up, quarters' medians, slope per
 * 100,000 jobs).
 */
import fs from 'node:fs/promises'
import http from 'node:http'
import os from 'node:os'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import pg from 'pg'
import {
  admin,
  benchDir,
  loadAverage,
  log,
  mintToken,
  processCpuMs,
  root,
  sleep,
  startServiceProcess,
  stop,
} from './harness.mjs'

const SCHEDULE_ID = 'p8-tick'

export async function p8Features(ctx) {
  const { results, smoke, args, urls, reset } = ctx
  const jobs = Number(args['flat-jobs'] ?? (smoke ? 2000 : 1_000_000))
  const timeCapMs = Number(args['flat-time-cap'] ?? 3_600_000)
  // A diagnosis: leave features out (stream, logs, schedule) to see what each costs.
  const without = new Set(
    String(args['p8-without'] ?? '')
      .split(',')
      .filter(Boolean),
  )
  // A diagnosis: sample after a full collection (--p8-after-gc), what the service holds without its garbage.
  const afterGc = args['p8-after-gc'] !== undefined
  const { memorySummary } = await import(path.join(root, 'dist/bench/p8Flat.js'))
  await reset('ours')
  const work = await fs.mkdtemp(path.join(os.tmpdir(), 'job-runner-p8f-'))
  const jobsDir = await writeJobFiles(work, { logs: !without.has('logs') })
  const samplesFile = path.join(work, 'memory.txt')
  const receiver = await webhookReceiver()
  const ownerToken = await mintToken('jobs:write jobs:read')
  const adminToken = await mintToken('jobs:write jobs:read admin')
  const service = await startServiceProcess({
    DATABASE_URL: urls.ours,
    CONCURRENCY: '10',
    QUEUES: 'default,ticks',
    JOBS_DIR: jobsDir,
    WEBHOOK_ALLOW_HTTP: 'true',
    WEBHOOK_ALLOWED_HOSTS: '127.0.0.1',
    NODE_OPTIONS: `--import=${pathToFileURL(path.join(benchDir, 'memorySampler.mjs')).href}${afterGc ? ' --expose-gc' : ''}`,
    MEMORY_SAMPLES_FILE: samplesFile,
    MEMORY_SAMPLES_AFTER_GC: afterGc ? '1' : '0',
  })
  const readyAt = Date.now()
  const call = (method, route, body, token = adminToken) => request(service.url, token, method, route, body)
  let stream
  try {
    await call('POST', '/v1/admin/queues/default/pause')
    if (!without.has('schedule')) {
      await call('POST', '/v1/webhooks', { url: `${receiver.url}/hook`, type: 'tick' })
      await call('PUT', `/v1/schedules/${SCHEDULE_ID}`, { every: 'PT1S', job: { type: 'tick', queue: 'ticks' } })
    }
    stream = without.has('stream') ? closedStream() : await openEventStream(service.url, ownerToken)
    const insertStarted = performance.now()
    await admin(async (c) => {
      for (let done = 0; done < jobs; done += 100_000) {
        await c.query(`insert into job_runner_jobs (owner, type, queue, payload, max_attempts)
          select 'bench', 'flatlog', 'default', '{}'::jsonb, 1 from generate_series(1, ${Math.min(100_000, jobs - done)})`)
      }
      await c.query('vacuum analyze job_runner_jobs')
    }, urls.ours)
    const insertMs = performance.now() - insertStarted
    const loadBefore = loadAverage()
    // The timeline of jobs finished, read once a second, to place each memory sample against.
    const counter = new pg.Client({ connectionString: urls.ours, options: '-c search_path=job_runner' })
    await counter.connect()
    const timeline = [[Date.now(), await finishedCount(counter)]]
    // This server's CI configuration turns autovacuum off: then the bench vacuums the jobs table in
    // its place every --p8-vacuum-every seconds, or the claim walks ever more dead index entries.
    const autovacuum = (await counter.query('show autovacuum')).rows[0].autovacuum === 'on'
    const vacuumEverySec = autovacuum ? 0 : Number(args['p8-vacuum-every'] ?? 10)
    let vacuums = 0
    const cpuFrom = await processCpuMs(service.proc.pid)
    const parentCpuFrom = process.cpuUsage()
    const startedAt = Date.now()
    await call('POST', '/v1/admin/queues/default/resume')
    const deadline = startedAt + timeCapMs
    while (timeline.at(-1)[1] < jobs && Date.now() < deadline) {
      await sleep(1000)
      timeline.push([Date.now(), await finishedCount(counter)])
      if (vacuumEverySec > 0 && timeline.length % vacuumEverySec === 0) {
        await counter.query('vacuum job_runner_jobs')
        vacuums += 1
      }
    }
    await counter.end()
    const endedAt = Date.now()
    const completed = timeline.at(-1)[1]
    const cpuTo = await processCpuMs(service.proc.pid)
    const parentCpu = process.cpuUsage(parentCpuFrom)
    const schedule = without.has('schedule') ? 0 : (await call('GET', `/v1/schedules/${SCHEDULE_ID}`)).fired
    // Let the last tick's webhook and events arrive before counting them.
    await sleep(1500)
    const { rows } = await admin(
      (c) =>
        c.query(`select count(*) filter (where type = 'flatlog' and state = 'succeeded')::int as succeeded,
                        count(*) filter (where type = 'tick')::int as ticks,
                        (select count(*)::int from job_runner_job_logs) as "logLines"
                 from job_runner_jobs`),
      urls.ours,
    )
    const elapsedMs = endedAt - startedAt
    const settledAt = (t) => {
      let settled = timeline[0][1]
      for (const [at, n] of timeline) if (at <= t) settled = n
      return settled
    }
    const samples = (await fs.readFile(samplesFile, 'utf8'))
      .trim()
      .split('\n')
      .map((line) => line.split(' ').map(Number))
      .filter(([t]) => t >= Math.max(readyAt, startedAt - 1000) && t <= endedAt + 1000)
      .map(([t, rss, heapUsed]) => ({
        sec: (t - startedAt) / 1000,
        settled: settledAt(t),
        rssMb: rss / 2 ** 20,
        heapUsedMb: heapUsed / 2 ** 20,
      }))
    const r = {
      jobs,
      completed,
      capped: completed < jobs,
      concurrency: 10,
      insertMs,
      elapsedMs,
      jobsPerSec: (completed / elapsedMs) * 1000,
      serviceCpuUsPerJob: ((cpuTo - cpuFrom) * 1000) / completed,
      streamReaderCpuUsPerJob: (parentCpu.user + parentCpu.system) / completed,
      features: {
        without: [...without],
        afterGc,
        streamStateEvents: stream.counts.state,
        streamLogEvents: stream.counts.log,
        streamMb: stream.counts.bytes / 2 ** 20,
        streamConnections: stream.counts.connections,
        scheduleFired: schedule,
        webhooksReceived: receiver.received(),
        ...rows[0],
      },
      autovacuum,
      benchVacuums: vacuums,
      loadAverage: loadBefore,
      loadAverageAfter: loadAverage(),
      ...memorySummary(samples, jobs),
    }
    ;(results.figures.P8features ??= { ours: [] }).ours.push(r)
    log(
      'P8features',
      `${r.completed}/${jobs} jobs at ${r.jobsPerSec.toFixed(0)} jobs/s, service CPU ${r.serviceCpuUsPerJob.toFixed(1)} µs/job`,
      `RSS start ${r.rss.startMb.toFixed(1)} warm ${r.rss.warmMb?.toFixed(1)} max ${r.rss.maxMb.toFixed(1)} end ${r.rss.endMb.toFixed(1)} MB, quarters ${r.rss.quarterMediansMb.map((x) => x.toFixed(1)).join(' ')}, slope ${r.rss.slopeMbPer100k?.toFixed(2)} MB/100k jobs`,
      `heap quarters ${r.heapUsed.quarterMediansMb.map((x) => x.toFixed(1)).join(' ')}, slope ${r.heapUsed.slopeMbPer100k?.toFixed(2)}`,
      JSON.stringify(r.features),
      autovacuum ? 'autovacuum on' : `autovacuum off: ${vacuums} vacuums by the bench`,
      `load ${loadBefore} → ${r.loadAverageAfter}`,
    )
  } finally {
    stream?.close()
    await stop(service.proc, 'SIGTERM')
    await receiver.close()
    await fs.rm(work, { recursive: true, force: true })
  }
}

/** The two job types, as a user writes job files (JOBS_DIR): one that logs a line, and the scheduled tick. */
async function writeJobFiles(work, { logs }) {
  const dir = path.join(work, 'jobs')
  await fs.mkdir(dir)
  const defineJob = pathToFileURL(path.join(root, 'dist/jobs/defineJob.js')).href
  await fs.writeFile(
    path.join(dir, 'flatlog.mjs'),
    `import { defineJob } from '${defineJob}'
export default defineJob({
  name: 'flatlog',
  payloadSchema: {},
  defaults: { maxAttempts: 1 },
  async run({ payload, log }) {
    ${logs ? '' : '// '}log.info({ step: 1 }, 'flatlog ran')
    return payload
  },
})
`,
  )
  await fs.writeFile(
    path.join(dir, 'tick.mjs'),
    `import { defineJob } from '${defineJob}'
export default defineJob({
  name: 'tick',
  payloadSchema: {},
  defaults: { queue: 'ticks', maxAttempts: 1 },
  async run({ log }) {
    log.info('tick')
    return { at: Date.now() }
  },
})
`,
  )
  return dir
}

async function request(url, token, method, route, body) {
  const response = await fetch(`${url}${route}`, {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  })
  const text = await response.text()
  if (!response.ok) throw new Error(`${method} ${route} answered ${response.status}: ${text}`)
  return text ? JSON.parse(text) : undefined
}

/** A Standard Webhooks receiver on loopback that answers 200 and counts. */
async function webhookReceiver() {
  let received = 0
  const server = http.createServer((req, res) => {
    req.resume()
    req.on('end', () => {
      received += 1
      res.writeHead(200).end()
    })
  })
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve))
  return {
    url: `http://127.0.0.1:${server.address().port}`,
    received: () => received,
    close: () => new Promise((resolve) => server.close(resolve)),
  }
}

/**
 * Follows `GET /v1/events` as an `EventSource` would: reads it as fast as it comes, and when the
 * service drops it (a client more than 256 KiB behind is dropped, src/events/sseStream.ts) reconnects
 * after `retryMs` with `Last-Event-ID`. Counts events by kind, the bytes and the reconnections.
 */
async function openEventStream(url, token, { retryMs = 1000 } = {}) {
  const abort = new AbortController()
  const counts = { state: 0, log: 0, bytes: 0, connections: 0 }
  let lastEventId
  const connect = async () => {
    const headers = { authorization: `Bearer ${token}`, accept: 'text/event-stream' }
    if (lastEventId) headers['last-event-id'] = lastEventId
    const response = await fetch(`${url}/v1/events`, { headers, signal: abort.signal })
    if (response.status !== 200) throw new Error(`GET /v1/events answered ${response.status}: ${await response.text()}`)
    counts.connections += 1
    return response
  }
  const read = async (response) => {
    const decoder = new TextDecoder()
    let rest = ''
    let event = ''
    try {
      for await (const chunk of response.body) {
        counts.bytes += chunk.length
        const lines = (rest + decoder.decode(chunk, { stream: true })).split('\n')
        rest = lines.pop()
        for (const line of lines) {
          if (line.startsWith('event: ')) event = line.slice(7)
          else if (line.startsWith('id: ')) lastEventId = line.slice(4)
          else if (line.startsWith('data: ')) {
            if (event === 'log') counts.log += 1
            else if (event === 'state') counts.state += 1
          }
        }
      }
    } catch {
      // Dropped by the service (too slow) or closed by us: reconnect unless closed.
    }
  }
  const first = await connect()
  void (async () => {
    let response = first
    while (!abort.signal.aborted) {
      await read(response)
      if (abort.signal.aborted) break
      await sleep(retryMs)
      response = await connect().catch((error) => {
        if (!abort.signal.aborted) log('P8features: reconnecting the event stream failed', error.message)
        return undefined
      })
      if (!response) break
    }
  })()
  return { counts, close: () => abort.abort() }
}

/** The stream left out (--p8-without stream). */
const closedStream = () => ({ counts: { state: 0, log: 0, bytes: 0, connections: 0 }, close: () => {} })

/** Jobs finished so far (the finished_at index; the few ticks count too). */
async function finishedCount(client) {
  const { rows } = await client.query('select count(*)::int as n from job_runner_jobs where finished_at is not null')
  return rows[0].n
}

export function summarizeP8features(byConfig) {
  const fmt = (x, d = 0) => (typeof x !== 'number' || Number.isNaN(x) ? '–' : x.toFixed(d))
  const q = (x) => `${fmt(x.startMb, 1)} / ${fmt(x.warmMb, 1)} / ${fmt(x.maxMb, 1)} / ${fmt(x.endMb, 1)}`
  const lines = [
    '### P8 with the new features: the service drains jobs that log, an owner event stream open, a schedule firing each second with a webhook (MB)',
    '',
    '| jobs (done) | jobs/s | service CPU µs/job | RSS start / warm / max / end | RSS slope per 100k | RSS quarters after warm-up | heapUsed start / warm / max / end | heap slope per 100k | heap quarters | stream events (state, log; connections) | ticks fired / webhooks | load |',
    '|---|---|---|---|---|---|---|---|---|---|---|---|',
  ]
  for (const r of byConfig.ours) {
    const f = r.features
    lines.push(
      `| ${r.jobs} (${r.completed}${r.capped ? ', capped' : ''}) | ${fmt(r.jobsPerSec)} | ${fmt(r.serviceCpuUsPerJob, 1)} | ${q(r.rss)} | ${fmt(
        r.rss.slopeMbPer100k,
        2,
      )} | ${r.rss.quarterMediansMb.map((x) => fmt(x, 1)).join(', ')} | ${q(r.heapUsed)} | ${fmt(r.heapUsed.slopeMbPer100k, 2)} | ${r.heapUsed.quarterMediansMb
        .map((x) => fmt(x, 1))
        .join(
          ', ',
        )} | ${f.streamStateEvents}, ${f.streamLogEvents}; ${f.streamConnections} | ${f.scheduleFired} / ${f.webhooksReceived} | ${r.loadAverage} → ${r.loadAverageAfter} |`,
    )
  }
  const vacuumed = byConfig.ours.filter((r) => !r.autovacuum)
  if (vacuumed.length)
    lines.push(
      '',
      `autovacuum off on this server: the bench vacuumed the jobs table every 10 s in its place (${vacuumed.map((r) => r.benchVacuums).join(', ')} times).`,
    )
  lines.push('')
  return lines
}
