/**
 * What one start costs the local queue while jobs claimed early wait in it (src/runner/localQueue.ts):
 * every start then takes through an eligibility test (due, and no live run of the job here). A
 * queue of `held` jobs, `early` of them due a minute later, is emptied of its due jobs one take at a
 * time, `rounds` times.
 *
 *   npm run build && node bench/localQueueTake.mjs [held] [early] [rounds]
 */
import { LocalQueue } from '../dist/src/runner/localQueue.js'

const [held = 2000, early = 100, rounds = 50] = process.argv.slice(2).map(Number)
const now = new Date().toISOString()
const later = new Date(Date.now() + 60_000).toISOString()
const job = (id, runAt) => ({ id: String(id), priority: 0, runAt })
const due = (waiting) => waiting.runAt <= now

for (const pass of ['warm-up', 'measured']) {
  let taken = 0
  const started = performance.now()
  for (let round = 0; round < rounds; round++) {
    const queue = new LocalQueue({ maxSize: held })
    queue.push(Array.from({ length: held }, (_, i) => job(i, i < held - early ? now : later)))
    for (let i = 0; i < held - early; i++) taken += queue.take(1, due).length
  }
  const micros = ((performance.now() - started) * 1000) / taken
  if (pass === 'measured') console.log(`${micros.toFixed(3)} µs a take (${held} held, ${early} early, ${taken} takes)`)
}
