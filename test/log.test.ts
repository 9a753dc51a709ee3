/**
 * The logger's two faces: JSON lines for machines (any destination that is not a terminal), and
 * pino-pretty's human lines when asked (main.ts asks when stdout is a TTY).
 */
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { createLogger } from '../src/log.js'
import { textSink } from './support/textSink.js'

describe('createLogger', () => {
  it('writes one JSON object per line to a destination, secrets redacted', () => {
    const out = textSink()
    const log = createLogger({ destination: out.stream })
    log.child({ jobId: '42' }).info({ authorization: 'Bearer abc' }, 'job started')
    const record = JSON.parse(out.text().trim()) as Record<string, unknown>
    assert.equal(record.msg, 'job started')
    assert.equal(record.jobId, '42')
    assert.equal(record.level, 30)
    assert.equal(record.authorization, '[redacted]')
  })

  it('writes human lines with pretty output, keeping the fields', () => {
    const out = textSink()
    const log = createLogger({ destination: out.stream, pretty: true })
    log.info({ jobId: '42', requestId: 'req-1' }, 'job started')
    const text = out.text()
    assert.throws(() => JSON.parse(text), 'not JSON')
    assert.match(text, /INFO.*job started/)
    assert.match(text, /jobId: "42"/)
    assert.match(text, /requestId: "req-1"/)
    // eslint-disable-next-line no-control-regex -- the escape that starts a terminal colour
    assert.doesNotMatch(text, /\x1b\[/, 'no colours when writing to a stream that is not the terminal')
  })
})
