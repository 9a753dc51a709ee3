/** A runner built the way src/service.ts builds it (database, migrations, notifier, registry), for the bench workers. */
import { loadJobRegistry } from '../jobs/registry.js';
import { loadConfig } from '../src/config.js';
import { connectDatabase } from '../src/db/connect.js';
import { migrate } from '../src/db/migrate.js';
import { createLogger } from '../src/log.js';
import { Notifier } from '../src/queue/notifier.js';
import { JobStore } from '../src/queue/store.js';
import { Runner, runnerConfigFrom } from '../src/runner/runner.js';
export async function openRunner(where, concurrency, { env = {}, registry: given } = {}) {
    const config = loadConfig({
        ...(where.databaseUrl ? { DATABASE_URL: where.databaseUrl } : {}),
        // Through a transaction pooler (P12): DATABASE_POOLING=transaction follows.
        ...(where.databaseDirectUrl ? { DATABASE_DIRECT_URL: where.databaseDirectUrl } : {}),
        ...(where.dataDir ? { DATA_DIR: where.dataDir } : {}),
        JWT_SECRET: 'bench-secret-bench-secret-bench-secret!',
        CONCURRENCY: String(concurrency),
        LOG_LEVEL: 'silent',
        ...env,
    });
    const db = await connectDatabase(config);
    await migrate(db);
    const store = new JobStore(db.sql, db.schema);
    const notifier = new Notifier(db);
    await notifier.start();
    const registry = given ?? (await loadJobRegistry());
    const runner = new Runner(runnerConfigFrom(config), {
        store,
        notifier,
        registry,
        log: createLogger({ level: 'silent' }),
    });
    return { config, db, store, notifier, registry, runner };
}
//# sourceMappingURL=openRunner.js.map