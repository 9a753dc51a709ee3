/**
 * Event streams leave nothing behind: connect/disconnect cycles of `GET /v1/jobs/{id}/events` through
 * the real route and a real database (each stream opened, its first event read, then dropped by the
 * client), and the heap is back within 2.5 MiB of where it started, with no stream left in the hub
 * and every caller's quota free. The 10,000 cycles run under `npm run soak` (SOAK=long);
 * `npm test` runs a 2,000-cycle smoke of the same path (a leak of over 1.3 KiB a stream still shows).
 * As in longPollMemory.test.ts, requests go in-process through `app.request` (no sockets) and the
 * heap is read after full collections.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { databaseTargets } from '../support/databases.js';
import { fullCollector, settledHeapUsed } from '../support/heap.js';
import { enqueue } from '../support/http.js';
import { startTestService } from '../support/service.js';
const CYCLES = process.env.SOAK === 'long' ? 10_000 : 2_000;
const WARM_UP = CYCLES / 10;
const IN_FLIGHT = 20;
const MIB = 1024 * 1024;
const HEAP_BOUND = 2.5 * MIB;
// One database, as for long-polls: what could leak sits in the route and the hub, which never know
// which database runs.
for (const target of databaseTargets().slice(-1)) {
    describe(`event stream memory (${target.name})`, () => {
        let database;
        let service;
        before(async () => {
            database = await target.create();
            // Direct, never through the run's PgBouncer (test/support/databases.ts, `directEnv`).
            service = await startTestService(database, {
                ...database.directEnv,
                LOG_LEVEL: 'warn',
                EVENT_STREAMS_PER_OWNER: '100',
            });
        });
        after(async () => {
            await service?.close();
            await database?.cleanup();
        });
        it(`${CYCLES} connect/disconnect cycles: the heap is back within 2.5 MiB`, { timeout: 600_000 }, async (t) => {
            const gc = fullCollector();
            // A queue no instance serves: the job stays queued and its stream stays open until dropped.
            const job = await enqueue(service, { type: 'echo', queue: 'nobody' });
            const authorization = `Bearer ${await service.token()}`;
            const cycle = async () => {
                const response = await service.app.request(`/v1/jobs/${job.id}/events`, { headers: { authorization } });
                assert.equal(response.status, 200);
                const reader = response.body.getReader();
                const { value } = await reader.read();
                assert.match(new TextDecoder().decode(value), /^event: state\n/);
                await reader.cancel();
            };
            const cycles = async (count) => {
                let next = 0;
                const worker = async () => {
                    while (next < count) {
                        next++;
                        await cycle();
                    }
                };
                await Promise.all(Array.from({ length: IN_FLIGHT }, worker));
            };
            await cycles(WARM_UP);
            const before = await settledHeapUsed(gc);
            await cycles(CYCLES);
            const grown = (await settledHeapUsed(gc)) - before;
            t.diagnostic(`heap after ${CYCLES} cycles: ${(grown / MIB).toFixed(2)} MiB from where it started`);
            assert.equal(service.eventHub.size, 0);
            // Every quota slot came back: the caller may open its full quota again.
            const open = await Promise.all(Array.from({ length: 100 }, () => service.app.request(`/v1/jobs/${job.id}/events`, { headers: { authorization } })));
            assert.deepEqual(new Set(open.map((r) => r.status)), new Set([200]));
            for (const response of open)
                await response.body.cancel();
            assert.ok(grown < HEAP_BOUND, `the heap grew by ${(grown / MIB).toFixed(1)} MiB over ${CYCLES} cycles`);
        });
    });
}
//# sourceMappingURL=eventStreamMemory.test.js.map