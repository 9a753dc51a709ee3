import { StartupError } from '../startupError.js';
import type { Database } from './database.js';
/** A start-up failure of the configuration kind (exit code 2): DATA_DIR belongs to another process. */
export declare class DataDirLockedError extends StartupError {
    readonly lockFile: string;
    readonly ownerPid: number;
    name: string;
    constructor(lockFile: string, ownerPid: number);
}
export interface EmbeddedDatabase extends Database {
    /** The Unix socket the embedded server listens on (mode 0600, in a 0700 directory). */
    readonly socketPath: string;
}
export declare function openEmbeddedDatabase(dataDir: string, schema?: string): Promise<EmbeddedDatabase>;
