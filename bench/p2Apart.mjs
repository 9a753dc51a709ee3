/**
 * P2 over HTTP with the client in a process of its own, as real clients are: `bench/ours.ts
 * latency` runs its client in the service's process, where the two share one event loop. Here the
 * service runs alone in a child process (this file with `serve`), the client sends `jobs` sequential
 * `POST /v1/jobs`, 2 ms apart, and each job's enqueue → start is read off the machine's shared clock
 * (`performance.timeOrigin + performance.now()` in both processes). For before/after comparisons it
 * runs any built checkout:
 *
 *   node bench/p2Apart.mjs <checkout folder> <databaseUrl> [jobs]
 *
 * The checkout must be built (`npm run build`) and the database migrated (the service does it at
 * start). Prints one `RESULT {json}` line: p50, p90 and p99 in ms. The figures include the client's
 * own process, so compare them with each other, not with `ours.ts latency`'s.
 */
import { spawn } from 'node:child_process'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'
import { checkoutToken, startCheckoutService } from './checkout.mjs'

const [mode, ...rest] = process.argv.slice(2)
if (mode === 'serve') await serve(...rest)
else await measure(mode, ...rest)

/** The service alone; on SIGUSR2 it prints each job's start time, stops and exits. */
async function serve(dir, databaseUrl) {
  const service = await startCheckoutService(dir, databaseUrl)
  const starts = {}
  service.runner.events.on('job:start', ({ job }) => (starts[job.id] = performance.timeOrigin + performance.now()))
  process.on('SIGUSR2', async () => {
    process.stdout.write(`STARTS ${JSON.stringify(starts)}\n`)
    await service.lifecycle.shutdown('bench done')
    process.exit(0)
  })
  process.stdout.write(`URL ${service.url}\n`)
}

async function measure(dir, databaseUrl, jobs = '1000') {
  const self = fileURLToPath(import.meta.url)
  const server = spawn(process.execPath, [self, 'serve', dir, databaseUrl], { stdio: ['ignore', 'pipe', 'inherit'] })
  const lines = createInterface({ input: server.stdout })
  const url = await new Promise((resolve) => lines.on('line', (l) => l.startsWith('URL ') && resolve(l.slice(4))))
  const token = await checkoutToken(dir)
  const sent = new Map()
  const post = async () => {
    const at = performance.timeOrigin + performance.now()
    const response = await fetch(`${url}/v1/jobs`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: '{"type":"echo","payload":{}}',
    })
    if (response.status !== 202) throw new Error(`POST /v1/jobs answered ${response.status}`)
    sent.set((await response.json()).id, at)
  }
  // Warm-up: JIT, connections, token verification.
  for (let i = 0; i < 100; i++) await post()
  await new Promise((resolve) => setTimeout(resolve, 500))
  sent.clear()
  for (let i = 0; i < Number(jobs); i++) {
    await post()
    await new Promise((resolve) => setTimeout(resolve, 2))
  }
  const starts = await new Promise((resolve) => {
    lines.on('line', (l) => l.startsWith('STARTS ') && resolve(JSON.parse(l.slice(7))))
    server.kill('SIGUSR2')
  })
  const latencies = [...sent].map(([id, at]) => starts[id] - at).filter((ms) => Number.isFinite(ms))
  latencies.sort((a, b) => a - b)
  const at = (q) => Number(latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * q))].toFixed(2))
  const result = { jobs: latencies.length, p50Ms: at(0.5), p90Ms: at(0.9), p99Ms: at(0.99) }
  process.stdout.write(`RESULT ${JSON.stringify(result)}\n`)
}
