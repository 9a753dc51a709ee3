/**
 * Chaos: several real server processes (spawned like the Procfile's web line) on one PostgreSQL
 * database run a mix of `echo`, `count`, `sleep` and `flaky` jobs while, for `chaosMs`, one random
 * process at a time gets SIGTERM or SIGKILL and is restarted.
 *
 * Once every job has settled: each job ended as told (`succeeded`, or `failed` exactly where flaky
 * was told to fail more often than its maxAttempts), none was lost, none is left running or leased,
 * no job started again after its success was written (the runner's debug line `job started`, read
 * from every process, against finished_at: one clock), every `count` job resumed from a checkpoint
 * that never went backwards across its runs, and an interrupted `count` job's result proves it
 * (runs > 1, resumedFrom = the checkpoint of its last start).
 */
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { spawnServer, withDatabase } from '../support/process.js';
const SERVER_ENV = {
    LEASE_SECONDS: '2',
    CHECKPOINT_INTERVAL_SECONDS: '0.2',
    RETRY_BASE_MS: '20',
    LOG_LEVEL: 'debug',
    CONCURRENCY: '10',
    SHUTDOWN_GRACE_SECONDS: '3',
    POLL_INTERVAL_MS: '200',
};
/** A small deterministic PRNG (mulberry32), so a failing run can be replayed with its seed. */
function random(seed) {
    let a = seed >>> 0;
    return () => {
        a = (a + 0x6d2b79f5) >>> 0;
        let t = a;
        t = Math.imul(t ^ (t >>> 15), t | 1);
        t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
        return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
}
function plan(count, rand) {
    // Jobs that must succeed get room for attempts used up by SIGKILLs (a recovered lease counts one).
    const roomy = 40;
    return Array.from({ length: count }, (_, i) => {
        switch (i % 5) {
            case 0:
                return {
                    type: 'count',
                    payload: { to: 10 + Math.floor(rand() * 30), stepMs: 20 },
                    maxAttempts: roomy,
                    expect: 'succeeded',
                };
            case 1:
                return { type: 'sleep', payload: { ms: Math.floor(rand() * 400) }, maxAttempts: roomy, expect: 'succeeded' };
            case 2: {
                // One flaky job in three is told to fail more often than it may try.
                if (rand() < 1 / 3) {
                    const maxAttempts = 1 + Math.floor(rand() * 3);
                    return {
                        type: 'flaky',
                        payload: { failTimes: maxAttempts + Math.floor(rand() * 2) },
                        maxAttempts,
                        expect: 'failed',
                    };
                }
                const failTimes = Math.floor(rand() * 3);
                return { type: 'flaky', payload: { failTimes }, maxAttempts: failTimes + roomy, expect: 'succeeded' };
            }
            default:
                return { type: 'echo', payload: { i }, maxAttempts: roomy, expect: 'succeeded' };
        }
    });
}
export async function runChaos({ database, jobs, chaosMs, processes = 3, killEveryMs = [300, 1200], settleTimeoutMs = 120_000, seed = Number(process.env.CHAOS_SEED ?? Date.now() % 2 ** 31), }) {
    assert.ok(database.databaseUrl, 'chaos needs PostgreSQL: several processes share one database');
    const rand = random(seed);
    const context = `(CHAOS_SEED=${seed})`;
    const all = [];
    const live = [];
    const spawn = async () => {
        const server = await spawnServer(database, SERVER_ENV);
        all.push(server);
        return server;
    };
    const kills = [];
    try {
        for (let i = 0; i < processes; i++)
            live.push(await spawn());
        // Enqueue everything through the live processes, in batches, before the chaos starts.
        const planned = plan(jobs, rand);
        const expected = new Map();
        for (let from = 0; from < planned.length; from += 1000) {
            const slice = planned.slice(from, from + 1000);
            const server = live[(from / 1000) % live.length];
            const response = await server.request('/v1/jobs/batch', {
                sub: 'chaos',
                method: 'POST',
                body: JSON.stringify({ jobs: slice.map(({ type, payload, maxAttempts }) => ({ type, payload, maxAttempts })) }),
            });
            assert.equal(response.status, 202, await response.clone().text());
            const body = (await response.json());
            body.jobs.forEach((job, index) => expected.set(job.id, slice[index]));
        }
        assert.equal(expected.size, jobs);
        // The chaos: one random process at a time is signalled, waited for, and replaced.
        const chaosEnds = Date.now() + chaosMs;
        while (Date.now() < chaosEnds) {
            const [min, max] = killEveryMs;
            await sleep(min + rand() * (max - min));
            const index = Math.floor(rand() * live.length);
            const victim = live[index];
            const signal = rand() < 0.5 ? 'SIGTERM' : 'SIGKILL';
            victim.kill(signal);
            const exit = await victim.exited;
            kills.push({ signal, code: exit.code, exitSignal: exit.signal });
            if (signal === 'SIGTERM') {
                assert.equal(exit.code, 0, `a SIGTERMed process exited ${exit.code ?? exit.signal} ${context}\n${victim.rawOutput.slice(-10).join('\n')}`);
            }
            live[index] = await spawn();
        }
        // Every job settles, unaided (the survivors recover the SIGKILLed processes' leases).
        const deadline = Date.now() + settleTimeoutMs;
        let pendingAtChaosEnd;
        for (;;) {
            const pending = await withDatabase(database, async (db) => {
                const [row] = await db.sql `select count(*)::int as n from job_runner.job_runner_jobs where state in ('queued', 'running')`;
                return row.n;
            });
            pendingAtChaosEnd ??= pending;
            if (pending === 0)
                break;
            if (Date.now() > deadline)
                assert.fail(`${pending} jobs still queued or running ${settleTimeoutMs} ms after the chaos ${context}`);
            await sleep(250);
        }
        // Stop the survivors cleanly, so every log line is in.
        for (const server of live)
            server.kill('SIGTERM');
        for (const server of live) {
            const exit = await server.exited;
            assert.equal(exit.code, 0, `a survivor exited ${exit.code ?? exit.signal} on SIGTERM ${context}`);
        }
        const rows = await withDatabase(database, (db) => db.sql `
        select id::text as id, type, state, attempts, max_attempts, interruptions, result, error, finished_at, lease_owner
        from job_runner.job_runner_jobs`);
        assert.equal(rows.length, jobs, `job rows: ${rows.length}, enqueued: ${jobs} ${context}`);
        // Every `job started` line of every process (killed ones included), per job, in time order.
        const starts = new Map();
        let startCount = 0;
        for (const server of all) {
            for (const record of server.logs) {
                if (record.msg !== 'job started')
                    continue;
                const id = String(record.jobId);
                const list = starts.get(id) ?? [];
                list.push(record);
                starts.set(id, list);
                startCount += 1;
            }
        }
        for (const list of starts.values())
            list.sort((a, b) => (a.time ?? 0) - (b.time ?? 0));
        let interruptedCounts = 0;
        for (const row of rows) {
            const want = expected.get(row.id);
            assert.ok(want, `job ${row.id} was never enqueued ${context}`);
            const where = `job ${row.id} (${row.type} ${JSON.stringify(want.payload)}, maxAttempts ${want.maxAttempts}) ${context}`;
            assert.equal(row.state, want.expect, `${where} ended ${row.state} (attempts ${row.attempts}, error ${row.error ?? '-'})`);
            assert.equal(row.lease_owner, null, `${where} is still leased`);
            const runs = starts.get(row.id) ?? [];
            // A process logs through pino's default stdout stream, which writes asynchronously: a SIGKILL
            // loses the lines of its last moments, a `job started` among them. A job may then settle with no
            // line: one that ran there (its outcome written just before the kill), or one whose claim counted
            // its last attempt there and that failed by lease expiry without ever running.
            const sigkilled = kills.some((kill) => kill.signal === 'SIGKILL');
            assert.ok(runs.length > 0 || sigkilled, `${where} settled without a "job started" line`);
            if (row.state === 'succeeded') {
                const finishedAt = row.finished_at.getTime();
                const late = runs.filter((r) => (r.time ?? 0) > finishedAt);
                assert.equal(late.length, 0, `${where} started again after it succeeded at ${row.finished_at.toISOString()}: ${JSON.stringify(late)}`);
            }
            if (row.type === 'count' && row.state === 'succeeded' && runs.length > 0) {
                let previous = null;
                for (const run of runs) {
                    const checkpoint = run.checkpoint;
                    if (previous !== null) {
                        assert.ok(checkpoint, `${where} lost its checkpoint between two runs: ${JSON.stringify(runs)}`);
                        assert.ok(checkpoint.cursor >= previous.cursor && checkpoint.runs >= previous.runs, `${where} checkpoint went backwards: ${JSON.stringify(runs.map((r) => r.checkpoint))}`);
                    }
                    if (checkpoint)
                        previous = checkpoint;
                }
                const last = runs.at(-1).checkpoint;
                if (last) {
                    assert.equal(row.result?.resumedFrom, last.cursor, `${where}: result ${JSON.stringify(row.result)} does not resume from its last start's checkpoint ${JSON.stringify(last)}`);
                    assert.equal(row.result?.runs, last.runs + 1, `${where}: result ${JSON.stringify(row.result)} does not count the runs of checkpoint ${JSON.stringify(last)}`);
                }
                if (row.interruptions > 0) {
                    interruptedCounts += 1;
                    assert.ok((row.result?.runs ?? 0) > 1, `${where} was interrupted ${row.interruptions}× but its result says ${JSON.stringify(row.result)}`);
                }
            }
            if (row.state === 'failed')
                assert.ok(row.attempts >= row.max_attempts, `${where} failed with attempts left`);
        }
        return {
            jobs: rows.length,
            kills,
            starts: startCount,
            interruptedCounts,
            pendingAtChaosEnd: pendingAtChaosEnd ?? 0,
            seed,
        };
    }
    finally {
        await Promise.all(all.map((server) => server.dispose()));
    }
}
//# sourceMappingURL=chaos.js.map