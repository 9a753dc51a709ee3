/**
 * A webhook receiver for the tests, listening on 127.0.0.1 only: it records every request (headers
 * and body) and answers with the status the test's `answer` function picks (200 by default), or
 * holds the request unanswered when it picks `hold`, or answers when the promise it returns does (a
 * test holds a request, then releases it).
 */
import http from 'node:http'
import type { AddressInfo } from 'node:net'

export interface ReceivedWebhook {
  path: string
  headers: Record<string, string>
  body: string
}

/** A status (answered with a short text body), a whole answer, or `hold`: never answer. */
export type ReceiverAnswer = number | 'hold' | { status: number; body?: string; headers?: Record<string, string> }

export interface WebhookReceiver {
  readonly url: string
  readonly received: ReceivedWebhook[]
  /** Resolves once `count` requests have arrived (already or to come). */
  waitForCount(count: number, timeoutMs?: number): Promise<void>
  close(): Promise<void>
}

export async function startWebhookReceiver(
  answer: (request: ReceivedWebhook, index: number) => ReceiverAnswer | Promise<ReceiverAnswer> = () => 200,
): Promise<WebhookReceiver> {
  const received: ReceivedWebhook[] = []
  const waiters = new Set<() => void>()
  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = []
    request.on('data', (chunk: Buffer) => chunks.push(chunk))
    request.on('end', async () => {
      const headers = Object.fromEntries(
        Object.entries(request.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(', ') : (v ?? '')]),
      )
      const entry = { path: request.url ?? '/', headers, body: Buffer.concat(chunks).toString('utf8') }
      received.push(entry)
      for (const wake of waiters) wake()
      const answered = await answer(entry, received.length - 1)
      // Held until its sender went away: there is no one to answer.
      if (answered === 'hold' || response.socket === null || response.socket.destroyed) return
      const {
        status,
        body = `answered ${status}`,
        headers: answerHeaders = {},
      } = typeof answered === 'number' ? { status: answered } : answered
      response.writeHead(status, { 'content-type': 'text/plain', ...answerHeaders }).end(body)
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    received,
    waitForCount: (count, timeoutMs = 20_000) =>
      new Promise<void>((resolve, reject) => {
        const check = () => {
          if (received.length < count) return
          waiters.delete(check)
          clearTimeout(timer)
          resolve()
        }
        const timer = setTimeout(() => {
          waiters.delete(check)
          reject(new Error(`${count} webhooks did not arrive in ${timeoutMs} ms (got ${received.length})`))
        }, timeoutMs)
        waiters.add(check)
        check()
      }),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}
