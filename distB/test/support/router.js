/**
 * A loopback stand-in for a platform's router (Heroku's, a Kubernetes Service) in front of several
 * instances: each request goes to the first backend that accepts the connection, so once an
 * instance has exited the next request reaches the one that is still up. A request that no backend
 * accepts has its connection destroyed, as a router with no healthy dyno would fail it.
 */
import http from 'node:http';
export async function startRouter(backends = []) {
    const forwarded = [];
    const router = { backends, forwarded };
    const server = http.createServer(async (incoming, outgoing) => {
        const chunks = [];
        for await (const chunk of incoming)
            chunks.push(chunk);
        const body = Buffer.concat(chunks);
        for (const backend of [...router.backends]) {
            const answered = await new Promise((resolve) => {
                const request = http.request(new URL(incoming.url ?? '/', backend), { method: incoming.method, headers: incoming.headers }, (response) => {
                    forwarded.push(backend);
                    outgoing.writeHead(response.statusCode ?? 502, response.headers);
                    response.pipe(outgoing);
                    response.once('end', () => resolve(true));
                    response.once('error', () => resolve(true));
                });
                request.once('error', () => resolve(outgoing.headersSent));
                outgoing.once('close', () => request.destroy());
                request.end(body);
            });
            if (answered)
                return;
        }
        outgoing.destroy();
    });
    server.keepAliveTimeout = 1;
    await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address();
    return Object.assign(router, {
        url: `http://127.0.0.1:${port}`,
        close: () => new Promise((resolve) => {
            server.closeAllConnections();
            server.close(() => resolve());
        }),
    });
}
//# sourceMappingURL=router.js.map