/**
 * `startService` as the package exports it (`import { startService } from 'job-runner'`): a program
 * runs the service inside itself with its own job definitions and configuration, calls it through
 * job-runner/client, and stops it with `stop()`, which does not exit the process. The host observes
 * the lifecycle through `on()`: every move once, in order, with the stop's report, while a listener
 * that throws or rejects is logged and changes nothing.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createClient, mintToken } from '../../src/client/index.js';
import { defineJob, startService } from '../../src/index.js';
import { databaseTargets, onceSkip } from '../support/databases.js';
import { captureLogs } from '../support/logs.js';
import { TEST_SECRET } from '../support/service.js';
const double = defineJob({
    name: 'double',
    payloadSchema: { type: 'object', properties: { n: { type: 'number' } }, required: ['n'] },
    async run({ payload }) {
        return { doubled: payload.n * 2 };
    },
});
for (const target of databaseTargets()) {
    describe(`startService (${target.name})`, { skip: onceSkip(target, 'the package entry, not the database') }, () => {
        let database;
        let service;
        const logs = captureLogs('info');
        const states = [];
        const stops = [];
        before(async () => {
            database = await target.create();
            service = await startService({
                jobs: [double],
                env: { ...database.env, PORT: '0', HOST: '127.0.0.1', JWT_SECRET: TEST_SECRET, SHUTDOWN_GRACE_SECONDS: '5' },
                log: logs.log,
            });
            // Listeners that fail come first: the ones after them still hear every event.
            service.on('lifecycle:state', () => {
                throw new Error('host listener throws');
            });
            service.on('lifecycle:state', () => Promise.reject(new Error('host listener rejects')));
            service.on('lifecycle:state', ({ state }) => states.push(state));
            service.on('lifecycle:stopped', (stopped) => stops.push(stopped));
        });
        after(async () => {
            await service?.stop();
            await database?.cleanup();
        });
        it('runs the given jobs, answers the client, and stops without exiting', async () => {
            const jobs = createClient({
                url: service.url,
                token: () => mintToken({ secret: TEST_SECRET, sub: 'embedder', scopes: ['jobs:write', 'jobs:read'] }),
            });
            const job = await jobs.enqueue('double', { n: 21 });
            assert.deepEqual((await jobs.wait(job.id)).result, { doubled: 42 });
            await service.lifecycle.drain('test drain');
            await service.lifecycle.resume('test resume');
            await service.stop('test');
            assert.equal(service.lifecycle.state, 'exited');
            assert.equal(service.stop(), service.stop(), 'the same promise when called again');
            assert.deepEqual(states, ['draining', 'drained', 'running', 'stopping', 'exited']);
            assert.deepEqual(stops, [
                { report: { released: [], interrupted: [], abandoned: [], unwritten: [] }, exitCode: 0 },
            ]);
            // Each move's throw and rejection, logged (a rejection a microtask later).
            await new Promise((resolve) => setImmediate(resolve));
            const failures = logs.records().filter((r) => r.msg === 'a lifecycle listener of the host program failed');
            assert.equal(failures.length, 10, JSON.stringify(failures));
        });
    });
}
//# sourceMappingURL=embed.test.js.map