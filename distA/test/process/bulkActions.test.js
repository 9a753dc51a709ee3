/**
 * A bulk retry survives a SIGKILL of the instance working it (short mode of the soak's 100,000:
 * test/soak/bulkActions.ts): every job is retried exactly once, the action completes on another
 * instance (PostgreSQL) or on the restarted one (PGlite), and enqueues are served throughout.
 */
import { describe, it } from 'node:test';
import { databaseTargets, onceSkip } from '../support/databases.js';
import { processFixture } from '../support/process.js';
import { runBulkRetryThroughKill } from '../soak/bulkActions.js';
for (const target of databaseTargets()) {
    // The worker's lease is the same SQL on both; sigkill.test.ts covers the embedded database's restart.
    const once = { skip: onceSkip(target, "the bulk worker's lease") };
    describe(`process: a bulk action through a SIGKILL (${target.name})`, once, () => {
        const { createDatabase } = processFixture(target);
        it('3,000 failed jobs retried, each exactly once, the worker SIGKILLed midway', async (t) => {
            const database = await createDatabase();
            const report = await runBulkRetryThroughKill({
                database,
                target: target.name,
                jobs: 3000,
                batchSize: 20,
                killAfter: 600,
            });
            t.diagnostic(JSON.stringify(report));
        });
    });
}
//# sourceMappingURL=bulkActions.test.js.map