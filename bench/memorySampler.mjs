/**
 * Preloaded into the service (`NODE_OPTIONS=--import <this file>`, P8features) to sample its memory
 * from inside without changing it: every second, one line `<epoch ms> <rss bytes> <heapUsed bytes>`
 * appended to MEMORY_SAMPLES_FILE. The timer is unref'd: it never keeps the process alive.
 */
import { appendFileSync } from 'node:fs'

const file = process.env.MEMORY_SAMPLES_FILE
if (file) {
  const sample = () => {
    const { rss, heapUsed } = process.memoryUsage()
    appendFileSync(file, `${Date.now()} ${rss} ${heapUsed}\n`)
  }
  sample()
  setInterval(sample, 1000).unref()
}
