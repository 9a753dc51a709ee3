/** A signal joined to several sources: aborts with the first source's reason, and lets go when disposed. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { linkAbortSignals } from '../../src/support/linkedAbortSignal.js';
describe('linked abort signal', () => {
    it('aborts with the reason of whichever source aborts first', () => {
        const shutdown = new AbortController();
        const request = new AbortController();
        const { signal, dispose } = linkAbortSignals([shutdown.signal, request.signal]);
        assert.equal(signal.aborted, false);
        request.abort('client gone');
        assert.equal(signal.aborted, true);
        assert.equal(signal.reason, 'client gone');
        shutdown.abort('shutdown');
        assert.equal(signal.reason, 'client gone');
        dispose();
    });
    it('is aborted at once when a source already is', () => {
        const request = new AbortController();
        request.abort('client gone');
        const { signal } = linkAbortSignals([new AbortController().signal, request.signal]);
        assert.equal(signal.aborted, true);
        assert.equal(signal.reason, 'client gone');
    });
    it('after dispose, a source aborting no longer reaches it, and each source is left with no listener', () => {
        const shutdown = new AbortController();
        let added = 0;
        let removed = 0;
        const source = shutdown.signal;
        const add = source.addEventListener.bind(source);
        const remove = source.removeEventListener.bind(source);
        source.addEventListener = ((...args) => (added++, add(...args)));
        source.removeEventListener = ((...args) => (removed++, remove(...args)));
        const { signal, dispose } = linkAbortSignals([source]);
        dispose();
        dispose();
        shutdown.abort('shutdown');
        assert.equal(signal.aborted, false);
        assert.deepEqual([added, removed], [1, 1]);
    });
});
//# sourceMappingURL=linkedAbortSignal.test.js.map