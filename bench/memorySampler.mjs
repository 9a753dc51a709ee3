/**
 * Preloaded into the service (`NODE_OPTIONS=--import <this file>`, P8features) to sample its memory
 * from inside without changing it: every second, one line `<epoch ms> <rss bytes> <heapUsed bytes>`
 * appended to MEMORY_SAMPLES_FILE. The timer is unref'd: it never keeps the process alive.
 *
 * With MEMORY_SAMPLES_AFTER_GC=1 (and node's --expose-gc) each sample follows a full collection, so
 * heapUsed is what the service holds, not also the garbage V8 has not collected yet (a diagnosis: a
 * full collection a second costs the drain CPU).
 */
import { appendFileSync } from 'node:fs'

const file = process.env.MEMORY_SAMPLES_FILE
if (file) {
  const collect = process.env.MEMORY_SAMPLES_AFTER_GC === '1' ? globalThis.gc : undefined
  const sample = () => {
    collect?.()
    const { rss, heapUsed } = process.memoryUsage()
    appendFileSync(file, `${Date.now()} ${rss} ${heapUsed}\n`)
  }
  sample()
  setInterval(sample, 1000).unref()
}
