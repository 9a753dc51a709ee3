/**
 * W3C Trace Context `traceparent` (https://www.w3.org/TR/trace-context/#traceparent-header), read
 * and written here rather than through OpenTelemetry's global propagator: with no SDK installed the
 * propagator is a no-op, and the enqueue's trace must still be stored with the job for whichever
 * instance (perhaps one with an SDK) runs it.
 */
import { isSpanContextValid } from '@opentelemetry/api';
// version 00; a higher version may append fields, which are ignored (§3.2.4).
const TRACEPARENT = /^([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})(-.*)?$/;
/** The span context of a header, or undefined for a missing or malformed one (which is ignored, §3.2.2). */
export function parseTraceparent(header) {
    const match = header ? TRACEPARENT.exec(header.trim().toLowerCase()) : null;
    if (!match)
        return undefined;
    const [, version, traceId, spanId, flags, rest] = match;
    if (version === 'ff' || (version === '00' && rest !== undefined))
        return undefined;
    const context = { traceId: traceId, spanId: spanId, traceFlags: parseInt(flags, 16), isRemote: true };
    return isSpanContextValid(context) ? context : undefined;
}
export function formatTraceparent(context) {
    if (!isSpanContextValid(context))
        return undefined;
    return `00-${context.traceId}-${context.spanId}-${(context.traceFlags & 0xff).toString(16).padStart(2, '0')}`;
}
//# sourceMappingURL=traceparent.js.map