/**
 * W3C Trace Context `traceparent` (https://www.w3.org/TR/trace-context/#traceparent-header), read
 * and written here rather than through OpenTelemetry's global propagator: with no SDK installed the
 * propagator is a no-op, and the enqueue's trace must still be stored with the job for whichever
 * instance (perhaps one with an SDK) runs it.
 */
import { type SpanContext } from '@opentelemetry/api';
/** The span context of a header, or undefined for a missing or malformed one (which is ignored, §3.2.2). */
export declare function parseTraceparent(header: string | null | undefined): SpanContext | undefined;
export declare function formatTraceparent(context: SpanContext): string | undefined;
