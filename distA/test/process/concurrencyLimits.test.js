/**
 * Concurrency limits across a cluster: three real server processes on one PostgreSQL, each with more
 * slots than the limits, run jobs of a type limited to `perKey: 2, total: 5`. Every run appends its
 * start and end (microsecond wall-clock times, the process id) to one file; replayed in time order,
 * no moment has more than 2 runs of one key or 5 in all, and the runs spread over the instances.
 * (A run's code starts after its claim and ends before its outcome frees its place, so its interval
 * lies inside the time the database counted it.)
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { postgresOnly, skipWithoutPostgres } from '../support/databases.js';
import { PROJECT_ROOT, processFixture, waitForJob } from '../support/process.js';
const PER_KEY = 2;
const TOTAL = 5;
let jobsDir;
before(async () => {
    jobsDir = await fs.mkdtemp(path.join(os.tmpdir(), 'job-runner-limits-jobs-'));
    const defineJob = JSON.stringify(pathToFileURL(path.join(PROJECT_ROOT, 'dist/jobs/defineJob.js')).href);
    await fs.writeFile(path.join(jobsDir, 'tenantwork.mjs'), `import fs from 'node:fs'
import { setTimeout as sleep } from 'node:timers/promises'
import { defineJob } from ${defineJob}
const now = () => (performance.timeOrigin + performance.now()).toFixed(3)
export default defineJob({
  name: 'tenantwork',
  payloadSchema: {
    type: 'object',
    properties: { ms: { type: 'integer' }, key: { type: 'string' }, log: { type: 'string' } },
    required: ['ms', 'key', 'log'],
  },
  concurrency: { perKey: ${PER_KEY}, total: ${TOTAL} },
  async run({ payload, jobId }) {
    fs.appendFileSync(payload.log, 'start ' + now() + ' ' + payload.key + ' ' + process.pid + ' ' + jobId + '\\n')
    await sleep(payload.ms)
    fs.appendFileSync(payload.log, 'end ' + now() + ' ' + payload.key + ' ' + process.pid + ' ' + jobId + '\\n')
    return { ok: true }
  },
})
`);
});
after(async () => {
    await fs.rm(jobsDir, { recursive: true, force: true });
});
/** The most runs at once, in all and per key, replaying the events in time order. */
function maxOverlap(events) {
    const ordered = [...events].sort((a, b) => a.at - b.at || (a.kind === 'end' ? -1 : 1));
    let running = 0;
    let total = 0;
    let perKey = 0;
    const byKey = new Map();
    for (const event of ordered) {
        const delta = event.kind === 'start' ? 1 : -1;
        running += delta;
        const keyCount = (byKey.get(event.key) ?? 0) + delta;
        byKey.set(event.key, keyCount);
        total = Math.max(total, running);
        perKey = Math.max(perKey, keyCount);
    }
    return { total, perKey };
}
const target = postgresOnly();
describe('process: concurrency limits hold across three instances (postgres)', { timeout: 120_000, skip: skipWithoutPostgres() }, () => {
    const fixture = target ? processFixture(target) : undefined;
    it(`never runs more than ${PER_KEY} jobs of a key or ${TOTAL} in all, whatever the instances' slots`, async () => {
        const database = await fixture.createDatabase();
        const log = path.join(jobsDir, 'runs.log');
        const env = { JOBS_DIR: jobsDir, CONCURRENCY: '4' };
        const servers = await Promise.all([0, 1, 2].map(() => fixture.spawn(database, env)));
        const keys = ['tenant-a', 'tenant-b', 'tenant-c', 'tenant-d'];
        const jobs = keys.flatMap((key) => Array.from({ length: 6 }, () => ({ type: 'tenantwork', concurrencyKey: key, payload: { ms: 150, key, log } })));
        const response = await servers[0].request('/v1/jobs/batch', { method: 'POST', body: JSON.stringify({ jobs }) });
        assert.equal(response.status, 202, await response.clone().text());
        const { jobs: enqueued } = (await response.json());
        assert.deepEqual(enqueued.map((j) => j.concurrencyKey), jobs.map((j) => j.concurrencyKey));
        for (const [index, job] of enqueued.entries()) {
            await waitForJob(servers[index % 3], job.id, (j) => j.state === 'succeeded', { timeoutMs: 60_000 });
        }
        const events = (await fs.readFile(log, 'utf8'))
            .trim()
            .split('\n')
            .map((line) => {
            const [kind, at, key, pid] = line.split(' ');
            return { kind: kind, at: Number(at), key: key, pid: pid };
        });
        assert.equal(events.length, jobs.length * 2, 'every job ran once');
        const overlap = maxOverlap(events);
        assert.ok(overlap.perKey <= PER_KEY, `at most ${PER_KEY} runs of one key at once (saw ${overlap.perKey})`);
        assert.ok(overlap.total <= TOTAL, `at most ${TOTAL} runs at once (saw ${overlap.total})`);
        assert.ok(overlap.total > PER_KEY, `runs of several keys overlapped (saw ${overlap.total})`);
        const pids = new Set(events.map((e) => e.pid));
        assert.ok(pids.size >= 2, `the runs spread over the instances (${pids.size} ran jobs)`);
        for (const server of servers)
            server.kill('SIGTERM');
        for (const server of servers)
            assert.equal((await server.exited).code, 0);
    });
});
//# sourceMappingURL=concurrencyLimits.test.js.map