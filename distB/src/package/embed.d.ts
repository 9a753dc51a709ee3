import { type AnyJobDefinition } from '../../jobs/registry.js';
import type { LifecycleEvents } from '../lifecycle.js';
import { type Logger } from '../log.js';
import { type Service } from '../service.js';
export interface StartServiceOptions {
    /** Where the configuration is read from (default `process.env`). */
    env?: Readonly<Record<string, string | undefined>>;
    /** The job types to run; when absent, the files of `jobsDir`. */
    jobs?: readonly AnyJobDefinition[];
    /** A folder of job files (default `JOBS_DIR`, else `./jobs` of the current directory). */
    jobsDir?: string;
    /** Default: a pino logger at `LOG_LEVEL` on stdout. */
    log?: Logger;
    /** Aborts start-up; once started, use `stop()`. */
    signal?: AbortSignal;
}
export interface EmbeddedService extends Service {
    /** The graceful shutdown (the same promise when called twice); never exits the process. */
    stop(cause?: string): Promise<void>;
    /**
     * Calls `listener` on each lifecycle event (see the file's comment); returns the function that
     * removes it. A listener that throws or rejects is logged, never propagated.
     */
    on<K extends keyof LifecycleEvents>(event: K, listener: (payload: LifecycleEvents[K]) => unknown): () => void;
}
export declare function startService(options?: StartServiceOptions): Promise<EmbeddedService>;
