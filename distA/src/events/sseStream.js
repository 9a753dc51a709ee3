/** 15 s: under the idle timeouts of common proxies and load balancers (nginx and AWS ALB: 60 s). */
export const DEFAULT_HEARTBEAT_MS = 15_000;
export const DEFAULT_MAX_BUFFERED_BYTES = 256 * 1024;
const encoder = new TextEncoder();
export class SseStream {
    options;
    response;
    controller;
    ended = false;
    heartbeat;
    maxBufferedBytes;
    /** Called once when the client has read enough to leave room again (`whenRoom`). */
    roomWaiter;
    constructor(options) {
        this.options = options;
        this.maxBufferedBytes = options.maxBufferedBytes ?? DEFAULT_MAX_BUFFERED_BYTES;
        const body = new ReadableStream({
            start: (controller) => {
                this.controller = controller;
            },
            // Called as the client reads (the adapter takes chunks as the socket drains).
            pull: () => this.roomMade(),
            cancel: () => this.finish('client-gone'),
        }, new ByteLengthQueuingStrategy({ highWaterMark: this.maxBufferedBytes }));
        this.heartbeat = setInterval(() => this.write(': heartbeat\n\n'), options.heartbeatMs ?? DEFAULT_HEARTBEAT_MS);
        this.heartbeat.unref();
        this.response = new Response(body, {
            headers: {
                'content-type': 'text/event-stream; charset=utf-8',
                'cache-control': 'no-cache, no-transform',
                // Proxies that buffer answers (nginx) would hold events back.
                'x-accel-buffering': 'no',
            },
        });
    }
    get isOpen() {
        return !this.ended;
    }
    /** Bytes queued here that the client has not taken yet; past `maxBufferedBytes` it is dropped. */
    get bufferedBytes() {
        return this.ended ? 0 : this.maxBufferedBytes - (this.controller.desiredSize ?? 0);
    }
    /**
     * Whether less than half the bound waits for the client: a sender of many events at once (a
     * job's log) stops there and goes on later, rather than get a fast client dropped by its burst.
     */
    get hasRoom() {
        return this.bufferedBytes < this.maxBufferedBytes / 2;
    }
    /**
     * Calls `callback` once, soon after the client has read enough that `hasRoom` is true again (at
     * once if it is); a later call replaces an earlier one that has not run.
     */
    whenRoom(callback) {
        this.roomWaiter = callback;
        if (this.hasRoom)
            this.roomMade();
    }
    /** Drops a client that fell too far behind, as a write past `maxBufferedBytes` does. */
    drop() {
        if (this.ended)
            return;
        this.controller.error(new Error('event stream client too slow'));
        this.finish('too-slow');
    }
    roomMade() {
        const waiter = this.roomWaiter;
        if (waiter === undefined || this.ended || !this.hasRoom)
            return;
        this.roomWaiter = undefined;
        // Not from inside the stream's own call (an enqueue can pull): the waiter sends.
        queueMicrotask(waiter);
    }
    send({ event, data, id }) {
        // JSON has no raw line breaks, so the data is one `data:` line.
        this.write(`event: ${event}\n${id === undefined ? '' : `id: ${id}\n`}data: ${JSON.stringify(data)}\n\n`);
    }
    /**
     * Ends the stream: with `retryMs`, an `event: shutdown` first tells the client when to reconnect
     * (an `EventSource` does so on its own, elsewhere when a load balancer routes it there).
     */
    end(retryMs) {
        if (this.ended)
            return;
        if (retryMs !== undefined) {
            this.write(`retry: ${retryMs}\nevent: shutdown\ndata: ${JSON.stringify({ retryMs })}\n\n`);
        }
        if (this.ended)
            return;
        try {
            this.controller.close();
        }
        catch {
            // already closed by the reader's cancel
        }
        this.finish('closed');
    }
    write(text) {
        if (this.ended)
            return;
        this.controller.enqueue(encoder.encode(text));
        // Erroring the stream makes the adapter destroy the socket: the queue is dropped with it.
        if ((this.controller.desiredSize ?? 0) < 0)
            this.drop();
    }
    finish(why) {
        if (this.ended)
            return;
        this.ended = true;
        this.roomWaiter = undefined;
        clearInterval(this.heartbeat);
        this.options.onEnd(why);
    }
}
//# sourceMappingURL=sseStream.js.map