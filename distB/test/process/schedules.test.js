/**
 * Short mode of test/soak/scheduleChaos.ts (PostgreSQL only; without TEST_DATABASE_URL the suite
 * is skipped): 3 server processes share a per-second schedule for about 8 s while two of them, then
 * the third, are SIGTERMed and restarted. Every slot has exactly one job, none is missing, every job
 * runs. `npm run soak` runs it for 30 s.
 */
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { describeOrSkip } from '../support/describeOrSkip.js';
import { postgresOnly, skipWithoutPostgres } from '../support/databases.js';
import { runScheduleChaos } from '../soak/scheduleChaos.js';
const target = postgresOnly();
describeOrSkip('schedules across 3 processes with SIGTERMs and restarts (postgres)', { skip: skipWithoutPostgres(), timeout: 120_000 }, () => {
    let database;
    before(async () => {
        database = await target.create();
    });
    after(async () => {
        await database?.cleanup();
    });
    it('a per-second schedule makes exactly one job per slot, none missing, every one run', async (t) => {
        const report = await runScheduleChaos({ database, durationMs: 8000 });
        t.diagnostic(JSON.stringify(report));
        assert.ok(report.restarts >= 2, 'no process was restarted');
    });
});
//# sourceMappingURL=schedules.test.js.map