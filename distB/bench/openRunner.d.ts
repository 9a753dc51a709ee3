/** A runner built the way src/service.ts builds it (database, migrations, notifier, registry), for the bench workers. */
import { type JobRegistry } from '../jobs/registry.js';
import { Notifier } from '../src/queue/notifier.js';
import { JobStore } from '../src/queue/store.js';
import { Runner } from '../src/runner/runner.js';
export interface OpenOptions {
    /** Extra service settings (QUEUES, LEASE_SECONDS, ...). */
    env?: Record<string, string>;
    /** Instead of the jobs/ folder. */
    registry?: JobRegistry;
}
export declare function openRunner(where: {
    databaseUrl?: string | undefined;
    databaseDirectUrl?: string | undefined;
    dataDir?: string | undefined;
}, concurrency: number, { env, registry: given }?: OpenOptions): Promise<{
    config: import("../src/config.js").Config;
    db: import("../src/db/database.js").Database;
    store: JobStore;
    notifier: Notifier;
    registry: JobRegistry;
    runner: Runner;
}>;
export type OpenRunner = (concurrency: number, options?: OpenOptions) => ReturnType<typeof openRunner>;
