/**
 * Which job runs enter an OpenTelemetry context (src/observability/tracing.ts, `startJobRunSpan`): none
 * when no SDK is installed and the enqueue carried no trace (the runner's usual case, which then costs
 * no context), but one when the enqueue carried a trace, and one when an SDK sampled the run's span out,
 * so that the job's own spans still learn it was not sampled rather than starting traces of their own.
 * The SDK is installed halfway through, as a host program may install it after this module loaded.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { trace } from '@opentelemetry/api';
import { AlwaysOffSampler, BasicTracerProvider } from '@opentelemetry/sdk-trace-base';
import { startJobRunSpan } from '../../src/observability/tracing.js';
const job = { id: '1', type: 'echo', queue: 'default', attempts: 1, interruptions: 0, retries: 0 };
const TRACEPARENT = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';
describe('the job run context', () => {
    it('is entered only where a trace is known: an enqueue trace, or an SDK that decided', () => {
        assert.equal(startJobRunSpan({ ...job, traceparent: null }).context, undefined, 'no SDK, no trace: none');
        const joined = startJobRunSpan({ ...job, traceparent: TRACEPARENT }).context;
        assert.ok(joined, 'no SDK, an enqueue trace: the trace goes on to the job');
        assert.equal(trace.getSpanContext(joined)?.traceId, '0af7651916cd43dd8448eb211c80319c');
        trace.setGlobalTracerProvider(new BasicTracerProvider({ sampler: new AlwaysOffSampler() }));
        const { span, context } = startJobRunSpan({ ...job, traceparent: null });
        assert.equal(span.isRecording(), false, 'sampled out');
        assert.ok(context, 'a sampled-out run still has its context');
        assert.equal(trace.getSpanContext(context)?.traceFlags, 0, 'which says: not sampled');
    });
});
//# sourceMappingURL=jobRunContext.test.js.map