/**
 * Opens the database the configuration names: a PostgreSQL server when `DATABASE_URL` is set,
 * otherwise the embedded PGlite in `DATA_DIR`. Both are reached through postgres.js, so the store
 * speaks one SQL dialect to either. With `DATABASE_DIRECT_URL` a second, small pool reaches the
 * same server without the pooler, for what needs a session of its own (src/db/pooling.ts).
 *
 * `connectDatabase` is lazy for a server (postgres.js connects on the first query); `openDatabase`,
 * for start-up and the migrate commands, also waits for a first answer within a deadline, so a
 * host that never answers ends in a sentence naming `DATABASE_URL` instead of a silent hang.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import postgres, {} from 'postgres';
import { DEFAULT_DATABASE_SCHEMA } from '../config.js';
import { abortable, StartupError } from '../startupError.js';
import { databaseProblem } from './connectionProblem.js';
import { openEmbeddedDatabase } from './embedded.js';
import { poolingOptions } from './pooling.js';
export async function connectDatabase({ databaseUrl, dataDir, maxConnections = 10, databaseSchema = DEFAULT_DATABASE_SCHEMA, databaseDirectUrl, databasePooling = 'none', connectionLifetimeSeconds = CONNECTION_LIFETIME_SECONDS, }) {
    if (databaseUrl === undefined)
        return openEmbeddedDatabase(dataDir, databaseSchema);
    // src/config.ts refuses this configuration; a caller building options by hand is told too.
    if (databasePooling === 'transaction' && databaseDirectUrl === undefined) {
        throw new Error('transaction pooling needs databaseDirectUrl: LISTEN and migrations need a session of their own');
    }
    const sql = postgres(databaseUrl, {
        ...serverOptions(maxConnections, poolingOptions(databasePooling, databaseSchema)),
        max_lifetime: connectionLifetimeSeconds,
    });
    // One connection is enough: migrations run in one transaction, and postgres.js opens LISTEN's
    // connection beside the pool. Opened when used (start-up's check, the migrations) and closed when
    // idle: a direct connection is the server's, and the pooler is there because they are scarce.
    const session = databaseDirectUrl === undefined
        ? sql
        : postgres(databaseDirectUrl, {
            ...serverOptions(1, poolingOptions('none', databaseSchema)),
            idle_timeout: SESSION_IDLE_SECONDS,
        });
    // LISTEN through a transaction pooler would listen on a borrowed server connection: whoever
    // calls `sql.listen` gets the direct one's instead, whichever code it is.
    if (session !== sql)
        sql.listen = session.listen.bind(session);
    let closing;
    return {
        sql,
        session,
        schema: databaseSchema,
        capabilities: { supportsListen: true, sharedAcrossProcesses: true },
        description: describeServer(databaseUrl, databaseDirectUrl, databasePooling),
        close: ({ timeoutSeconds = 5 } = {}) => (closing ??= Promise.all([
            sql.end({ timeout: timeoutSeconds }),
            session === sql ? undefined : session.end({ timeout: timeoutSeconds }),
        ]).then(() => { })),
    };
}
/**
 * How long a connection of the main pool lives; postgres.js then closes it once its query is
 * answered, never inside a transaction, and opens one again only when no open one is free. Not an
 * `idle_timeout`: the pool hands its open connections out in turn, so on an idle instance's few
 * statements a second each of them is used every second or two and none ever idles that long; every
 * connection a burst (the start-up, a drain) opened stayed open for good, six for an idle instance,
 * about 780 for 100 (bench/RESULTS.md, idle cost). With a lifetime an idle instance is down to the one
 * connection its polls need within about a lifetime; a busy one reconnects each connection once a
 * lifetime (a few milliseconds, and its prepared statements planned again). LISTEN's connection is
 * postgres.js's own and has none.
 */
const CONNECTION_LIFETIME_SECONDS = 60;
/** How long the direct pool keeps its connection unused (LISTEN's own connection stays open). */
const SESSION_IDLE_SECONDS = 10;
/** A pool's options on a server; `pooling` says what a pooler in front of it allows. */
function serverOptions(max, pooling) {
    return {
        max,
        ...pooling,
        onnotice: () => { },
        // Fetching array types on connect leaks an unhandled rejection when the connection dies
        // meanwhile (porsager/postgres#1192); the store passes lists as JSON instead.
        fetch_types: false,
        // While the database is unreachable a request waits for a connection attempt: keep that wait
        // short (it is answered 503), and keep postgres.js's reconnect backoff (3^n/100 s, up to 20 s,
        // shared by the pool) from queueing queries for many seconds after a few failures.
        connect_timeout: 3,
        backoff: (retries) => Math.min(0.05 * 2 ** retries, 1),
        transform: { undefined: null },
    };
}
/**
 * Opens the database and makes sure it answers: `StartupError` naming `DATABASE_URL`,
 * `DATABASE_DIRECT_URL` (or `DATA_DIR`) when it cannot be used, `StartAbortedError` when `signal`
 * aborts first. With a direct URL beside it, both must reach one database of one server.
 */
export async function openDatabase({ connectTimeoutMs = 5000, signal, ...options }) {
    if (options.databaseUrl === undefined) {
        await ensureWritableDataDir(options.dataDir);
        return abortable(connectDatabase(options), signal, (late) => late.close());
    }
    const { databaseUrl, databaseDirectUrl } = options;
    const db = await connectDatabase(options);
    const started = Date.now();
    let timer;
    const deadline = new Promise((_, reject) => {
        timer = setTimeout(() => reject(Object.assign(new Error('timeout'), { code: 'TIMEOUT' })), connectTimeoutMs);
    });
    const reach = async (sql, url, variable) => {
        try {
            const [identity] = await Promise.race([
                sql `select current_database() as name, pg_postmaster_start_time()::text as started`.execute(),
                deadline,
            ]);
            return identity;
        }
        catch (error) {
            throw databaseProblem(error, url, Date.now() - started, variable);
        }
    };
    try {
        const [pooled, direct] = await abortable(Promise.all([
            reach(db.sql, databaseUrl, 'DATABASE_URL'),
            db.session === db.sql || databaseDirectUrl === undefined
                ? undefined
                : reach(db.session, databaseDirectUrl, 'DATABASE_DIRECT_URL'),
        ]), signal);
        if (direct && (direct.name !== pooled.name || direct.started !== pooled.started)) {
            throw new StartupError('DATABASE_DIRECT_URL', `DATABASE_DIRECT_URL reaches another database than DATABASE_URL (database "${direct.name}" of a server ` +
                `started at ${direct.started}, against "${pooled.name}" of one started at ${pooled.started}): it must be ` +
                'the same database, reached without the pooler');
        }
        return db;
    }
    catch (error) {
        // A pool still trying to connect is cut off, not waited for.
        await db.close({ timeoutSeconds: 0 }).catch(() => { });
        throw error;
    }
    finally {
        clearTimeout(timer);
    }
}
/**
 * The embedded database, its lock and the development secret live in DATA_DIR: a folder that
 * cannot be created or written is named here rather than as an errno from deep in PGlite.
 */
export async function ensureWritableDataDir(dataDir) {
    const probe = path.join(dataDir, `.write-test-${process.pid}`);
    try {
        await fs.mkdir(dataDir, { recursive: true });
        await fs.writeFile(probe, '');
        await fs.rm(probe, { force: true });
    }
    catch (error) {
        const { code } = error;
        throw new StartupError('DATA_DIR', `DATA_DIR=${dataDir} is not a writable folder (${code ?? String(error)}): the embedded database keeps ` +
            'its files there; point DATA_DIR at a folder this user may write, or set DATABASE_URL', { cause: error });
    }
}
/** `postgres host:port/db`, without user or password, for logs; the direct way and the pooling beside it. */
function describeServer(databaseUrl, directUrl, pooling) {
    const where = (raw) => {
        const url = new URL(raw);
        return `${url.host}${url.pathname}`;
    };
    const pooled = pooling === 'none' ? '' : ` (${pooling} pooling)`;
    const direct = directUrl === undefined ? '' : `, direct ${where(directUrl)}`;
    return `postgres ${where(databaseUrl)}${pooled}${direct}`;
}
//# sourceMappingURL=connect.js.map