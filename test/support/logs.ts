/** A logger whose lines a test can read back (to assert on what was, or was never, logged). */
import { Writable } from 'node:stream'
import { createLogger, type Logger } from '../../src/log.js'

export interface CapturedLogs {
  readonly log: Logger
  readonly lines: string[]
  records(): Record<string, unknown>[]
}

export function captureLogs(level = 'debug'): CapturedLogs {
  const lines: string[] = []
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString('utf8').split('\n')) if (line) lines.push(line)
      done()
    },
  })
  const log = createLogger({ level, destination })
  return { log, lines, records: () => lines.map((line) => JSON.parse(line) as Record<string, unknown>) }
}
