/** The shared signals (shutdown, stop deadline) take many listeners without Node's leak warning. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { sharedAbortController } from '../../src/support/sharedAbortController.js';
async function leakWarningsWhile(add) {
    const warnings = [];
    const onWarning = (warning) => warnings.push(warning);
    process.on('warning', onWarning);
    try {
        add();
        // Process warnings are emitted on a later tick.
        await new Promise((resolve) => setImmediate(resolve));
        return warnings.filter((w) => w.name === 'MaxListenersExceededWarning');
    }
    finally {
        process.off('warning', onWarning);
    }
}
describe('shared abort controller', () => {
    it('takes fifty listeners on its signal without a leak warning, where a plain one warns at eleven', async () => {
        const plain = new AbortController();
        const warned = await leakWarningsWhile(() => {
            for (let i = 0; i < 11; i++)
                plain.signal.addEventListener('abort', () => { });
        });
        assert.equal(warned.length, 1, 'the warning this guards against is seen by the test');
        const shared = sharedAbortController();
        assert.deepEqual(await leakWarningsWhile(() => {
            for (let i = 0; i < 50; i++)
                shared.signal.addEventListener('abort', () => { });
        }), []);
        shared.abort('shutdown');
        assert.equal(shared.signal.reason, 'shutdown');
    });
});
//# sourceMappingURL=sharedAbortController.test.js.map