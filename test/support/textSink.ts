/**
 * A writable stream that keeps what is written to it as text. Each write is taken at once (its
 * callback comes back synchronously), so `text()` holds everything written so far.
 */
import { Writable } from 'node:stream'

export function textSink(): { stream: Writable; text: () => string } {
  const chunks: string[] = []
  const stream = new Writable({
    write(chunk: Buffer | string, _encoding, done) {
      chunks.push(chunk.toString())
      done()
    },
  })
  return { stream, text: () => chunks.join('') }
}
