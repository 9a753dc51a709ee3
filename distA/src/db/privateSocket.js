/**
 * Where the embedded database listens: a Unix socket only the service's own user can open, instead of
 * a loopback TCP port that any local user could connect to (PGlite has no passwords).
 *
 * The socket lives in `DATA_DIR/socket`, a directory of mode 0700, and is itself made 0600 once it
 * listens; the directory closes the moment between the two. A socket path holds at most 103 bytes
 * (Linux allows 107, macOS 103); when `DATA_DIR` is deeper than that, the socket goes into a fresh
 * private directory in the OS temp folder (`mkdtemp`, mode 0700), removed again on close.
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
/** The name PostgreSQL itself gives its socket, so `psql -h <directory>` finds it. */
const SOCKET_NAME = '.s.PGSQL.5432';
const MAX_SOCKET_PATH_BYTES = 103;
/**
 * Prepares the socket's directory and clears a socket left by a process that died; call it while
 * holding the `DATA_DIR` lock, so that socket cannot belong to a live server.
 */
export async function privateSocket(dataDir) {
    const inDataDir = path.join(path.resolve(dataDir), 'socket');
    if (fits(inDataDir)) {
        await privateDirectory(inDataDir);
        const socketPath = path.join(inDataDir, SOCKET_NAME);
        await fs.rm(socketPath, { force: true });
        return handle(socketPath, () => fs.rm(socketPath, { force: true }));
    }
    const temporary = await fs.mkdtemp(path.join(os.tmpdir(), 'job-runner-'));
    if (!fits(temporary)) {
        await fs.rm(temporary, { recursive: true, force: true });
        throw new Error(`the embedded database's socket path would be longer than ${MAX_SOCKET_PATH_BYTES} bytes both in DATA_DIR ` +
            `(${inDataDir}) and in the temp folder (${temporary}): use a shorter DATA_DIR or TMPDIR`);
    }
    return handle(path.join(temporary, SOCKET_NAME), () => fs.rm(temporary, { recursive: true, force: true }));
}
function fits(directory) {
    return Buffer.byteLength(path.join(directory, SOCKET_NAME)) <= MAX_SOCKET_PATH_BYTES;
}
/** A directory of ours with mode 0700, whatever mode an earlier run or the umask left it with. */
async function privateDirectory(directory) {
    await fs.mkdir(directory, { recursive: true, mode: 0o700 });
    const stat = await fs.lstat(directory);
    if (!stat.isDirectory())
        throw new Error(`${directory} must be a directory for the embedded database's socket`);
    await fs.chmod(directory, 0o700);
}
function handle(socketPath, remove) {
    let removing;
    return {
        path: socketPath,
        restrict: () => fs.chmod(socketPath, 0o600),
        remove: () => (removing ??= remove()),
    };
}
//# sourceMappingURL=privateSocket.js.map