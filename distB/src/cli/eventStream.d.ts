/**
 * Reads a Server-Sent Events body (WHATWG HTML §9.2.6) as an async sequence of events: the fields
 * `event`, `id`, `data` (lines joined) and `retry`; comment lines (heartbeats) are skipped. What the
 * CLI needs to follow a job's stream, without a browser's EventSource.
 */
export interface StreamEvent {
    event: string;
    /** The last event id seen so far on this stream (ids persist across events, as in EventSource). */
    id: string | undefined;
    data: string;
    /** A reconnect delay the server asked for, if any so far. */
    retryMs: number | undefined;
}
export declare function readEvents(body: ReadableStream<Uint8Array>): AsyncGenerator<StreamEvent>;
