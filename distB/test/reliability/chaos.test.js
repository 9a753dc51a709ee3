/**
 * Short mode of test/soak/chaos.ts (PostgreSQL only; without TEST_DATABASE_URL the suite is
 * skipped): 3 server processes, 1,000 mixed jobs, 6 s of SIGTERM/SIGKILL-and-restart on one random
 * process at a time. Every job ends as told, none lost or left running, none started again after it
 * succeeded, and every count job resumed from a checkpoint that never went backwards.
 * `npm run soak` runs the long mode (20,000 jobs, 60 s of chaos). Replay a run with CHAOS_SEED=<seed>.
 */
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { describeOrSkip } from '../support/describeOrSkip.js';
import { postgresOnly, skipWithoutPostgres } from '../support/databases.js';
import { runChaos } from '../soak/chaos.js';
const target = postgresOnly();
describeOrSkip('chaos: 3 processes, random SIGTERM/SIGKILL and restarts (postgres)', { skip: skipWithoutPostgres(), timeout: 120_000 }, () => {
    let database;
    before(async () => {
        database = await target.create();
    });
    after(async () => {
        await database?.cleanup();
    });
    it('every job ends as told, none lost, stuck or run again after success; count jobs resume from their checkpoints', async (t) => {
        const report = await runChaos({ database, jobs: 1000, chaosMs: 6000, settleTimeoutMs: 40_000 });
        const { kills, ...rest } = report;
        t.diagnostic(JSON.stringify({
            ...rest,
            sigterm: kills.filter((k) => k.signal === 'SIGTERM').length,
            sigkill: kills.filter((k) => k.signal === 'SIGKILL').length,
        }));
        assert.ok(report.kills.length > 0, 'no process was killed');
    });
});
//# sourceMappingURL=chaos.test.js.map