/**
 * Where one instance's time and memory go while it drains HTTP-enqueued jobs: a diagnosis beside
 * P1bb, not a figure (each mode slows the drain it watches).
 *
 *   node bench/profileDrain.mjs cpu  [jobs]   CPU profile: busy µs a job, by function and by module
 *   node bench/profileDrain.mjs gc   [jobs]   V8's GC trace: bytes allocated and promoted a job, pause µs a job
 *   node bench/profileDrain.mjs heap [jobs]   sampled allocations (collected ones too), bytes a job by function
 *
 * The service runs as P1bb runs it (`node dist/src/main.js`, CONCURRENCY 10, its own database), with a
 * preload that starts the profiler; `jobs` echo jobs (100,000 by default) are enqueued through
 * `POST /v1/jobs/batch` with one `runAt` a few seconds ahead, and only the drain is read: the CPU
 * profile's last busy stretch, the GC trace's last burst of collections. Heap samples carry no time,
 * so `heap` also counts the enqueue (the HTTP route, `readJsonBody`, `parseTimestamp`).
 * `PROFILE_NODE_OPTIONS` adds options to the service's node, e.g. `--max-semi-space-size=64` to see
 * what a larger young generation changes.
 */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { admin, dbUrl, log, mintToken, startServiceProcess } from './harness.mjs'
import { enqueueOverHttp } from './p1BlackBox.mjs'
import { drainWindow, waitFinished } from './drainWindow.mjs'

const [mode = 'cpu', jobsArg = '100000'] = process.argv.slice(2)
const jobs = Number(jobsArg)
if (!['cpu', 'gc', 'heap'].includes(mode) || !(jobs > 0)) {
  console.error('usage: node bench/profileDrain.mjs cpu|gc|heap [jobs]')
  process.exit(2)
}

const outDir = fs.mkdtempSync(path.join(os.tmpdir(), 'profile-drain-'))
const PRELOADS = {
  cpu: `const inspector = require('node:inspector'); const fs = require('node:fs')
const s = new inspector.Session(); s.connect()
s.post('Profiler.enable'); s.post('Profiler.setSamplingInterval', { interval: 200 }); s.post('Profiler.start')
process.on('exit', () => s.post('Profiler.stop', (e, r) => e || fs.writeFileSync(${JSON.stringify(path.join(outDir, 'drain.cpuprofile'))}, JSON.stringify(r.profile))))`,
  gc: `require('v8').setFlagsFromString('--trace-gc'); require('v8').setFlagsFromString('--trace-gc-nvp')`,
  heap: `const inspector = require('node:inspector'); const fs = require('node:fs')
const s = new inspector.Session(); s.connect(); s.post('HeapProfiler.enable')
s.post('HeapProfiler.startSampling', { samplingInterval: 4096, includeObjectsCollectedByMajorGC: true, includeObjectsCollectedByMinorGC: true })
process.on('exit', () => s.post('HeapProfiler.stopSampling', (e, r) => e || fs.writeFileSync(${JSON.stringify(path.join(outDir, 'drain.heapprofile'))}, JSON.stringify(r.profile))))`,
}
const preload = path.join(outDir, 'preload.cjs')
fs.writeFileSync(preload, PRELOADS[mode])

const name = `profile_drain_${Date.now()}`
await admin((client) => client.query(`create database ${name}`))
const url = dbUrl(name)
try {
  const token = await mintToken()
  const service = await startServiceProcess({
    DATABASE_URL: url,
    CONCURRENCY: '10',
    NODE_OPTIONS: `--require ${preload} ${process.env.PROFILE_NODE_OPTIONS ?? ''}`,
  })
  let stdout = ''
  service.proc.stdout.on('data', (chunk) => (stdout += chunk))
  const runAt = new Date(Date.now() + 6000).toISOString()
  const enqueueMs = await enqueueOverHttp(service.url, token, jobs, { runAt })
  log(`enqueued ${jobs} in ${Math.round(enqueueMs)} ms`)
  await waitFinished(url, jobs, { timeoutMs: 300_000 })
  const window = await drainWindow(url)
  log(`drained at ${Math.round(window.jobsPerSec)} jobs/s (first start → last finish)`)
  service.proc.kill('SIGTERM')
  await service.exited
  if (mode === 'cpu') reportCpu(JSON.parse(fs.readFileSync(path.join(outDir, 'drain.cpuprofile'), 'utf8')))
  if (mode === 'gc') reportGc(stdout)
  if (mode === 'heap') reportHeap(JSON.parse(fs.readFileSync(path.join(outDir, 'drain.heapprofile'), 'utf8')))
} finally {
  await admin((client) => client.query(`drop database ${name} with (force)`))
  fs.rmSync(outDir, { recursive: true, force: true })
}

function perJob(microseconds) {
  return (microseconds / jobs).toFixed(3).padStart(7)
}

function top(totals, count, format) {
  return [...totals]
    .sort((a, b) => b[1] - a[1])
    .slice(0, count)
    .map(([key, value]) => `${format(value)} ${key}`)
    .join('\n')
}

function frameName(f) {
  return `${f.functionName || '(anonymous)'} ${f.url.replace(/.*\/(node_modules\/)?/, '')}:${f.lineNumber + 1}`
}

/** The drain: the last stretch of 100 ms buckets in which the process was busy a third of the time or more. */
function reportCpu(profile) {
  const nodes = new Map(profile.nodes.map((n) => [n.id, n]))
  const parent = new Map()
  for (const n of profile.nodes) for (const child of n.children ?? []) parent.set(child, n.id)
  let at = profile.startTime
  const times = profile.timeDeltas.map((d) => (at += d))
  const buckets = new Map()
  profile.samples.forEach((id, i) => {
    const b = Math.floor((times[i] - profile.startTime) / 100_000)
    const bucket = buckets.get(b) ?? { busy: 0, all: 0 }
    bucket.all += 1
    if (nodes.get(id).callFrame.functionName !== '(idle)') bucket.busy += 1
    buckets.set(b, bucket)
  })
  const keys = [...buckets.keys()].sort((a, b) => a - b)
  const busy = (k) => buckets.get(k).busy / buckets.get(k).all >= 0.3
  let last = keys.length - 1
  while (last >= 0 && !busy(keys[last])) last -= 1
  let first = last
  while (first > 0 && busy(keys[first - 1])) first -= 1
  const from = profile.startTime + keys[first] * 100_000
  const to = profile.startTime + (keys[last] + 1) * 100_000
  const self = new Map()
  const byModule = new Map()
  let total = 0
  profile.samples.forEach((id, i) => {
    if (times[i] < from || times[i] >= to || i + 1 >= times.length) return
    const frame = nodes.get(id).callFrame
    if (frame.functionName === '(idle)') return
    const dt = times[i + 1] - times[i]
    total += dt
    self.set(frameName(frame), (self.get(frameName(frame)) ?? 0) + dt)
    // The first frame up the stack that belongs to our code, a package or a Node module.
    let module = frame.url ? 'other' : frame.functionName
    for (let n = nodes.get(id); n; n = nodes.get(parent.get(n.id))) {
      const { url } = n.callFrame
      if (url.includes('node_modules/')) module = `package ${url.split('node_modules/')[1].split('/')[0]}`
      else if (url.includes('/dist/src/')) module = `src/${url.split('/dist/src/')[1]}`
      else if (url.startsWith('node:')) module = url
      else continue
      break
    }
    byModule.set(module, (byModule.get(module) ?? 0) + dt)
  })
  console.log(`drain window ${((to - from) / 1000).toFixed(0)} ms; busy ${perJob(total)} µs a job`)
  console.log(`\nself time, µs a job\n${top(self, 40, perJob)}`)
  console.log(`\nby the first frame of our code, a package or a Node module, µs a job\n${top(byModule, 30, perJob)}`)
}

/** The drain: the last burst of collections (no gap of 1.5 s or more between two). */
function reportGc(trace) {
  const lines = trace.split('\n').filter((line) => line.includes(' gc='))
  const field = (line, key) => Number(new RegExp(`\\b${key}=([0-9.]+)`).exec(line)?.[1] ?? 0)
  const at = lines.map((line) => Number(/\]\s+([0-9]+) ms:/.exec(line)?.[1] ?? 0))
  let first = lines.length - 1
  while (first > 0 && at[first] - at[first - 1] < 1500) first -= 1
  const drain = lines.slice(first)
  const sum = (key, filter = () => true) => drain.filter(filter).reduce((s, line) => s + field(line, key), 0)
  const scavenge = (line) => line.includes('gc=s ')
  console.log(
    [
      `collections ${drain.length} (${drain.filter((l) => !scavenge(l)).length} mark-compact) over ${at.at(-1) - at[first]} ms`,
      `allocated ${(sum('allocated') / jobs).toFixed(0)} B a job, promoted ${(sum('promoted') / jobs).toFixed(0)} B a job`,
      `scavenge pauses ${((sum('pause', scavenge) * 1000) / jobs).toFixed(2)} µs a job, mark-compact pauses ${((sum('pause', (l) => !scavenge(l)) * 1000) / jobs).toFixed(2)} µs a job`,
    ].join('\n'),
  )
}

/** Bytes a job by the allocating function, and by the nearest function of our code above it. */
function reportHeap(profile) {
  const self = new Map()
  const ours = new Map()
  const walk = (node, ourFrame) => {
    const frame = node.callFrame
    const here = frame.url.includes('/dist/src/')
      ? `${frame.functionName || '(anonymous)'} src/${frame.url.split('/dist/src/')[1]}:${frame.lineNumber + 1}`
      : ourFrame
    if (node.selfSize > 0) {
      self.set(frameName(frame), (self.get(frameName(frame)) ?? 0) + node.selfSize)
      ours.set(here, (ours.get(here) ?? 0) + node.selfSize)
    }
    for (const child of node.children ?? []) walk(child, here)
  }
  walk(profile.head, '(none of our code)')
  const bytes = (b) => (b / jobs).toFixed(0).padStart(6)
  const total = [...self.values()].reduce((a, b) => a + b, 0)
  console.log(`allocated ${bytes(total)} B a job, enqueue and drain`)
  console.log(`\nby the nearest function of our code, B a job\n${top(ours, 30, bytes)}`)
  console.log(`\nby the allocating function, B a job\n${top(self, 30, bytes)}`)
}
