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
 * A comment line every `heartbeatMs` (default 15 s, `DEFAULT_HEARTBEAT_MS`) keeps proxies from
 * closing an idle stream; a client that never reads fills the queue with them too, so even an idle
 * stream whose client stopped reading is dropped in the end.
 */
export interface SseEvent {
    event: string;
    data: unknown;
    id?: string;
}
export interface SseStreamOptions {
    /** Between two comment lines (default `DEFAULT_HEARTBEAT_MS`). */
    heartbeatMs?: number;
    /** Bytes the client may leave unread before it is dropped (default `DEFAULT_MAX_BUFFERED_BYTES`). */
    maxBufferedBytes?: number;
    /** Called once when the stream ends, whatever ended it. */
    onEnd: (why: 'closed' | 'client-gone' | 'too-slow') => void;
}
/** 15 s: under the idle timeouts of common proxies and load balancers (nginx and AWS ALB: 60 s). */
export declare const DEFAULT_HEARTBEAT_MS = 15000;
export declare const DEFAULT_MAX_BUFFERED_BYTES: number;
export declare class SseStream {
    private readonly options;
    readonly response: Response;
    private controller;
    private ended;
    private readonly heartbeat;
    private readonly maxBufferedBytes;
    /** Called once when the client has read enough to leave room again (`whenRoom`). */
    private roomWaiter;
    constructor(options: SseStreamOptions);
    get isOpen(): boolean;
    /** Bytes queued here that the client has not taken yet; past `maxBufferedBytes` it is dropped. */
    get bufferedBytes(): number;
    /**
     * Whether less than half the bound waits for the client: a sender of many events at once (a
     * job's log) stops there and goes on later, rather than get a fast client dropped by its burst.
     */
    get hasRoom(): boolean;
    /**
     * Calls `callback` once, soon after the client has read enough that `hasRoom` is true again (at
     * once if it is); a later call replaces an earlier one that has not run.
     */
    whenRoom(callback: () => void): void;
    /** Drops a client that fell too far behind, as a write past `maxBufferedBytes` does. */
    drop(): void;
    private roomMade;
    send({ event, data, id }: SseEvent): void;
    /**
     * Ends the stream: with `retryMs`, an `event: shutdown` first tells the client when to reconnect
     * (an `EventSource` does so on its own, elsewhere when a load balancer routes it there).
     */
    end(retryMs?: number): void;
    private write;
    private finish;
}
