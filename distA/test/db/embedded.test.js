/**
 * The embedded PGlite is reachable only by the service's own user (issue 17): it listens on a Unix
 * socket of mode 0600 in a directory of mode 0700, and on no TCP port. When the test runs as root, a
 * process of another user (nobody) tries the socket and is refused. A `DATA_DIR` too deep for a socket
 * path puts the socket in a private temp directory instead, removed on close.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { openEmbeddedDatabase } from '../../src/db/embedded.js';
import { pglite } from '../support/databases.js';
const NOBODY = 65534;
/** The inodes of the TCP sockets this process listens on (Linux: /proc/net/tcp and tcp6). */
async function listeningTcpSockets() {
    const ours = new Set();
    for (const fd of await fs.readdir('/proc/self/fd')) {
        const target = await fs.readlink(`/proc/self/fd/${fd}`).catch(() => '');
        const inode = /^socket:\[(\d+)\]$/.exec(target)?.[1];
        if (inode)
            ours.add(inode);
    }
    const listening = new Set();
    for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
        const lines = (await fs.readFile(table, 'utf8').catch(() => '')).split('\n').slice(1);
        for (const line of lines) {
            const fields = line.trim().split(/\s+/);
            // Columns: sl local_address rem_address st … inode (the tenth); 0A is LISTEN.
            if (fields[3] === '0A' && ours.has(fields[9]))
                listening.add(`${fields[1]} (inode ${fields[9]})`);
        }
    }
    return listening;
}
/** What `net.connect(socketPath)` gives a process running as `uid`: 'connected' or the error code. */
function connectAs(uid, socketPath) {
    const script = `require('node:net').connect(${JSON.stringify(socketPath)})
    .on('connect', () => { console.log('connected'); process.exit(0) })
    .on('error', (error) => { console.log(error.code); process.exit(0) })`;
    return new Promise((resolve, reject) => {
        const child = spawn(process.execPath, ['-e', script], { uid, gid: uid, stdio: ['ignore', 'pipe', 'inherit'] });
        let output = '';
        child.stdout.on('data', (chunk) => (output += chunk.toString()));
        child.on('error', reject);
        child.on('exit', () => resolve(output.trim()));
    });
}
const mode = async (file) => (await fs.stat(file)).mode & 0o777;
describe('embedded database socket', () => {
    let database;
    let db;
    before(async () => {
        database = await pglite.create();
    });
    after(async () => {
        await db?.close();
        await database?.cleanup();
    });
    it('listens on a Unix socket of mode 0600 in a 0700 directory of DATA_DIR, and on no TCP port', async () => {
        const tcpBefore = await listeningTcpSockets();
        // A socket left by a process that was killed does not stop the next start.
        await fs.mkdir(path.join(database.dataDir, 'socket'), { mode: 0o755 });
        await fs.writeFile(path.join(database.dataDir, 'socket', '.s.PGSQL.5432'), '');
        db = await openEmbeddedDatabase(database.dataDir);
        assert.deepEqual([...(await db.sql `select 1 as one`)], [{ one: 1 }]);
        const tcpAfter = [...(await listeningTcpSockets())].filter((socket) => !tcpBefore.has(socket));
        assert.deepEqual(tcpAfter, [], 'the embedded database opened a TCP listener');
        assert.equal(path.dirname(db.socketPath), path.join(database.dataDir, 'socket'));
        assert.ok((await fs.stat(db.socketPath)).isSocket());
        assert.equal((await mode(db.socketPath)).toString(8), '600');
        assert.equal((await mode(path.dirname(db.socketPath))).toString(8), '700');
    });
    const notRoot = process.getuid?.() !== 0 && 'needs root to run a process as another user';
    it('another user cannot connect to it', { skip: notRoot }, async () => {
        assert.ok(db, 'the database of the test before');
        // DATA_DIR as a user's would be (0755): only the socket's own directory and mode keep others out.
        await fs.chmod(database.dataDir, 0o755);
        assert.equal(await connectAs(NOBODY, db.socketPath), 'EACCES');
        // The same connection attempt from the service's user is let through to the server.
        assert.equal(await connectAs(process.getuid(), db.socketPath), 'connected');
    });
    it('a DATA_DIR too deep for a socket path: the socket is in a private temp directory, removed on close', async () => {
        await db?.close();
        db = undefined;
        const deep = path.join(database.dataDir, 'd'.repeat(60), 'e'.repeat(60));
        await fs.mkdir(deep, { recursive: true });
        await fs.rename(path.join(database.dataDir, 'pgdata'), path.join(deep, 'pgdata'));
        const deepDb = await openEmbeddedDatabase(deep);
        try {
            assert.deepEqual([...(await deepDb.sql `select 1 as one`)], [{ one: 1 }]);
            assert.ok(Buffer.byteLength(deepDb.socketPath) <= 103, deepDb.socketPath);
            assert.ok(!deepDb.socketPath.startsWith(database.dataDir), deepDb.socketPath);
            assert.equal((await mode(deepDb.socketPath)).toString(8), '600');
            assert.equal((await mode(path.dirname(deepDb.socketPath))).toString(8), '700');
        }
        finally {
            await deepDb.close();
        }
        await assert.rejects(fs.stat(path.dirname(deepDb.socketPath)), { code: 'ENOENT' });
    });
});
//# sourceMappingURL=embedded.test.js.map