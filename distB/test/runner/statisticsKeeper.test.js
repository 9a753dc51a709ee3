/**
 * The statistics keeper's pace (src/runner/statisticsKeeper.ts), on node:test's mock clock: a look
 * that analyzed a table brings the next one back to `intervalMs`; looks that find nothing double the
 * wait up to `maxIntervalMs`; a failed look is reported and backs off too; `stop` ends the looks.
 * What a look does to the database is JobStore.refreshStatistics's, tested on both databases in
 * test/queue/store.test.ts.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { setImmediate as turn } from 'node:timers/promises';
import { StatisticsKeeper } from '../../src/runner/statisticsKeeper.js';
describe('StatisticsKeeper', () => {
    it('looks again soon after an ANALYZE and backs off while the tables keep their size', async (t) => {
        t.mock.timers.enable({ apis: ['setTimeout'] });
        let now = 0;
        const looks = [];
        const errors = [];
        const answers = [[], [], [], ['job_runner_jobs'], new Error('connection lost'), []];
        const keeper = new StatisticsKeeper({ intervalMs: 10, maxIntervalMs: 40 }, {
            store: {
                refreshStatistics: () => {
                    looks.push(now);
                    const answer = answers.shift() ?? [];
                    return answer instanceof Error ? Promise.reject(answer) : Promise.resolve(answer);
                },
            },
            onError: (error) => errors.push(error),
        });
        keeper.start();
        for (; now < 200;) {
            now += 1;
            t.mock.timers.tick(1);
            // The look's answer and the next timer come in later turns of the event loop.
            await turn();
            await turn();
        }
        await keeper.stop();
        // 10, then 20, 40, 40 (the most) with nothing to do; after the ANALYZE 10 again; after the
        // failure 20; then 40.
        assert.deepEqual(looks.slice(0, 7), [10, 30, 70, 110, 120, 140, 180]);
        assert.deepEqual(errors.map((e) => e.message), ['connection lost']);
        const after = looks.length;
        now += 100;
        t.mock.timers.tick(100);
        await turn();
        assert.equal(looks.length, after, 'no look after stop');
    });
});
//# sourceMappingURL=statisticsKeeper.test.js.map