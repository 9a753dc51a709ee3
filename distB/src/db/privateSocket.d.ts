export interface PrivateSocket {
    readonly path: string;
    /** Makes the listening socket 0600: call once the server listens. */
    restrict(): Promise<void>;
    /** Removes the socket (and the temp directory, if one was made). Safe to call twice. */
    remove(): Promise<void>;
}
/**
 * Prepares the socket's directory and clears a socket left by a process that died; call it while
 * holding the `DATA_DIR` lock, so that socket cannot belong to a live server.
 */
export declare function privateSocket(dataDir: string): Promise<PrivateSocket>;
