/**
 * Short mode of test/soak/databaseFaults.ts (PostgreSQL only): the service's database connections
 * are cut and refused, black-holed, or terminated with pg_terminate_backend; it answers 503 with
 * Retry-After meanwhile and resumes unaided. `npm run soak` runs the long mode.
 */
import { after, before, it } from 'node:test';
import { describeOrSkip } from '../support/describeOrSkip.js';
import { postgresOnly, skipWithoutPostgres } from '../support/databases.js';
import { runDatabaseFault } from '../soak/databaseFaults.js';
const target = postgresOnly();
// PostgreSQL only, like the other multi-connection suites: skipped, saying so, without TEST_DATABASE_URL.
describeOrSkip('database faults (postgres)', { skip: skipWithoutPostgres(), timeout: 180_000 }, () => {
    let database;
    before(async () => {
        database = await target.create();
    });
    after(async () => {
        await database?.cleanup();
    });
    const cases = [
        ['refuse', 'connections cut and new ones refused'],
        ['blackhole', 'connections cut and new ones never answered'],
        ['terminate', 'backends terminated with pg_terminate_backend'],
    ];
    for (const [fault, what] of cases) {
        it(`${what}: 503 + Retry-After meanwhile, then every job succeeds, none lost or run again`, async () => {
            // A black-holed request waits out the store timeout (5 s): one round is enough here.
            await runDatabaseFault({ database, fault, jobs: 40, rounds: fault === 'blackhole' ? 1 : 2 });
        });
    }
});
//# sourceMappingURL=databaseFaults.test.js.map