/**
 * Exactly one job per slot across instances: several real server processes (the Procfile's web
 * line) on one PostgreSQL share a per-second schedule while, for `durationMs`, two of them at a time
 * are SIGTERMed together and restarted, then the third; at least one always runs. Afterwards every
 * slot from the first to the last has exactly one job (keyed `schedule:{id}:{slot}`, run at the
 * slot), none is missing (the schedule's backfill covers a slot that a restart delayed), the
 * schedule's own counters agree, and every job ran to success.
 *
 * test/process/schedules.test.ts runs it for about 8 s; `npm run soak` for 30 s.
 */
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { spawnServer, withDatabase } from '../support/process.js';
const SERVER_ENV = {
    LOG_LEVEL: 'debug',
    SHUTDOWN_GRACE_SECONDS: '3',
    LEASE_SECONDS: '2',
    POLL_INTERVAL_MS: '200',
};
const SCHEDULE = 'every-second';
export async function runScheduleChaos({ database, durationMs, processes = 3, backfillMaxSlots = 10, }) {
    assert.ok(database.databaseUrl, 'several processes share one database: PostgreSQL only');
    const all = [];
    const spawn = async () => {
        const server = await spawnServer(database, SERVER_ENV);
        all.push(server);
        return server;
    };
    const live = [];
    let restarts = 0;
    try {
        for (let i = 0; i < processes; i++)
            live.push(await spawn());
        const created = await live[0].request(`/v1/schedules/${SCHEDULE}`, {
            method: 'PUT',
            body: JSON.stringify({
                cron: '* * * * * *',
                timezone: 'Europe/Berlin',
                job: { type: 'echo', payload: { from: 'schedule' } },
                backfill: { maxSlots: backfillMaxSlots },
            }),
        });
        assert.equal(created.status, 201, await created.text());
        // SIGTERM a group of processes together, wait for their exits, start their replacements.
        const restart = async (indexes) => {
            const victims = indexes.map((i) => live[i]);
            for (const victim of victims)
                victim.kill('SIGTERM');
            for (const victim of victims) {
                const exit = await victim.exited;
                assert.equal(exit.code, 0, `a SIGTERMed process exited ${exit.code ?? exit.signal}`);
            }
            const replacements = await Promise.all(indexes.map(() => spawn()));
            indexes.forEach((index, i) => (live[index] = replacements[i]));
            restarts += indexes.length;
        };
        const ends = Date.now() + durationMs;
        for (let round = 0; Date.now() < ends; round++) {
            await sleep(Math.min(1500, Math.max(0, ends - Date.now())));
            if (Date.now() >= ends)
                break;
            // Two at once (one survivor fires alone meanwhile), then the survivor by itself.
            await restart(round % 2 === 0 ? [0, 1] : [2]);
        }
        const paused = await live[0].request(`/v1/schedules/${SCHEDULE}/pause`, { method: 'POST' });
        assert.equal(paused.status, 200, await paused.clone().text());
        const schedule = (await paused.json());
        // Every job of the schedule runs (echo), unaided.
        const deadline = Date.now() + 30_000;
        for (;;) {
            const pending = await withDatabase(database, async (db) => {
                const [row] = await db.sql `
          select count(*)::int as n from job_runner.job_runner_jobs where state in ('queued', 'running')`;
                return row.n;
            });
            if (pending === 0)
                break;
            if (Date.now() > deadline)
                assert.fail(`${pending} scheduled jobs still queued or running after 30 s`);
            await sleep(250);
        }
        for (const server of live)
            server.kill('SIGTERM');
        for (const server of live)
            assert.equal((await server.exited).code, 0);
        const jobs = await withDatabase(database, (db) => db.sql `
        select idempotency_key as key, run_at, state, payload from job_runner.job_runner_jobs
        where idempotency_key like ${`schedule:${SCHEDULE}:%`} order by run_at`);
        assert.ok(jobs.length >= Math.floor(durationMs / 1000) - 2, `only ${jobs.length} jobs in ${durationMs} ms`);
        const slots = jobs.map((job) => {
            assert.equal(job.key, `schedule:${SCHEDULE}:${job.run_at.toISOString()}`, 'keyed by its slot');
            assert.equal(job.state, 'succeeded');
            assert.deepEqual(job.payload, { from: 'schedule' });
            return job.run_at.getTime();
        });
        assert.equal(new Set(slots).size, slots.length, 'two jobs for one slot');
        const first = slots[0];
        const last = slots.at(-1);
        assert.equal(first % 1000, 0);
        const missing = [];
        const have = new Set(slots);
        for (let slot = first; slot <= last; slot += 1000)
            if (!have.has(slot))
                missing.push(new Date(slot).toISOString());
        assert.deepEqual(missing, [], 'slots with no job');
        assert.equal(schedule.fired, jobs.length, "the schedule's count of fired slots");
        assert.equal(schedule.missed, 0, 'no slot was missed beyond the backfill');
        assert.equal(schedule.skipped, 0);
        const firingProcesses = all.filter((server) => server.logs.some((record) => record.msg === 'schedule fired' && record.schedule === SCHEDULE)).length;
        return { slots: jobs.length, restarts, firingProcesses, fired: schedule.fired, missed: schedule.missed };
    }
    finally {
        await Promise.all(all.map((server) => server.dispose()));
    }
}
//# sourceMappingURL=scheduleChaos.js.map