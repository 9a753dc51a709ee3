/**
 * The request body size limit (413), checked from Content-Length when the request has one and
 * while the body streams in when it does not (chunked). Hono's own `bodyLimit` touches
 * `c.req.raw.body` first, which makes @hono/node-server build a full WHATWG Request (an undici
 * Request, a ReadableStream over the socket and an AbortSignal) for every request: a fifth of the
 * CPU of `POST /v1/jobs` under load. With a Content-Length and no Transfer-Encoding, node's HTTP
 * parser hands the app exactly that many bytes, so checking the header is the whole limit, and the
 * body is later read straight from the socket.
 */
import type { Context, MiddlewareHandler } from 'hono';
export interface BodyLimitOptions {
    maxSize: number;
    /** Answers a body over the limit (it may throw, as the app's handler does). */
    onError: (c: Context) => Response | Promise<Response>;
}
export declare const bodyLimit: ({ maxSize, onError }: BodyLimitOptions) => MiddlewareHandler;
