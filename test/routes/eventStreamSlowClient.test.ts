/**
 * A client that stops reading is dropped, not buffered without end: a real loopback socket asks for
 * `GET /v1/events` and never reads (past node's read-ahead of a paused socket) while about 12 MiB
 * of events (jobs with 128 KiB payloads, each shown whole in its `state` event) are made for it.
 * Once the kernel's buffers and the stream's own bound (256 KiB) are full, the server drops the
 * stream (it leaves the hub, its quota slot frees) and closes the connection while the client
 * still does not read; the server's memory after that is within a few MiB of where it started, not
 * the megabytes the client ignored. The client then reads what reached it and sees the connection
 * closed, short of what was made. The subject is the stream, not the database: one database runs it.
 */
import assert from 'node:assert/strict'
import net from 'node:net'
import { describe, it } from 'node:test'
import { databaseTargets, onceSkip } from '../support/databases.js'
import { fullCollector } from '../support/heap.js'
import { expectJson } from '../support/http.js'
import type { TestService } from '../support/service.js'
import { suiteService } from '../support/suiteService.js'

const MIB = 1024 * 1024
const PAYLOAD_BYTES = 128 * 1024
const BATCHES = 2
const JOBS_PER_BATCH = 48
/** What the server may still hold once the client is dropped, whatever it ignored. */
const MEMORY_BOUND = 4 * MIB

for (const target of databaseTargets()) {
  describe(
    `a slow event stream client (${target.name})`,
    { skip: onceSkip(target, 'the stream, not the database') },
    () => {
      let service: TestService

      suiteService(target, (started) => (service = started), { LOG_LEVEL: 'warn', MAX_BODY_BYTES: String(8 * MIB) })

      it('is dropped once its unread events pass the bound, and the server does not keep them', async (t) => {
        const gc = fullCollector()
        const token = await service.token({ scopes: ['jobs:read', 'jobs:write'] })
        const socket = net.connect({ host: '127.0.0.1', port: service.port })
        await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('error', reject))
        // Never read: the kernel's receive buffer fills, then the server's send buffer, then the stream's queue.
        socket.pause()
        let closed = false
        socket.once('close', () => (closed = true))
        socket.on('error', () => {}) // a reset is one way to be closed
        socket.write(
          `GET /v1/events?queue=slow HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${token}\r\n` +
            'Accept: text/event-stream\r\n\r\n',
        )
        await waitUntil(() => service.eventHub.size === 1)
        const before = await settledMemory(gc)

        // Jobs of a queue no instance serves: each is shown once, queued, with its whole payload.
        const blob = 'x'.repeat(PAYLOAD_BYTES)
        for (let batch = 0; batch < BATCHES; batch++) {
          const jobs = Array.from({ length: JOBS_PER_BATCH }, (_, i) => ({
            type: 'echo',
            queue: 'slow',
            payload: { batch, i, blob },
          }))
          const response = await service.request('/v1/jobs/batch', { method: 'POST', body: JSON.stringify({ jobs }) })
          await expectJson(response, 202)
        }
        const made = BATCHES * JOBS_PER_BATCH * PAYLOAD_BYTES

        // The server ends the stream on its own while the client has still read nothing.
        await waitUntil(() => service.eventHub.size === 0, 30_000)
        // Node reads ahead into a paused socket's buffer (64 KiB), and no further.
        assert.ok(socket.bytesRead <= 128 * 1024, `the client took ${socket.bytesRead} bytes`)
        const grown = (await settledMemory(gc)) - before
        t.diagnostic(
          `server memory after the drop: ${(grown / MIB).toFixed(2)} MiB from before; made ${made / MIB} MiB`,
        )
        assert.ok(grown < MEMORY_BOUND, `the server holds ${(grown / MIB).toFixed(1)} MiB more after the drop`)

        // What the kernel held, then the end: the connection is closed, short of what was made.
        let received = 0
        socket.on('data', (chunk: Buffer) => (received += chunk.length))
        socket.resume()
        await waitUntil(() => closed, 30_000)
        t.diagnostic(`the client got ${(received / MIB).toFixed(2)} MiB before the close`)
        assert.ok(received < made / 2, `the client got ${received} bytes of the ${made} made`)
        // Its quota slot is free again.
        const again = await service.request('/v1/events?queue=slow', { scopes: ['jobs:read'] })
        assert.equal(again.status, 200)
        await again.body?.cancel()
      })
    },
  )
}

/** Heap and array buffers (where a stream's queued chunks live) after full collections. */
async function settledMemory(gc: () => void): Promise<number> {
  for (let i = 0; i < 3; i++) {
    gc()
    await new Promise((resolve) => setImmediate(resolve))
  }
  const { heapUsed, arrayBuffers } = process.memoryUsage()
  return heapUsed + arrayBuffers
}

async function waitUntil(condition: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time')
    await new Promise((resolve) => setTimeout(resolve, 10))
  }
}
