/**
 * Pushes at scale, against the compiled server (`npm run build`) spawned on its own PostgreSQL
 * database, so that its memory and CPU are its own (read from /proc):
 *
 * - streams: `--streams` clients hold `GET /v1/events` open (an admin token: every job's events);
 *   the server's RSS before and after they connect; then `--jobs` echo jobs are enqueued and the
 *   server's CPU time until every stream has seen every job succeed, per event written.
 * - webhooks: a subscription to a receiver on 127.0.0.1; `--deliveries` echo jobs enqueued at once;
 *   delivery rate (first to last arrival) and latency, outcome (the job's finishedAt, the database's
 *   clock, the same machine's) to arrival at the receiver, p50 and p99.
 * - progress: two more servers on the same database, A running `--tickers` jobs that each call
 *   `ctx.progress()` `--reports` times, 150 ms apart, with the time of the call as its message, and B
 *   serving another queue (it never runs them). Each job is followed by one stream on A and one on
 *   B; the latency is the client's arrival time of each `progress` event minus the time in its
 *   message (one machine, one clock), p50 and p99: same instance (A) and another instance (B, through
 *   the progress relay's NOTIFY). Checkpoints are flushed once an hour there, so only the live path
 *   can deliver.
 *
 *   node --import tsx bench/pushes.ts [--streams 1000] [--jobs 100] [--deliveries 1000] [--tickers 4] [--reports 50]
 *
 * BENCH_DATABASE_URL (default postgres://root@127.0.0.1:5432/test) must allow creating a database;
 * `bench_pushes` is created and dropped.
 */
import { spawn, type ChildProcessByStdio } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import os from 'node:os'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import type { Readable } from 'node:stream'
import { parseArgs } from 'node:util'
import { SignJWT } from 'jose'
import postgres from 'postgres'
import { percentile, processStat } from './measure.js'

const { values } = parseArgs({
  options: {
    streams: { type: 'string', default: '1000' },
    jobs: { type: 'string', default: '100' },
    deliveries: { type: 'string', default: '1000' },
    tickers: { type: 'string', default: '4' },
    reports: { type: 'string', default: '50' },
  },
})
const TICKERS = Number(values.tickers)
const REPORTS = Number(values.reports)
const REPORT_INTERVAL_MS = 150
const STREAMS = Number(values.streams)
const JOBS = Number(values.jobs)
const DELIVERIES = Number(values.deliveries)
const adminUrl = process.env.BENCH_DATABASE_URL ?? 'postgres://root@127.0.0.1:5432/test'
const NAME = 'bench_pushes'
const SECRET = 'bench-secret-that-is-at-least-32-bytes-long!'

/** RSS (MiB) and CPU time (ms, user + system) of a process, from /proc. */
function usage(pid: number): { rssMb: number; cpuMs: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8')
  const rssKb = Number(/VmRSS:\s+([0-9]+)/.exec(status)![1])
  return { rssMb: rssKb / 1024, cpuMs: processStat(pid)!.cpuMs }
}

async function main(): Promise<void> {
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} })
  await admin.unsafe(`drop database if exists ${NAME}`)
  await admin.unsafe(`create database ${NAME}`)
  const url = new URL(adminUrl)
  url.pathname = `/${NAME}`
  const receiverArrivals: { at: number; finishedAt: number }[] = []
  const receiver = http.createServer((request, response) => {
    const chunks: Buffer[] = []
    request.on('data', (c: Buffer) => chunks.push(c))
    request.on('end', () => {
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { data: { finishedAt: string } }
      receiverArrivals.push({ at: Date.now(), finishedAt: Date.parse(body.data.finishedAt) })
      response.writeHead(204).end()
    })
  })
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve))
  const receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`

  const server = spawn(process.execPath, ['dist/src/main.js'], {
    env: {
      PATH: process.env.PATH,
      PORT: '0',
      HOST: '127.0.0.1',
      DATABASE_URL: url.toString(),
      JWT_SECRET: SECRET,
      // info: the start-up line names the URL (the access lines are read and dropped).
      LOG_LEVEL: 'info',
      EVENT_STREAMS_PER_OWNER: String(STREAMS + 10),
      WEBHOOK_ALLOW_HTTP: 'true',
      WEBHOOK_ALLOWED_HOSTS: '127.0.0.1',
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  })
  const base = await new Promise<string>((resolve) => {
    let buffer: string | null = ''
    server.stdout.on('data', (chunk: Buffer) => {
      if (buffer === null) return
      buffer += chunk.toString('utf8')
      const match = /"url":"(http:[^"]+)"/.exec(buffer)
      if (match) {
        resolve(match[1]!)
        buffer = null
      }
    })
  })
  const token = await new SignJWT({ scope: 'jobs:read jobs:write admin' })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject('bench')
    .setAudience('job-runner')
    .setExpirationTime('1h')
    .sign(new TextEncoder().encode(SECRET))
  const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' }
  const enqueueEchoes = async (count: number) => {
    for (let done = 0; done < count; done += 1000) {
      const jobs = Array.from({ length: Math.min(1000, count - done) }, (_, i) => ({ type: 'echo', payload: { i } }))
      const response = await fetch(`${base}/v1/jobs/batch`, { method: 'POST', headers, body: JSON.stringify({ jobs }) })
      if (response.status !== 202) throw new Error(`batch: ${response.status} ${await response.text()}`)
    }
  }
  await new Promise((r) => setTimeout(r, 1000))

  // ---- streams
  const idle = usage(server.pid!)
  const succeeded: number[] = new Array(STREAMS).fill(0)
  const eventsSeen: number[] = new Array(STREAMS).fill(0)
  const agent = new http.Agent({ keepAlive: true, maxSockets: STREAMS + 10 })
  const streams: http.ClientRequest[] = []
  await Promise.all(
    Array.from(
      { length: STREAMS },
      (_, i) =>
        new Promise<void>((resolve, reject) => {
          const request = http.get(`${base}/v1/events?type=echo`, { headers, agent }, (response) => {
            if (response.statusCode !== 200) return reject(new Error(`stream ${i}: ${response.statusCode}`))
            response.setEncoding('utf8')
            response.on('data', (text: string) => {
              eventsSeen[i]! += (text.match(/^event: /gm) ?? []).length
              succeeded[i]! += (text.match(/"state":"succeeded"/g) ?? []).length
            })
            resolve()
          })
          request.on('error', reject)
          streams.push(request)
        }),
    ),
  )
  await new Promise((r) => setTimeout(r, 1000))
  const open = usage(server.pid!)
  await enqueueEchoes(JOBS)
  const started = Date.now()
  while (succeeded.some((n) => n < JOBS)) {
    if (Date.now() - started > 120_000) throw new Error(`streams stalled: min ${Math.min(...succeeded)} of ${JOBS}`)
    await new Promise((r) => setTimeout(r, 50))
  }
  // Taken here: read at the end, it counted the webhook and progress phases too.
  const fanOutMs = Date.now() - started
  const fanned = usage(server.pid!)
  const events = eventsSeen.reduce((a, b) => a + b, 0)
  for (const request of streams) request.destroy()
  agent.destroy()

  // ---- webhooks
  const created = await fetch(`${base}/v1/webhooks`, {
    method: 'POST',
    headers,
    body: JSON.stringify({ url: receiverUrl, type: 'echo' }),
  })
  if (created.status !== 201) throw new Error(`webhook: ${created.status}`)
  await new Promise((r) => setTimeout(r, 1000))
  receiverArrivals.length = 0
  await enqueueEchoes(DELIVERIES)
  const deliveryStart = Date.now()
  while (receiverArrivals.length < DELIVERIES) {
    if (Date.now() - deliveryStart > 300_000) throw new Error(`deliveries stalled at ${receiverArrivals.length}`)
    await new Promise((r) => setTimeout(r, 50))
  }
  const latencies = receiverArrivals.map((a) => a.at - a.finishedAt)
  const spanMs = Math.max(...receiverArrivals.map((a) => a.at)) - Math.min(...receiverArrivals.map((a) => a.at))

  server.kill('SIGTERM')
  await new Promise((r) => server.once('exit', r))

  const progress = await measureProgress(url.toString(), token)

  console.log(
    JSON.stringify(
      {
        machine: { cpus: os.cpus().length, model: os.cpus()[0]?.model, node: process.version },
        streams: {
          count: STREAMS,
          rssIdleMb: Number(idle.rssMb.toFixed(1)),
          rssOpenMb: Number(open.rssMb.toFixed(1)),
          perStreamKb: Number((((open.rssMb - idle.rssMb) * 1024) / STREAMS).toFixed(1)),
          cpuToOpenMs: Math.round(open.cpuMs - idle.cpuMs),
          jobs: JOBS,
          eventsWritten: events,
          fanOutMs,
          cpuMs: Math.round(fanned.cpuMs - open.cpuMs),
          cpuPerEventUs: Number((((fanned.cpuMs - open.cpuMs) * 1000) / events).toFixed(1)),
        },
        webhooks: {
          deliveries: DELIVERIES,
          perSecond: Math.round((DELIVERIES * 1000) / Math.max(1, spanMs)),
          latencyP50Ms: percentile(latencies, 50),
          latencyP99Ms: percentile(latencies, 99),
        },
        progress,
      },
      null,
      2,
    ),
  )
  receiver.close()
  await admin.unsafe(`drop database if exists ${NAME}`)
  await admin.end()
}

/** Spawns the compiled server with `env`; resolves with it and its URL once it listens. */
async function spawnServer(
  env: Record<string, string>,
): Promise<{ server: ChildProcessByStdio<null, Readable, null>; base: string }> {
  const server = spawn(process.execPath, ['dist/src/main.js'], {
    env: { PATH: process.env.PATH, PORT: '0', HOST: '127.0.0.1', JWT_SECRET: SECRET, LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  })
  const base = await new Promise<string>((resolve) => {
    let buffer: string | null = ''
    server.stdout.on('data', (chunk: Buffer) => {
      if (buffer === null) return
      buffer += chunk.toString('utf8')
      const match = /"url":"(http:[^"]+)"/.exec(buffer)
      if (match) {
        resolve(match[1]!)
        buffer = null
      }
    })
  })
  return { server, base }
}

/**
 * Progress latency, from `ctx.progress()` to a client's event: on the instance that runs the job,
 * and on another one (see the file's comment).
 */
async function measureProgress(databaseUrl: string, token: string) {
  const jobsDir = mkdtempSync(path.join(os.tmpdir(), 'bench-pushes-jobs-'))
  const defineJobUrl = pathToFileURL(path.resolve('dist/jobs/defineJob.js')).href
  writeFileSync(
    path.join(jobsDir, 'ticker.mjs'),
    `import { setTimeout as sleep } from 'node:timers/promises'
import { defineJob } from ${JSON.stringify(defineJobUrl)}
export default defineJob({
  name: 'ticker',
  payloadSchema: { type: 'object' },
  async run({ payload, progress, signal }) {
    for (let i = 1; i <= payload.reports; i++) {
      await sleep(payload.intervalMs, undefined, { signal })
      progress(i / payload.reports, String(Date.now()))
    }
    return { reports: payload.reports }
  },
})
`,
  )
  const common = { DATABASE_URL: databaseUrl, JOBS_DIR: jobsDir, CHECKPOINT_INTERVAL_SECONDS: '3600' }
  const a = await spawnServer({ ...common })
  const b = await spawnServer({ ...common, QUEUES: 'elsewhere' })
  const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' }
  const samples = { sameInstance: [] as number[], otherInstance: [] as number[] }
  const agent = new http.Agent({ keepAlive: true })
  const follow = (base: string, id: string, into: number[]) =>
    new Promise<http.ClientRequest>((resolve, reject) => {
      const request = http.get(`${base}/v1/jobs/${id}/events`, { headers, agent }, (response) => {
        if (response.statusCode !== 200) return reject(new Error(`stream: ${response.statusCode}`))
        response.setEncoding('utf8')
        let text = ''
        response.on('data', (chunk: string) => {
          const arrived = Date.now()
          text += chunk
          const blocks = text.split('\n\n')
          text = blocks.pop()!
          for (const block of blocks) {
            if (!block.startsWith('event: progress\n')) continue
            const data = JSON.parse(/^data: (.*)$/m.exec(block)![1]!) as { message: string }
            into.push(arrived - Number(data.message))
          }
        })
        resolve(request)
      })
      request.on('error', reject)
    })
  // Due in a second: both streams are open before the first report.
  const runAt = new Date(Date.now() + 1000).toISOString()
  const jobs = Array.from({ length: TICKERS }, () => ({
    type: 'ticker',
    payload: { reports: REPORTS, intervalMs: REPORT_INTERVAL_MS },
    runAt,
  }))
  const response = await fetch(`${a.base}/v1/jobs/batch`, { method: 'POST', headers, body: JSON.stringify({ jobs }) })
  if (response.status !== 202) throw new Error(`tickers: ${response.status} ${await response.text()}`)
  const ids = ((await response.json()) as { jobs: { id: string }[] }).jobs.map((job) => job.id)
  const streams = await Promise.all(
    ids.flatMap((id) => [follow(a.base, id, samples.sameInstance), follow(b.base, id, samples.otherInstance)]),
  )
  const expected = TICKERS * REPORTS
  const started = Date.now()
  while (samples.sameInstance.length < expected || samples.otherInstance.length < expected) {
    // Reports 150 ms apart outlast the relay's 100 ms throttle, so each is its own event.
    if (Date.now() - started > REPORTS * REPORT_INTERVAL_MS + 30_000) break
    await new Promise((r) => setTimeout(r, 50))
  }
  for (const request of streams) request.destroy()
  agent.destroy()
  for (const { server } of [a, b]) {
    server.kill('SIGTERM')
    await new Promise((r) => server.once('exit', r))
  }
  rmSync(jobsDir, { recursive: true, force: true })
  const summary = (latencies: number[]) => ({
    events: latencies.length,
    of: expected,
    p50Ms: percentile(latencies, 50),
    p99Ms: percentile(latencies, 99),
    maxMs: Math.max(...latencies),
  })
  return {
    tickers: TICKERS,
    reportsEach: REPORTS,
    intervalMs: REPORT_INTERVAL_MS,
    sameInstance: summary(samples.sameInstance),
    otherInstance: summary(samples.otherInstance),
  }
}

await main()
