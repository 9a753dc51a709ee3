/**
 * OpenTelemetry spans through `@opentelemetry/api` alone: with no SDK registered in the process they
 * are no-ops that cost next to nothing; with one (the host program's NodeSDK, a test's in-memory
 * exporter) they are recorded. Two kinds come from here:
 *
 * - `job.run`, one per run of a job, with the job's type, queue, attempt and id. The first run of a
 *   job is a child of the trace its enqueue carried (`traceparent`, stored with the job); a retry, a
 *   resume after an interruption or a retry by hand starts a trace of its own that links to it, as the
 *   OpenTelemetry messaging conventions do for work that is not part of the request that caused it.
 * - HTTP server spans (src/observability/httpTracing.ts).
 */
import { context, isSpanContextValid, ROOT_CONTEXT, SpanKind, SpanStatusCode, trace, } from '@opentelemetry/api';
import { parseTraceparent } from './traceparent.js';
export const TRACER_NAME = 'job-runner';
/**
 * One tracer for the process: the API's proxy tracer finds a provider registered after this module
 * loaded (the host program's SDK) at its next span, and asking the API for a tracer per span would
 * allocate one per job run and per request.
 */
const TRACER = trace.getTracer(TRACER_NAME);
export function tracer() {
    return TRACER;
}
/**
 * Starts the `job.run` span of one run, and the context its code runs in: `undefined` when there is
 * none worth entering (no SDK is installed and the enqueue carried no trace), so that a run
 * costs no context (a copy of its map of values) and no `context.with` when nobody traces, the
 * runner's usual case at tens of thousands of runs a second.
 */
export function startJobRunSpan(job) {
    const enqueued = parseTraceparent(job.traceparent);
    const firstRun = job.attempts <= 1 && job.interruptions === 0 && job.retries === 0;
    const parent = enqueued && firstRun ? trace.setSpanContext(ROOT_CONTEXT, enqueued) : ROOT_CONTEXT;
    const links = enqueued && !firstRun ? [{ context: enqueued }] : [];
    const span = tracer().startSpan('job.run', {
        kind: SpanKind.CONSUMER,
        attributes: {
            'job.id': job.id,
            'job.type': job.type,
            'job.queue': job.queue,
            'job.attempt': job.attempts,
            'job.interruptions': job.interruptions,
        },
        links,
        root: parent === ROOT_CONTEXT,
    }, parent);
    if (untraced(span))
        return { span, context: undefined };
    return { span, context: trace.setSpan(parent, span) };
}
/**
 * A span with no context worth entering: no SDK records it and it has no parent, which gives it the
 * invalid span context. A span an SDK sampled out has a valid one, and its context still tells the
 * spans started under it that they are not sampled. (A job run's span here, a request's in
 * httpTracing.ts.)
 */
export function untraced(span) {
    return !span.isRecording() && !isSpanContextValid(span.spanContext());
}
/** Ends a run's span with how it ended: `job.outcome`, and an error status for a failure. */
export function endJobRunSpan(span, outcome) {
    if (outcome.kind === 'rejected') {
        if (outcome.abortReason)
            span.setAttribute('job.abort_reason', outcome.abortReason);
        // A shutdown or a cancel is the run stopping as asked, not a failure of the job.
        if (outcome.abortReason !== 'shutdown' && outcome.abortReason !== 'cancelled') {
            span.recordException(outcome.error);
            span.setStatus({ code: SpanStatusCode.ERROR, message: outcome.error.message });
        }
    }
    span.end();
}
/** Runs `work` with `ctx` active, so spans the job's own code starts are children of `job.run`. */
export function withContext(ctx, work) {
    return ctx === undefined ? work() : context.with(ctx, work);
}
//# sourceMappingURL=tracing.js.map