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
import { type Context, type Span, type Tracer } from '@opentelemetry/api';
import type { ClaimedJob } from '../queue/store.js';
export declare const TRACER_NAME = "job-runner";
export declare function tracer(): Tracer;
type TracedJob = Pick<ClaimedJob, 'id' | 'type' | 'queue' | 'attempts' | 'interruptions' | 'retries'> & {
    readonly traceparent?: string | null;
};
/**
 * Starts the `job.run` span of one run, and the context its code runs in: `undefined` when there is
 * none worth entering (no SDK is installed and the enqueue carried no trace), so that a run
 * costs no context (a copy of its map of values) and no `context.with` when nobody traces, the
 * runner's usual case at tens of thousands of runs a second.
 */
export declare function startJobRunSpan(job: TracedJob): {
    span: Span;
    context: Context | undefined;
};
/**
 * A span with no context worth entering: no SDK records it and it has no parent, which gives it the
 * invalid span context. A span an SDK sampled out has a valid one, and its context still tells the
 * spans started under it that they are not sampled. (A job run's span here, a request's in
 * httpTracing.ts.)
 */
export declare function untraced(span: Span): boolean;
/** Ends a run's span with how it ended: `job.outcome`, and an error status for a failure. */
export declare function endJobRunSpan(span: Span, outcome: {
    kind: 'resolved';
} | {
    kind: 'rejected';
    error: Error;
    abortReason: string | undefined;
}): void;
/** Runs `work` with `ctx` active, so spans the job's own code starts are children of `job.run`. */
export declare function withContext<T>(ctx: Context | undefined, work: () => T): T;
export {};
