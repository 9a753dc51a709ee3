/**
 * A TCP proxy (node:net) between the service and PostgreSQL, so a suite can make the database
 * "go away" for one service without touching the real server, which other suites share: `cut()`
 * destroys every open connection, `refuse()` resets new ones at once, `blackhole()` accepts them
 * and never answers (a firewall drop), `freeze()` does that to the open ones too (they stay open and
 * nothing passes: a database that stopped answering mid-query), `restore()` lets them through again.
 */
import net from 'node:net';
export async function startTcpProxy(upstream) {
    let mode = 'open';
    let accepted = 0;
    const sockets = new Set();
    const pairs = new Set();
    const track = (socket) => {
        sockets.add(socket);
        socket.once('close', () => sockets.delete(socket));
        socket.on('error', () => { });
    };
    const server = net.createServer((client) => {
        accepted += 1;
        track(client);
        if (mode === 'refuse') {
            client.resetAndDestroy();
            return;
        }
        if (mode === 'blackhole') {
            client.pause();
            return;
        }
        const server = net.connect(upstream);
        track(server);
        const pair = [client, server];
        pairs.add(pair);
        client.pipe(server);
        server.pipe(client);
        client.once('close', () => (pairs.delete(pair), server.destroy()));
        server.once('close', () => (pairs.delete(pair), client.destroy()));
    });
    await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = server.address().port;
    const cut = () => {
        for (const socket of [...sockets])
            socket.resetAndDestroy();
    };
    return {
        port,
        get mode() {
            return mode;
        },
        get accepted() {
            return accepted;
        },
        urlFor(databaseUrl) {
            const url = new URL(databaseUrl);
            url.hostname = '127.0.0.1';
            url.port = String(port);
            return url.toString();
        },
        cut,
        refuse() {
            mode = 'refuse';
        },
        blackhole() {
            mode = 'blackhole';
        },
        freeze() {
            mode = 'blackhole';
            for (const [client, server] of pairs) {
                client.unpipe(server);
                server.unpipe(client);
                client.pause();
                server.pause();
            }
        },
        restore() {
            mode = 'open';
            // Connections held in the black hole never got an upstream: drop them so their clients retry.
            for (const socket of [...sockets])
                if (socket.isPaused())
                    socket.resetAndDestroy();
        },
        async close() {
            cut();
            await new Promise((resolve) => server.close(() => resolve()));
        },
    };
}
//# sourceMappingURL=tcpProxy.js.map