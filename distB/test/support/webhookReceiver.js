/**
 * A webhook receiver for the tests, listening on 127.0.0.1 only: it records every request (headers
 * and body) and answers with the status the test's `answer` function picks (200 by default), or
 * holds the request unanswered when it picks `hold`.
 */
import http from 'node:http';
export async function startWebhookReceiver(answer = () => 200) {
    const received = [];
    const waiters = new Set();
    const server = http.createServer((request, response) => {
        const chunks = [];
        request.on('data', (chunk) => chunks.push(chunk));
        request.on('end', () => {
            const headers = Object.fromEntries(Object.entries(request.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(', ') : (v ?? '')]));
            const entry = { path: request.url ?? '/', headers, body: Buffer.concat(chunks).toString('utf8') };
            received.push(entry);
            for (const wake of waiters)
                wake();
            const status = answer(entry, received.length - 1);
            if (status === 'hold')
                return;
            response.writeHead(status, { 'content-type': 'text/plain' }).end(`answered ${status}`);
        });
    });
    await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address();
    return {
        url: `http://127.0.0.1:${port}`,
        received,
        waitForCount: (count, timeoutMs = 20_000) => new Promise((resolve, reject) => {
            const check = () => {
                if (received.length < count)
                    return;
                waiters.delete(check);
                clearTimeout(timer);
                resolve();
            };
            const timer = setTimeout(() => {
                waiters.delete(check);
                reject(new Error(`${count} webhooks did not arrive in ${timeoutMs} ms (got ${received.length})`));
            }, timeoutMs);
            waiters.add(check);
            check();
        }),
        close: () => new Promise((resolve) => {
            server.closeAllConnections();
            server.close(() => resolve());
        }),
    };
}
//# sourceMappingURL=webhookReceiver.js.map