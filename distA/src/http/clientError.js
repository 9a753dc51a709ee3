/**
 * Answers requests that node's HTTP parser refuses before the app sees them (headers over the size
 * limit, a malformed request line or header, a header timeout) as problem+json too, instead of
 * node's default bare `400`/`431` with no body, so every error the service gives is RFC 9457.
 */
import { STATUS_CODES } from 'node:http';
import { PROBLEM_KINDS, PROBLEM_TYPE_PREFIX } from './problem.js';
const KINDS = {
    HPE_HEADER_OVERFLOW: {
        kind: 'header-fields-too-large',
        detail: 'the request headers are larger than the server accepts',
    },
    ERR_HTTP_REQUEST_TIMEOUT: { kind: 'request-timeout', detail: 'the request headers did not arrive in time' },
};
export function answerClientError(error, socket) {
    const pending = socket._httpMessage;
    // As node's default: nothing to say on a reset, or once an answer is already under way.
    if (error.code === 'ECONNRESET' || !socket.writable || pending?.headersSent) {
        socket.destroy();
        return;
    }
    const { kind, detail } = KINDS[error.code ?? ''] ?? {
        kind: 'bad-request',
        detail: 'the request is not valid HTTP/1.1',
    };
    const { status, title } = PROBLEM_KINDS[kind];
    const body = JSON.stringify({ type: PROBLEM_TYPE_PREFIX + kind, title, status, detail });
    socket.end(`HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\ncontent-type: application/problem+json\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`);
}
//# sourceMappingURL=clientError.js.map