/**
 * Long-polls (`GET /v1/jobs/{id}?wait=N`) leave nothing behind: 100,000 of them through the real
 * route and a real database, and the heap is back within 5 MiB of where it started (issue 16). Each
 * request reaches the wait with the current ETag and a client that has already hung up, so the wait
 * joins the shutdown signal and ends at once (304).
 *
 * Requests go in-process through `app.request`: no sockets, so the 100,000 take seconds, not minutes.
 * The heap is read after full collections; without `--expose-gc` the test turns the flag on itself.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { databaseTargets } from '../support/databases.js';
import { fullCollector, settledHeapUsed } from '../support/heap.js';
import { enqueue } from '../support/http.js';
import { startTestService } from '../support/service.js';
/**
 * The 100,000 under `npm run soak` (SOAK=long), which is what catches the old leak (about
 * 1.3 MiB per 25,000, under the bound below at any count CI could afford). `npm test` runs a smoke of
 * the same path: 5,000, enough to show the route and the heap check work.
 */
const LONG_POLLS = process.env.SOAK === 'long' ? 100_000 : 5_000;
/** Requests in flight at once: under the per-owner long-poll limit (50). */
const IN_FLIGHT = 40;
const MIB = 1024 * 1024;
/**
 * Issue 16 asks for the heap back within 5 MiB. The leak this guards against (one entry on the shutdown
 * signal per request) is itself about 5 MiB per 100,000 requests on Node 20, so half that bound is what
 * tells a leak from the heap's noise (under 1 MiB either way).
 */
const HEAP_BOUND = 2.5 * MIB;
// One database: the leak sat in the route, which never knows which database runs, and 100,000 requests
// take a minute or more (several on a loaded machine). PostgreSQL when TEST_DATABASE_URL is set (the
// faster of the two here), else PGlite.
for (const target of databaseTargets().slice(-1)) {
    describe(`long-poll memory (${target.name})`, () => {
        let database;
        let service;
        before(async () => {
            database = await target.create();
            // Quiet logs: the capture would otherwise keep a line per request. Direct, never through the
            // run's PgBouncer: through it, 40 requests in flight on a loaded machine pass the store's
            // timeout (test/support/databases.ts, `directEnv`).
            service = await startTestService(database, { ...database.directEnv, LOG_LEVEL: 'warn' });
        });
        after(async () => {
            await service?.close();
            await database?.cleanup();
        });
        it(`${LONG_POLLS} long-polls: the heap is back within 5 MiB`, { timeout: 1_200_000 }, async (t) => {
            const gc = fullCollector();
            // A queue no instance serves: the job stays queued, so its ETag holds still.
            const job = await enqueue(service, { type: 'echo', queue: 'nobody' });
            const authorization = `Bearer ${await service.token()}`;
            const first = await service.request(`/v1/jobs/${job.id}`);
            await first.arrayBuffer();
            const etag = first.headers.get('etag');
            const gone = new AbortController();
            gone.abort();
            const longPoll = async () => {
                const response = await service.app.request(`/v1/jobs/${job.id}?wait=1`, {
                    headers: { authorization, 'if-none-match': etag },
                    signal: gone.signal,
                });
                assert.equal(response.status, 304);
            };
            const longPolls = async (count) => {
                let next = 0;
                const worker = async () => {
                    while (next < count) {
                        next++;
                        await longPoll();
                    }
                };
                await Promise.all(Array.from({ length: IN_FLIGHT }, worker));
            };
            await longPolls(2_000); // warm up: caches, compiled code, pools
            const before = await settledHeapUsed(gc);
            await longPolls(LONG_POLLS);
            const grown = (await settledHeapUsed(gc)) - before;
            t.diagnostic(`heap after ${LONG_POLLS} long-polls: ${(grown / MIB).toFixed(2)} MiB from where it started`);
            assert.ok(grown < HEAP_BOUND, `the heap grew by ${(grown / MIB).toFixed(1)} MiB over ${LONG_POLLS} long-polls`);
        });
    });
}
//# sourceMappingURL=longPollMemory.test.js.map