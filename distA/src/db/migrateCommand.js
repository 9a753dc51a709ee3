/**
 * `npm run migrate` and the Procfile's release phase: apply pending migrations, then exit.
 * Exit codes as `main`'s: 0 done, 1 the database cannot be used or a migration failed, 2 a bad
 * configuration value; a failure is one sentence naming what to fix, never a stack trace.
 */
import { loadConfig } from '../config.js';
import { describeStartupFailure, EXIT_CODE, reportStartupFailure } from '../startupReport.js';
import { openDatabase } from './connect.js';
import { migrate } from './migrate.js';
try {
    const config = loadConfig();
    const db = await openDatabase({ ...config, connectTimeoutMs: config.databaseConnectTimeoutMs, maxConnections: 1 });
    try {
        const { applied } = await migrate(db).catch((error) => {
            throw new Error(`migrating ${db.description} failed: ${error.message}`);
        });
        console.log(applied.length ? `applied migrations ${applied.join(', ')}` : 'database is up to date');
    }
    finally {
        await db.close();
    }
}
catch (error) {
    const failure = describeStartupFailure(error) ?? { message: error.message, exitCode: EXIT_CODE.failure };
    reportStartupFailure(failure, 'migrate');
    process.exitCode = failure.exitCode;
}
//# sourceMappingURL=migrateCommand.js.map