/**
 * Honours a sane incoming `X-Request-Id` (or makes one), echoes it back, and puts it on the context.
 *
 * On @hono/node-server the header is set on node's own response before the handler runs: node
 * merges it into the head it writes, whatever Response the app returns (errors included). Setting it
 * on `c.res.headers` instead would turn every response's headers into a WHATWG `Headers` object that
 * the adapter then converts back for node: ~4 µs a request under load (bench/RESULTS.md, P3).
 */
import { randomUUID } from 'node:crypto';
const ACCEPTABLE = /^[A-Za-z0-9._:-]{1,128}$/;
const HEADER = 'x-request-id';
/**
 * Gives the request its id (called by the app's request frame, src/http/requestFrame.ts).
 * Returns the id when it must still be set on the Response once there is one: served without node's
 * response (app.request() or another runtime).
 */
export function assignRequestId(c) {
    const incoming = c.req.header(HEADER);
    const id = incoming !== undefined && ACCEPTABLE.test(incoming) ? incoming : randomUUID();
    c.set('requestId', id);
    const outgoing = c.env?.outgoing;
    if (!outgoing)
        return id;
    outgoing.setHeader(HEADER, id);
    return undefined;
}
/** Sets the id `assignRequestId` left pending on the finished Response. */
export function setPendingRequestId(c, pending) {
    c.res.headers.set(HEADER, pending);
}
//# sourceMappingURL=requestId.js.map