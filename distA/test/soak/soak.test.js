/**
 * The long mode of the reliability suites: `npm run soak` (SOAK=long, TEST_DATABASE_URL set to a
 * PostgreSQL the suites may create databases in). npm test runs the short modes in
 * test/reliability and test/security instead.
 */
import { after, before, describe, it } from 'node:test';
import { databaseTargets, postgresOnly } from '../support/databases.js';
import { startTestService } from '../support/service.js';
import { runDatabaseFault } from './databaseFaults.js';
import { runBulkRetryThroughKill } from './bulkActions.js';
import { runChaos } from './chaos.js';
import { runScheduleChaos } from './scheduleChaos.js';
import { runFuzz } from './fuzz.js';
import { runLongPollsDuringShutdown, runStartStopLoop } from './stress.js';
const target = postgresOnly();
const long = process.env.SOAK === 'long';
describe('soak: database faults (postgres)', { skip: target && long ? false : 'needs SOAK=long and TEST_DATABASE_URL', timeout: 30 * 60_000 }, () => {
    let database;
    before(async () => {
        database = await target.create();
    });
    after(async () => {
        await database?.cleanup();
    });
    for (const fault of ['refuse', 'blackhole', 'terminate']) {
        for (let round = 1; round <= 3; round++) {
            it(`${fault}, round ${round}: 503 meanwhile, then everything resumes, nothing lost or run twice`, async () => {
                await runDatabaseFault({ database, fault, jobs: 400, rounds: fault === 'blackhole' ? 3 : 10 });
            });
        }
    }
});
describe('soak: chaos, 3 processes, 20,000 jobs, 60 s of SIGTERM/SIGKILL (postgres)', { skip: target && long ? false : 'needs SOAK=long and TEST_DATABASE_URL', timeout: 30 * 60_000 }, () => {
    let database;
    before(async () => {
        database = await target.create();
    });
    after(async () => {
        await database?.cleanup();
    });
    it('every job ends as told, none lost, stuck or run again after success; count jobs resume from their checkpoints', async (t) => {
        const { kills, ...report } = await runChaos({
            database,
            jobs: 20_000,
            chaosMs: 60_000,
            settleTimeoutMs: 10 * 60_000,
        });
        t.diagnostic(JSON.stringify({ ...report, kills: kills.length }));
    });
});
describe('soak: a bulk retry of 100,000 failed jobs through a SIGKILL, enqueues served throughout (postgres)', { skip: target && long ? false : 'needs SOAK=long and TEST_DATABASE_URL', timeout: 30 * 60_000 }, () => {
    let database;
    before(async () => {
        database = await target.create();
    });
    after(async () => {
        await database?.cleanup();
    });
    it('every job retried exactly once; the action completes on the other instance', async (t) => {
        const report = await runBulkRetryThroughKill({
            database,
            target: 'postgres',
            jobs: 100_000,
            batchSize: 500,
            killAfter: 30_000,
            timeoutMs: 10 * 60_000,
        });
        t.diagnostic(JSON.stringify(report));
    });
});
for (const fuzzTarget of databaseTargets()) {
    describe(`soak: fuzzing the HTTP API, 10,000 cases (${fuzzTarget.name})`, { skip: long ? false : 'needs SOAK=long', timeout: 30 * 60_000 }, () => {
        let database;
        let service;
        before(async () => {
            database = await fuzzTarget.create();
            service = await startTestService(database, { LOG_LEVEL: 'warn' });
        });
        after(async () => {
            await service?.close();
            await database?.cleanup();
        });
        it('never a 5xx, every error is problem+json, the service keeps running, memory back near its baseline', async (t) => {
            // A warm-up first, so the baseline holds what a running service keeps anyway (compiled code, caches).
            await runFuzz({ service, runs: 300 });
            const report = await runFuzz({ service, runs: 10_000 });
            t.diagnostic(JSON.stringify(report));
        });
    });
}
for (const stressTarget of databaseTargets()) {
    describe(`soak: stress, 50 start/stop rounds and long-polls during shutdown (${stressTarget.name})`, { skip: long ? false : 'needs SOAK=long', timeout: 30 * 60_000 }, () => {
        let database;
        before(async () => {
            database = await stressTarget.create();
        });
        after(async () => {
            await database?.cleanup();
        });
        it('50 start/stop rounds: each one clean exit 0, every job still there, none left running', async () => {
            await runStartStopLoop({ database, rounds: 50 });
        });
        it('100 concurrent ?wait=30 long-polls during SIGTERM, 5 times: every one answered, one clean exit each', async () => {
            for (let round = 0; round < 5; round++)
                await runLongPollsDuringShutdown({ database, polls: 100 });
        });
    });
}
describe('soak: a per-second schedule across 3 processes, 30 s of SIGTERMs and restarts (postgres)', { skip: target && long ? false : 'needs SOAK=long and TEST_DATABASE_URL', timeout: 10 * 60_000 }, () => {
    let database;
    before(async () => {
        database = await target.create();
    });
    after(async () => {
        await database?.cleanup();
    });
    it('exactly one job per slot, none missing beyond the backfill rule, every one run', async (t) => {
        const report = await runScheduleChaos({ database, durationMs: 30_000 });
        t.diagnostic(JSON.stringify(report));
    });
});
//# sourceMappingURL=soak.test.js.map