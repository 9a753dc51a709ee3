/**
 * A real PgBouncer (Debian's `pgbouncer` package) in transaction pooling mode, on a free loopback
 * port, in front of the test PostgreSQL: as Heroku and most managed PostgreSQL run it. test/run.mjs
 * starts one for a run when TEST_PGBOUNCER=1 (the PostgreSQL pass then reaches the service through
 * it: test/support/databases.ts), and test/db/pgbouncer.test.ts starts its own, smaller one.
 *
 * Every database reaches the server's database of the same name (`* =`), so the per-test databases
 * need no entry; each gets its own pool of `poolSize` server connections, small enough that a
 * client's consecutive transactions land on different ones and session state left behind shows.
 * No startup parameter is ignored (`ignore_startup_parameters` empty): a client that sends one
 * PgBouncer does not track, such as a `search_path`, is refused, as a managed pooler refuses it.
 *
 * PgBouncer refuses to run as root: as root it is started with `-u nobody`, which reads the
 * configuration from a folder anyone may read (it holds no secret: trust authentication, and the
 * upstream password only if the test URL has one). Logs go to stderr, kept for the error message.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import postgres from 'postgres';
const SEARCHED = ['/usr/sbin', '/usr/local/sbin', '/usr/bin', '/usr/local/bin'];
/** The pgbouncer executable, or undefined when it is not installed (Debian puts it in /usr/sbin). */
export function findPgBouncer() {
    const dirs = [...(process.env.PATH ?? '').split(path.delimiter).filter(Boolean), ...SEARCHED];
    return dirs.map((dir) => path.join(dir, 'pgbouncer')).find((file) => isExecutable(file));
}
/** The `skip` reason of a suite that needs PgBouncer and PostgreSQL, or false when both are here. */
export function skipWithoutPgBouncer() {
    if (!process.env.TEST_DATABASE_URL)
        return 'PostgreSQL and PgBouncer only: set TEST_DATABASE_URL to run it';
    if (findPgBouncer() === undefined)
        return 'the pgbouncer executable is not installed (apt-get install pgbouncer)';
    return false;
}
export async function startPgBouncer({ upstreamUrl, poolSize, keepPoolsSeconds = 60, }) {
    const executable = findPgBouncer();
    if (executable === undefined)
        throw new Error('pgbouncer is not installed');
    const upstream = new URL(upstreamUrl);
    const user = decodeURIComponent(upstream.username) || os.userInfo().username;
    const port = await freePort();
    const dir = await fsp.mkdtemp(path.join(os.tmpdir(), 'job-runner-pgbouncer-'));
    // Read by `nobody` when we are root (see the opening comment).
    await fsp.chmod(dir, 0o755);
    const authFile = path.join(dir, 'userlist.txt');
    await fsp.writeFile(authFile, `${quote(user)} ${quote(decodeURIComponent(upstream.password))}\n`, { mode: 0o644 });
    const configFile = path.join(dir, 'pgbouncer.ini');
    const config = [
        '[databases]',
        // As the README advises: the service cannot send `jit = off` through a transaction pooler, the
        // pooler's server connections set it (otherwise start-up warns, src/db/pooling.ts).
        `* = host=${upstream.hostname.replace(/^\[|\]$/g, '')} port=${upstream.port || 5432} connect_query='SET jit = off'`,
        '[pgbouncer]',
        'listen_addr = 127.0.0.1',
        `listen_port = ${port}`,
        'unix_socket_dir =',
        'auth_type = trust',
        `auth_file = ${authFile}`,
        `admin_users = ${user}`,
        'pool_mode = transaction',
        'max_client_conn = 2000',
        `default_pool_size = ${poolSize}`,
        'min_pool_size = 0',
        'reserve_pool_size = 0',
        'ignore_startup_parameters =',
        // The per-test databases come and go: their pools and server connections should not linger.
        'server_idle_timeout = 30',
        `autodb_idle_timeout = ${keepPoolsSeconds}`,
        'log_connections = 0',
        'log_disconnections = 0',
        '',
    ].join('\n');
    await fsp.writeFile(configFile, config, { mode: 0o644 });
    const asRoot = process.getuid?.() === 0;
    const child = spawn(executable, [...(asRoot ? ['-u', 'nobody'] : []), configFile], {
        stdio: ['ignore', 'ignore', 'pipe'],
    });
    const stopOnExit = () => child.kill('SIGKILL');
    process.once('exit', stopOnExit);
    let logs = '';
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk) => {
        logs = (logs + chunk).slice(-20_000);
    });
    const exited = new Promise((resolve) => child.once('exit', () => resolve()));
    try {
        await untilListening(child, port, () => logs);
    }
    catch (error) {
        child.kill('SIGKILL');
        await exited;
        await fsp.rm(dir, { recursive: true, force: true });
        throw error;
    }
    /** The admin console speaks the simple protocol only: `unsafe` without parameters uses it. */
    const admin = async (command) => {
        const adminConsole = postgres({
            host: '127.0.0.1',
            port,
            database: 'pgbouncer',
            username: user,
            max: 1,
            fetch_types: false,
            onnotice: () => { },
        });
        try {
            return [...(await adminConsole.unsafe(command))];
        }
        finally {
            await adminConsole.end({ timeout: 1 });
        }
    };
    let stopping;
    return {
        port,
        urlFor(directUrl) {
            const url = new URL(directUrl);
            url.hostname = '127.0.0.1';
            url.port = String(port);
            return url.toString();
        },
        admin,
        async transactions() {
            const stats = await admin('SHOW STATS');
            const pooled = stats.filter((row) => row.database !== 'pgbouncer');
            return {
                transactions: pooled.reduce((sum, row) => sum + Number(row.total_xact_count), 0),
                databases: pooled.length,
            };
        },
        stop: () => (stopping ??= (async () => {
            process.off('exit', stopOnExit);
            child.kill('SIGTERM');
            await exited;
            await fsp.rm(dir, { recursive: true, force: true });
        })()),
    };
}
function quote(value) {
    return `"${value.replace(/"/g, '""')}"`;
}
function isExecutable(file) {
    try {
        fs.accessSync(file, fs.constants.X_OK);
        return fs.statSync(file).isFile();
    }
    catch {
        return false;
    }
}
/** A port the kernel just gave out and took back: free unless someone takes it in between. */
function freePort() {
    return new Promise((resolve, reject) => {
        const server = net.createServer();
        server.once('error', reject);
        server.listen(0, '127.0.0.1', () => {
            const { port } = server.address();
            server.close(() => resolve(port));
        });
    });
}
/** Resolves once PgBouncer says it listens; rejects with its log when it exits or takes too long. */
function untilListening(child, port, logs) {
    return new Promise((resolve, reject) => {
        const timer = setTimeout(() => fail(new Error(`pgbouncer did not listen on ${port} within 10 s:\n${logs()}`)), 10_000);
        const onData = () => {
            if (logs().includes(`listening on 127.0.0.1:${port}`))
                done();
        };
        const onExit = (code) => fail(new Error(`pgbouncer exited (${code}) before listening:\n${logs()}`));
        const done = () => {
            cleanup();
            resolve();
        };
        const fail = (error) => {
            cleanup();
            reject(error);
        };
        const cleanup = () => {
            clearTimeout(timer);
            child.stderr.off('data', onData);
            child.off('exit', onExit);
        };
        child.stderr.on('data', onData);
        child.once('exit', onExit);
        onData();
    });
}
//# sourceMappingURL=pgbouncer.js.map