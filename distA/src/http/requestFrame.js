import { requestObserver } from '../observability/httpObserver.js';
import { startRequestSpan } from '../observability/httpTracing.js';
import { assignRequestId, setPendingRequestId } from './requestId.js';
export const requestFrame = ({ log, metrics, isShuttingDown }) => {
    const observed = requestObserver({ log, ...(metrics === undefined ? {} : { metrics }) });
    return async function requestFrame(c, next) {
        const pendingId = assignRequestId(c);
        const started = performance.now();
        const span = startRequestSpan(c);
        // Hono turns a thrown error into a response inside next(); whatever escapes it is a 500.
        let status = 500;
        try {
            await span.run(next);
            status = c.res.status;
            // So that keep-alive callers reconnect to another instance (the gate refuses new work: src/app.ts).
            if (isShuttingDown() && c.req.path !== '/livez')
                c.res.headers.set('connection', 'close');
        }
        finally {
            span.end(c, status);
            observed(c, status, performance.now() - started);
        }
        if (pendingId !== undefined)
            setPendingRequestId(c, pendingId);
    };
};
//# sourceMappingURL=requestFrame.js.map