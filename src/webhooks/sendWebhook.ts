/**
 * Sends one webhook request, safely: POST with a JSON body over node:http(s); no redirect is
 * followed (a 3xx is an answer like any other: the delivery is retried); connect and response
 * together within `timeoutMs`; at most `maxResponseBytes` of the answer kept; the address connected
 * to is checked by `AddressGuard` inside the DNS lookup the connection itself uses (an IP literal is
 * checked before connecting, since no lookup happens for it).
 */
import { lookup as dnsLookup, type LookupAddress, type LookupOptions } from 'node:dns'
import http from 'node:http'
import https from 'node:https'
import { isIP } from 'node:net'
import type { AddressGuard } from './addressGuard.js'

export interface WebhookAnswer {
  /** The HTTP status, or null when no answer came (refused, timed out, unreachable). */
  status: number | null
  /** The first bytes of the answer's body, as text. */
  response: string | null
  /** Why no answer came; undefined when one did. */
  error?: string
  /** The address was refused by the guard: retrying cannot help. */
  refused?: boolean
}

export class RefusedAddressError extends Error {
  override name = 'RefusedAddressError'
}

export async function sendWebhook({
  url,
  body,
  headers,
  guard,
  timeoutMs,
  maxResponseBytes,
}: {
  url: string
  body: string
  headers: Record<string, string>
  guard: AddressGuard
  timeoutMs: number
  maxResponseBytes: number
}): Promise<WebhookAnswer> {
  const target = new URL(url)
  const hostname = target.hostname.replace(/^\[|\]$/g, '')
  if (isIP(hostname)) {
    const refusal = guard.refusal(hostname, hostname)
    if (refusal) return { status: null, response: null, error: refusal, refused: true }
  }
  const lookup = (host: string, options: LookupOptions, callback: (...args: unknown[]) => void) => {
    dnsLookup(host, { ...options, all: true }, (error, addresses: LookupAddress[]) => {
      if (error) return callback(error)
      const refusal = addresses.map((a) => guard.refusal(host, a.address)).find((r) => r !== undefined)
      if (refusal) return callback(new RefusedAddressError(refusal))
      if (options.all) return callback(null, addresses)
      callback(null, addresses[0]!.address, addresses[0]!.family)
    })
  }
  const client = target.protocol === 'https:' ? https : http
  const signal = AbortSignal.timeout(timeoutMs)
  return new Promise<WebhookAnswer>((resolve) => {
    const request = client.request(
      target,
      {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'user-agent': 'job-runner-webhooks', ...headers },
        lookup: lookup as unknown as typeof dnsLookup,
        signal,
      },
      (response) => {
        const chunks: Buffer[] = []
        let kept = 0
        response.on('data', (chunk: Buffer) => {
          if (kept >= maxResponseBytes) return response.destroy()
          chunks.push(chunk.subarray(0, maxResponseBytes - kept))
          kept += Math.min(chunk.length, maxResponseBytes - kept)
        })
        const done = () =>
          resolve({ status: response.statusCode ?? null, response: Buffer.concat(chunks).toString('utf8') })
        response.on('end', done)
        response.on('close', done)
        response.on('error', done)
      },
    )
    request.on('error', (error: Error) => {
      const refused = error instanceof RefusedAddressError
      const message = signal.aborted ? `no answer within ${timeoutMs} ms` : error.message
      resolve({ status: null, response: null, error: message, ...(refused ? { refused } : {}) })
    })
    request.end(body)
  })
}
