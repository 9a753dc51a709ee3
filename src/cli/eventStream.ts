/**
 * Reads a Server-Sent Events body (WHATWG HTML §9.2.6) as an async sequence of events: the fields
 * `event`, `id`, `data` (lines joined) and `retry`; comment lines (heartbeats) are skipped. What the
 * CLI needs to follow a job's stream, without a browser's EventSource.
 */
export interface StreamEvent {
  event: string
  /** The last event id seen so far on this stream (ids persist across events, as in EventSource). */
  id: string | undefined
  data: string
  /** A reconnect delay the server asked for, if any so far. */
  retryMs: number | undefined
}

export async function* readEvents(body: ReadableStream<Uint8Array>): AsyncGenerator<StreamEvent> {
  const decoder = new TextDecoder()
  let buffer = ''
  let id: string | undefined
  let retryMs: number | undefined
  let event = ''
  let data: string[] = []
  for await (const chunk of body as unknown as AsyncIterable<Uint8Array>) {
    buffer += decoder.decode(chunk, { stream: true })
    let newline: number
    while ((newline = buffer.search(/\r\n|\r|\n/)) >= 0) {
      const line = buffer.slice(0, newline)
      buffer = buffer.slice(newline + (buffer.startsWith('\r\n', newline) ? 2 : 1))
      if (line === '') {
        if (data.length > 0) yield { event: event || 'message', id, data: data.join('\n'), retryMs }
        event = ''
        data = []
        continue
      }
      if (line.startsWith(':')) continue
      const colon = line.indexOf(':')
      const field = colon < 0 ? line : line.slice(0, colon)
      const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '')
      if (field === 'event') event = value
      else if (field === 'data') data.push(value)
      else if (field === 'id' && !value.includes('\0')) id = value
      else if (field === 'retry' && /^[0-9]+$/.test(value)) retryMs = Number(value)
    }
  }
}
