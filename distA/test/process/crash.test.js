/**
 * Jobs that take the whole process down, on the real server with job files of the test's own
 * (JOBS_DIR): one whose timer throws (an uncaught exception: the server shuts down and exits 1) and
 * one whose synchronous start blocks the event loop past its lease. In both cases the attempt counts,
 * so a job that crashes its process ends `failed` after `maxAttempts` crashes instead of looping
 * forever, while the other jobs it interrupted keep their attempts and finish after the restarts.
 * And one uncaught exception that is no job's: postgres.js's write to a connection it closed, which
 * the server skips without blaming a job or stopping (src/db/driverFault.ts).
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import { watch } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { connectDatabase } from '../../src/db/connect.js';
import { JobStore } from '../../src/queue/store.js';
import { databaseTargets, embeddedInSoak } from '../support/databases.js';
import { PROJECT_ROOT, enqueueJob, processFixture, readJobRows, waitForJob, } from '../support/process.js';
/** The job files of this suite, importing the compiled `defineJob` (the server runs dist/). */
function jobFiles() {
    const defineJob = JSON.stringify(pathToFileURL(path.join(PROJECT_ROOT, 'dist/jobs/defineJob.js')).href);
    return {
        // Throws from a timer: nothing catches it, so it is an uncaught exception of the process.
        'crash.mjs': `import { defineJob } from ${defineJob}
export default defineJob({
  name: 'crash',
  payloadSchema: { type: 'object', properties: { afterMs: { type: 'integer' } }, required: ['afterMs'] },
  defaults: { maxAttempts: 2 },
  async run({ payload }) {
    await new Promise(() => {
      setTimeout(() => {
        throw new Error('crash test: thrown from a timer')
      }, payload.afterMs)
    })
  },
})
`,
        // Raises, where nothing catches it, the TypeError postgres.js throws when it writes to a connection
        // it closed (src/db/driverFault.ts), with the driver's frame on top; then finishes normally.
        'driverfault.mjs': `import { defineJob } from ${defineJob}
export default defineJob({
  name: 'driverfault',
  payloadSchema: { type: 'object' },
  async run() {
    await new Promise((resolve) => {
      setImmediate(() => {
        setImmediate(resolve)
        const error = new TypeError("Cannot read properties of null (reading 'write')")
        error.stack = error.name + ': ' + error.message +
          '\\n    at Immediate.nextWrite (file:///app/node_modules/postgres/src/connection.js:255:22)' +
          '\\n    at process.processImmediate (node:internal/timers:483:21)'
        throw error
      })
    })
    return 'ran on'
  },
})
`,
        // The shipped count job, cut down: steps with a checkpoint, stops on its token.
        'slowcount.mjs': `import { setTimeout as sleep } from 'node:timers/promises'
import { defineJob } from ${defineJob}
export default defineJob({
  name: 'slowcount',
  payloadSchema: {
    type: 'object',
    properties: { to: { type: 'integer' }, stepMs: { type: 'integer' } },
    required: ['to', 'stepMs'],
  },
  defaults: { maxAttempts: 2 },
  async run({ payload, signal, checkpoint, saveCheckpoint }) {
    const resumedFrom = checkpoint?.cursor ?? 0
    for (let cursor = resumedFrom; cursor < payload.to; ) {
      signal.throwIfAborted()
      await sleep(payload.stepMs, undefined, { signal })
      cursor += 1
      saveCheckpoint({ cursor })
    }
    return { counted: payload.to, resumedFrom }
  },
})
`,
        // On its first attempt, writes a marker file and then holds the event loop for blockMs.
        'block.mjs': `import fs from 'node:fs'
import { defineJob } from ${defineJob}
export default defineJob({
  name: 'block',
  payloadSchema: {
    type: 'object',
    properties: { blockMs: { type: 'integer' }, marker: { type: 'string' } },
    required: ['blockMs', 'marker'],
  },
  defaults: { maxAttempts: 3 },
  async run({ payload, attempt }) {
    if (attempt === 1) {
      fs.writeFileSync(payload.marker, 'blocking')
      const until = Date.now() + payload.blockMs
      while (Date.now() < until) {}
    }
    return { attempt }
  },
})
`,
    };
}
/** Resolves once `file` exists. */
async function fileAppears(file, { timeoutMs = 20_000 } = {}) {
    const watcher = watch(path.dirname(file));
    try {
        const seen = new Promise((resolve) => {
            watcher.on('change', () => void fs.access(file).then(resolve, () => { }));
        });
        if (await fs.access(file).then(() => true, () => false))
            return;
        const late = sleep(timeoutMs, undefined, { ref: false }).then(() => {
            throw new Error(`${file} did not appear within ${timeoutMs} ms`);
        });
        await Promise.race([seen, late]);
    }
    finally {
        watcher.close();
    }
}
function row(rows, id) {
    const found = rows.find((r) => r.id === id);
    assert.ok(found, `job ${id} has a row`);
    return found;
}
let jobsDir;
before(async () => {
    jobsDir = await fs.mkdtemp(path.join(os.tmpdir(), 'job-runner-crash-jobs-'));
    for (const [file, text] of Object.entries(jobFiles()))
        await fs.writeFile(path.join(jobsDir, file), text);
});
after(async () => {
    await fs.rm(jobsDir, { recursive: true, force: true });
});
for (const target of databaseTargets()) {
    describe(`process: jobs that crash or block the process (${target.name})`, { timeout: 120_000 }, () => {
        const fixture = processFixture(target);
        it('fails a job crashing its process after maxAttempts crashes; the job beside it succeeds', async (t) => {
            const inSoak = embeddedInSoak(target, 'the attempt rule of a crash, three server starts');
            if (inSoak)
                return t.skip(inSoak);
            const database = await fixture.createDatabase();
            const env = { JOBS_DIR: jobsDir, SHUTDOWN_GRACE_SECONDS: '5', CHECKPOINT_INTERVAL_SECONDS: '0.1' };
            const first = await fixture.spawn(database, env);
            const slow = await enqueueJob(first, { type: 'slowcount', payload: { to: 80, stepMs: 50 } });
            const stepped = (job) => job.state === 'running' && (job.checkpoint?.cursor ?? 0) > 0;
            await waitForJob(first, slow.id, stepped, { description: 'running with a checkpoint' });
            const crash = await enqueueJob(first, { type: 'crash', payload: { afterMs: 200 } });
            const exits = [];
            exits.push((await first.exited).code);
            const blamed = first.logsMatching('uncaught exception: shutting down');
            assert.equal(blamed.length, 1);
            assert.deepEqual(blamed[0].blamedJobIds, [crash.id], 'the crash is blamed on the job whose file threw');
            let rows = await readJobRows(database);
            const crashed1 = row(rows, crash.id);
            const countsNoInterruption = 'the crashing attempt counts, as no interruption';
            const crashedRow = [crashed1.state, crashed1.attempts, crashed1.interruptions];
            assert.deepEqual(crashedRow, ['queued', 1, 0], countsNoInterruption);
            const slow1 = row(rows, slow.id);
            const refunded = 'the other job was interrupted and refunded';
            assert.deepEqual([slow1.state, slow1.attempts, slow1.interruptions], ['queued', 0, 1], refunded);
            // Restarted, the instance takes both jobs again: the crash job crashes it a second time.
            const second = await fixture.spawn(database, env);
            exits.push((await second.exited).code);
            const blamedAgain = second.logsMatching('uncaught exception: shutting down').map((r) => r.blamedJobIds);
            assert.deepEqual(blamedAgain, [[crash.id]]);
            rows = await readJobRows(database);
            const failed = row(rows, crash.id);
            assert.deepEqual([failed.state, failed.attempts], ['failed', 2]);
            const slowAfter = row(rows, slow.id);
            assert.notEqual(slowAfter.state, 'failed', 'the crashes did not fail the job beside them');
            const expectedAttempts = slowAfter.state === 'succeeded' ? 1 : 0;
            assert.equal(slowAfter.attempts, expectedAttempts, 'its interrupted attempts were refunded');
            // Restarted once more: the failed job stays failed and the instance runs other work normally.
            const third = await fixture.spawn(database, env);
            const done = await waitForJob(third, slow.id, (job) => job.state === 'succeeded', { description: 'succeeded' });
            assert.equal(done.attempts, 1);
            assert.ok(done.interruptions >= 1);
            assert.equal(done.result?.counted, 80);
            const crashed = await waitForJob(third, crash.id, () => true);
            assert.equal(crashed.state, 'failed');
            assert.equal(crashed.attempts, 2);
            assert.match(crashed.error ?? '', /crashed the process: crash test: thrown from a timer/);
            const quick = await enqueueJob(third, { type: 'slowcount', payload: { to: 1, stepMs: 1 } });
            assert.equal((await waitForJob(third, quick.id, (job) => job.state === 'succeeded')).attempts, 1);
            third.kill('SIGTERM');
            exits.push((await third.exited).code);
            assert.deepEqual(exits, [1, 1, 0]);
        });
        it("skips the driver's write to a connection it closed: no job blamed, the process stays up", async () => {
            const database = await fixture.createDatabase();
            const server = await fixture.spawn(database, { JOBS_DIR: jobsDir });
            const job = await enqueueJob(server, { type: 'driverfault', payload: {} });
            const done = await waitForJob(server, job.id, (j) => j.state === 'succeeded', { description: 'succeeded' });
            assert.deepEqual([done.attempts, done.result], [1, 'ran on']);
            assert.equal(server.logsMatching('uncaught exception: shutting down').length, 0);
            assert.equal(server.logsMatching(/the PostgreSQL driver wrote to a connection it had closed/).length, 1);
            server.kill('SIGTERM');
            assert.equal((await server.exited).code, 0);
        });
        it('counts the attempt of a job whose synchronous start blocks the event loop past its lease', target.name === 'pglite'
            ? { skip: 'PGlite is single-process: the test cannot recover leases on the database while the server holds it' }
            : {}, async () => {
            const database = await fixture.createDatabase();
            const server = await fixture.spawn(database, { JOBS_DIR: jobsDir, LEASE_SECONDS: '2' });
            const marker = path.join(database.dataDir, 'blocking');
            // Blocks well past the 2 s lease, yet less than the server's 5 s keep-alive timeout: a longer block
            // lets the idle-socket timer close this client's pooled connection just as its next request is sent.
            // Connected first, so that the row is read as soon as the job's code has started blocking.
            const { databaseUrl, dataDir } = database;
            const db = await connectDatabase({ databaseUrl, dataDir, maxConnections: 1 });
            await db.sql `select 1`;
            const job = await enqueueJob(server, { type: 'block', payload: { blockMs: 3500, marker } });
            await fileAppears(marker);
            // The server is stuck in the job's code: another instance (this process) sweeps the expired lease.
            try {
                const store = new JobStore(db.sql, db.schema);
                const [leased] = await db.sql `
            select lease_expires_at, started_at is not null as started, attempts from job_runner.job_runner_jobs where id = ${job.id}`;
                assert.equal(leased?.started, true, 'the start is written before the code runs');
                assert.ok((leased?.attempts ?? 0) >= 1, 'and its attempt counted with it');
                // On a loaded machine this process may read only after the block ended, when the server's own
                // sweeper has recovered the job (no lease) or its claim has taken it back (attempt 2): the row
                // then no longer shows the blocked run, and only the ending below is checked.
                if (leased.lease_expires_at !== null && leased.attempts === 1) {
                    await sleep(Math.max(0, leased.lease_expires_at.getTime() - Date.now() + 50));
                    const recovered = await store.recoverExpiredLeases();
                    // As an instance's sweeper does: the runners of the queue hear of it (an idle one polls rarely).
                    if (recovered.length > 0)
                        await db.sql `select pg_notify('job_runner_jobsAvailable', 'default')`;
                    if (recovered.length > 0) {
                        assert.deepEqual(recovered, [{ id: job.id, queue: 'default', state: 'queued', attempts: 1 }]);
                        const [swept] = await db.sql `
                select state, attempts, lease_owner from job_runner.job_runner_jobs where id = ${job.id}`;
                        // Queued with its attempt spent; or, when the block ended meanwhile on a loaded machine, already
                        // claimed back by the server (and perhaps finished before this read), the new attempt counted on
                        // top of the blocked one.
                        const counted = swept?.state === 'running' || swept?.state === 'succeeded'
                            ? { state: swept.state, attempts: 2, lease_owner: swept.lease_owner }
                            : { state: 'queued', attempts: 1, lease_owner: null };
                        assert.deepEqual({ ...swept }, counted, 'the blocked attempt counts');
                    }
                }
            }
            finally {
                await db.close();
            }
            assert.ok(server.alive);
            // Unblocked, the job ends succeeded, and the outcome written is that of the claim holding it then:
            // the blocked run's own if its lease was never recovered (attempt 1); otherwise the lease fence
            // refuses the blocked run's outcome (the server's own claim back included: it stops that run) and the
            // job runs again as attempt 2. Never a result of one attempt under the count of another.
            const done = await waitForJob(server, job.id, (j) => j.state === 'succeeded', { description: 'succeeded' });
            assert.deepEqual(done.result, { attempt: done.attempts }, "the outcome written is the counted attempt's");
            server.kill('SIGTERM');
            assert.equal((await server.exited).code, 0);
        });
    });
}
//# sourceMappingURL=crash.test.js.map