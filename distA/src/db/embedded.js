/**
 * The embedded default: PGlite in `DATA_DIR/pgdata`, served to postgres.js over pglite-socket on a
 * Unix socket only the service's user can open (privateSocket.ts), with exactly ONE connection.
 * Several connections through the socket multiplexer corrupt pipelined queries, and LISTEN/NOTIFY,
 * advisory locks, `statement_timeout` and cancel requests do not cross it, which `capabilities` states
 * for the rest of the service.
 *
 * Two processes on one PGlite folder corrupt it, so the folder is guarded by a lock file holding the
 * owner's pid; a lock whose process is gone is stale and taken over.
 */
import { rmSync, writeFileSync } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import postgres from 'postgres';
import { DEFAULT_DATABASE_SCHEMA } from '../config.js';
import { StartupError } from '../startupError.js';
import { privateSocket } from './privateSocket.js';
/** A start-up failure of the configuration kind (exit code 2): DATA_DIR belongs to another process. */
export class DataDirLockedError extends StartupError {
    lockFile;
    ownerPid;
    name = 'DataDirLockedError';
    constructor(lockFile, ownerPid) {
        const message = `DATA_DIR is in use: process ${ownerPid} holds ${lockFile}. Stop it, or point DATA_DIR elsewhere.`;
        super('DATA_DIR', message, { exitCode: 2 });
        this.lockFile = lockFile;
        this.ownerPid = ownerPid;
    }
}
export async function openEmbeddedDatabase(dataDir, schema = DEFAULT_DATABASE_SCHEMA) {
    await fs.mkdir(dataDir, { recursive: true });
    const releaseLock = await lockDataDir(path.join(dataDir, 'pglite.lock'));
    let pglite;
    let server;
    let socket;
    try {
        socket = await privateSocket(dataDir);
        pglite = await PGlite.create({ dataDir: path.join(dataDir, 'pgdata') });
        // PGlite is one session, whichever socket connection speaks to it, and the socket ignores
        // startup parameters: the search_path is set on the session itself, once. `schema` is a
        // validated identifier (src/config.ts: DATABASE_SCHEMA).
        await pglite.exec(`create schema if not exists ${schema}; set search_path to ${schema}`);
        server = new PGLiteSocketServer({ db: pglite, path: socket.path, maxConnections: 1 });
        await server.start();
        await socket.restrict();
    }
    catch (error) {
        await server?.stop().catch(() => { });
        await pglite?.close().catch(() => { });
        await socket?.remove().catch(() => { });
        await releaseLock();
        throw error;
    }
    const sql = postgres({
        path: socket.path,
        database: 'postgres',
        username: 'postgres',
        max: 1,
        onnotice: () => { },
        // Fetching array types on connect leaks an unhandled rejection when the connection dies
        // meanwhile (porsager/postgres#1192); the store passes lists as JSON instead.
        fetch_types: false,
        transform: { undefined: null },
    });
    const runningServer = server;
    const runningPglite = pglite;
    const runningSocket = socket;
    let closing;
    return {
        sql,
        session: sql,
        schema,
        socketPath: socket.path,
        capabilities: { supportsListen: false, sharedAcrossProcesses: false },
        description: `embedded PGlite in ${dataDir}`,
        close: ({ timeoutSeconds = 5 } = {}) => (closing ??= (async () => {
            await sql.end({ timeout: timeoutSeconds }).catch(() => { });
            await runningServer.stop().catch(() => { });
            await runningPglite.close().catch(() => { });
            await runningSocket.remove().catch(() => { });
            await releaseLock();
        })()),
    };
}
/** Lock files this process holds: our own pid in a lock file we do not hold is a stale one (a container restarts as pid 1). */
const heldLocks = new Set();
let exitHookInstalled = false;
async function lockDataDir(lockFile) {
    for (let attempt = 0; attempt < 2; attempt++) {
        try {
            // Written synchronously: the file and our record of holding it appear in one step, so an
            // exit at any moment (a signal during start-up) finds and removes it.
            writeFileSync(lockFile, String(process.pid), { flag: 'wx' });
            heldLocks.add(lockFile);
            // A process that leaves while still opening (a signal during start-up) gives the folder back too.
            if (!exitHookInstalled) {
                exitHookInstalled = true;
                process.once('exit', releaseHeldLocksOnExit);
            }
            return async () => {
                if (heldLocks.delete(lockFile))
                    await fs.rm(lockFile, { force: true });
            };
        }
        catch (error) {
            if (error.code !== 'EEXIST')
                throw error;
            const ownerPid = Number((await fs.readFile(lockFile, 'utf8').catch(() => '')).trim());
            const heldHere = ownerPid === process.pid && heldLocks.has(lockFile);
            if (heldHere || (Number.isInteger(ownerPid) && ownerPid > 0 && ownerPid !== process.pid && isAlive(ownerPid))) {
                throw new DataDirLockedError(lockFile, ownerPid);
            }
            // The owner is gone (a crash or SIGKILL): the lock is stale.
            await fs.rm(lockFile, { force: true });
        }
    }
    throw new Error(`could not take the lock ${lockFile}`);
}
function releaseHeldLocksOnExit() {
    for (const lockFile of heldLocks)
        rmSync(lockFile, { force: true });
}
function isAlive(pid) {
    try {
        process.kill(pid, 0);
        return true;
    }
    catch (error) {
        return error.code === 'EPERM';
    }
}
//# sourceMappingURL=embedded.js.map