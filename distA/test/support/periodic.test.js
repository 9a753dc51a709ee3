/**
 * The background task runner of the lease keeper, sweeper, flusher and pruner: a stop aborts the
 * signal of the run in progress and waits for it; a start after a stop gives runs a fresh signal; a
 * task that resolves to a number waits that long before its next run, and one that resolves to
 * nothing or throws waits the interval.
 */
import { describe, it } from 'node:test';
import { setImmediate as turn } from 'node:timers/promises';
import assert from 'node:assert/strict';
import { Periodic } from '../../src/support/periodic.js';
describe('Periodic', () => {
    it('aborts the running task on stop, waits for it to end, and starts again with a signal not aborted', async () => {
        // Its timer does not keep the process alive (unref): this one does, for the test.
        const keepAlive = setInterval(() => { }, 1000);
        const signals = [];
        let running;
        let isRunning = new Promise((resolve) => (running = resolve));
        let ended = false;
        const periodic = new Periodic('test', 1, async (signal) => {
            signals.push(signal);
            running();
            if (!signal.aborted)
                await new Promise((resolve) => signal.addEventListener('abort', resolve, { once: true }));
            ended = true;
        }, (error) => assert.fail(error));
        periodic.start();
        await isRunning;
        assert.equal(signals[0].aborted, false);
        await periodic.stop();
        assert.ok(ended, 'stop waited for the run to end');
        assert.equal(signals[0].aborted, true);
        ended = false;
        isRunning = new Promise((resolve) => (running = resolve));
        periodic.start();
        await isRunning;
        assert.equal(signals[1].aborted, false, 'a new start, a new signal');
        await periodic.stop();
        assert.ok(ended);
        clearInterval(keepAlive);
    });
    it('waits before the next run what the task resolved to, or the interval', async (t) => {
        t.mock.timers.enable({ apis: ['setTimeout'] });
        let now = 0;
        const runs = [];
        const answers = [50, undefined, new Error('down'), 30];
        const periodic = new Periodic('paced', 10, () => {
            runs.push(now);
            const answer = answers.shift();
            return answer instanceof Error ? Promise.reject(answer) : Promise.resolve(answer);
        }, () => { });
        periodic.start();
        for (; now < 120;) {
            now += 1;
            t.mock.timers.tick(1);
            await turn();
            await turn();
        }
        await periodic.stop();
        // 10 (the interval), then 50 asked, 10 (nothing asked), 10 (it threw), 30 asked, 10 (nothing).
        assert.deepEqual(runs, [10, 60, 70, 80, 110, 120]);
    });
});
//# sourceMappingURL=periodic.test.js.map