/**
 * Runs one of the compiled commands (`dist/src/main.js`, the release command, the CLI) with a clean
 * environment and collects what it wrote, for the start-up failure tests. Unlike `spawnServer`,
 * nothing is expected to listen: these processes are meant to stop, and the tests time them.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { PROJECT_ROOT } from '../support/process.js';
/** Starts `node <script> ...args` in the project with only `env` (plus PATH and HOME). */
export function runCompiled(script, args, env) {
    if (!fs.existsSync(path.join(PROJECT_ROOT, script))) {
        throw new Error(`${script} is missing: run \`npm run build\` first`);
    }
    const started = performance.now();
    const child = spawn(process.execPath, [script, ...args], {
        cwd: PROJECT_ROOT,
        env: {
            PATH: process.env.PATH ?? '/usr/bin:/bin',
            HOME: process.env.HOME ?? PROJECT_ROOT,
            LOG_LEVEL: 'info',
            ...env,
        },
        stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk) => (stderr += chunk));
    const finished = new Promise((resolve) => {
        child.once('close', (code, signal) => resolve({ code, signal, stdout, stderr, elapsedMs: Math.round(performance.now() - started) }));
    });
    return { child, finished };
}
/**
 * A loopback TCP listener that accepts every connection and never answers: a database host whose
 * packets vanish, as far as a client can tell, without aiming at any other address. `connected`
 * resolves at the first accepted connection; `closed` when a client has closed all it opened.
 */
export async function silentListener() {
    const sockets = new Set();
    const waiters = new Set();
    let firstConnection;
    const connected = new Promise((resolve) => (firstConnection = resolve));
    const server = net.createServer((socket) => {
        sockets.add(socket);
        socket.on('data', () => { });
        socket.on('error', () => { });
        socket.on('close', () => {
            sockets.delete(socket);
            if (sockets.size === 0)
                for (const waiter of [...waiters])
                    waiter();
        });
        firstConnection();
    });
    await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
    return {
        port: server.address().port,
        connected,
        openSockets: () => sockets.size,
        allClosed: () => sockets.size === 0
            ? Promise.resolve()
            : new Promise((resolve) => {
                const done = () => {
                    waiters.delete(done);
                    resolve();
                };
                waiters.add(done);
            }),
        close: async () => {
            for (const socket of sockets)
                socket.destroy();
            await new Promise((resolve) => server.close(() => resolve()));
        },
    };
}
/** The non-empty lines of `text`. */
export function linesOf(text) {
    return text.split('\n').filter((line) => line.trim() !== '');
}
//# sourceMappingURL=run.js.map