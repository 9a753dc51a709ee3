/**
 * One Server-Sent Events response (WHATWG HTML §9.2): a `ReadableStream` the HTTP adapter pipes to
 * the socket with backpressure, so what the client has not read stays queued here, counted in
 * bytes. A client that falls `maxBufferedBytes` behind is dropped (its connection reset) rather
 * than buffered without end; it reconnects with `Last-Event-ID` and gets the stored state.
 *
 *   open ──send()/comment()──▶ open ──end(retryMs)──▶ ended (event: shutdown, retry:, closed)
 *     │                                  │
 *     └──client gone / too slow──────────┴──▶ ended (onEnd called once, whatever ended it)
 *
 * A comment line every `heartbeatMs` keeps proxies from closing an idle stream.
 */
export interface SseEvent {
  event: string
  data: unknown
  id?: string
}

export interface SseStreamOptions {
  heartbeatMs: number
  /** Bytes the client may leave unread before it is dropped. */
  maxBufferedBytes?: number
  /** Called once when the stream ends, whatever ended it. */
  onEnd: (why: 'closed' | 'client-gone' | 'too-slow') => void
}

const encoder = new TextEncoder()

export class SseStream {
  readonly response: Response
  private controller!: ReadableStreamDefaultController<Uint8Array>
  private ended = false
  private readonly heartbeat: NodeJS.Timeout

  constructor(private readonly options: SseStreamOptions) {
    const body = new ReadableStream<Uint8Array>(
      {
        start: (controller) => {
          this.controller = controller
        },
        cancel: () => this.finish('client-gone'),
      },
      new ByteLengthQueuingStrategy({ highWaterMark: options.maxBufferedBytes ?? 256 * 1024 }),
    )
    this.heartbeat = setInterval(() => this.write(': heartbeat\n\n'), options.heartbeatMs)
    this.heartbeat.unref()
    this.response = new Response(body, {
      headers: {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-cache, no-transform',
        // Proxies that buffer answers (nginx) would hold events back.
        'x-accel-buffering': 'no',
      },
    })
  }

  get isOpen(): boolean {
    return !this.ended
  }

  send({ event, data, id }: SseEvent): void {
    // JSON has no raw line breaks, so the data is one `data:` line.
    this.write(`event: ${event}\n${id === undefined ? '' : `id: ${id}\n`}data: ${JSON.stringify(data)}\n\n`)
  }

  /**
   * Ends the stream: with `retryMs`, an `event: shutdown` first tells the client when to reconnect
   * (an `EventSource` does so on its own, elsewhere when a load balancer routes it there).
   */
  end(retryMs?: number): void {
    if (this.ended) return
    if (retryMs !== undefined) {
      this.write(`retry: ${retryMs}\nevent: shutdown\ndata: ${JSON.stringify({ retryMs })}\n\n`)
    }
    if (this.ended) return
    try {
      this.controller.close()
    } catch {
      // already closed by the reader's cancel
    }
    this.finish('closed')
  }

  private write(text: string): void {
    if (this.ended) return
    this.controller.enqueue(encoder.encode(text))
    if ((this.controller.desiredSize ?? 0) < 0) {
      // Erroring the stream makes the adapter destroy the socket: the queue is dropped with it.
      this.controller.error(new Error('event stream client too slow'))
      this.finish('too-slow')
    }
  }

  private finish(why: 'closed' | 'client-gone' | 'too-slow'): void {
    if (this.ended) return
    this.ended = true
    clearInterval(this.heartbeat)
    this.options.onEnd(why)
  }
}
