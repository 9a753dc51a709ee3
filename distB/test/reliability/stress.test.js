/**
 * Short mode of test/soak/stress.ts on every database: 3 start/stop rounds of the real server, each
 * one clean exit with the job table intact, and 100 concurrent `?wait=30` long-polls open during a
 * SIGTERM, every one answered (200 or 503), then one clean exit. `npm run soak` runs 50 rounds.
 */
import { after, before, describe, it } from 'node:test';
import { databaseTargets } from '../support/databases.js';
import { runLongPollsDuringShutdown, runStartStopLoop } from '../soak/stress.js';
for (const target of databaseTargets()) {
    describe(`stress: start/stop loop and long-polls during shutdown (${target.name})`, { timeout: 120_000 }, () => {
        let database;
        before(async () => {
            database = await target.create();
        });
        after(async () => {
            await database?.cleanup();
        });
        it('3 start/stop rounds: each one clean exit 0, every job still there, none left running', async () => {
            await runStartStopLoop({ database, rounds: 3 });
        });
        it('100 concurrent ?wait=30 long-polls during SIGTERM: every one answered (200, 503, or 304 to If-None-Match), then one clean exit', async (t) => {
            const tally = await runLongPollsDuringShutdown({ database, polls: 100 });
            t.diagnostic(JSON.stringify(tally));
        });
    });
}
//# sourceMappingURL=stress.test.js.map