/** The write coalescer behind batched outcomes, group-commit enqueue and coalesced NOTIFYs. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Batcher } from '../../src/support/batcher.js';
function recorder(fail) {
    const calls = [];
    let release;
    let hold = false;
    const write = async (items) => {
        calls.push(items);
        if (hold)
            await new Promise((resolve) => (release = resolve));
        if (fail?.(items))
            throw new Error(`write of ${items.join(',')} failed`);
        return items.map((i) => i * 10);
    };
    return { calls, write, holdNext: () => (hold = true), release: () => ((hold = false), release?.()) };
}
describe('Batcher', () => {
    it('writes items added in the same turn of the event loop as one batch', async () => {
        const r = recorder();
        const batcher = new Batcher(r.write);
        const results = await Promise.all([1, 2, 3].map((i) => batcher.add(i)));
        assert.deepEqual(r.calls, [[1, 2, 3]]);
        assert.deepEqual(results, [
            [10, 20, 30],
            [10, 20, 30],
            [10, 20, 30],
        ]);
        assert.equal(batcher.pending, 0);
    });
    it('gives every item of a batch the same promise, and the next batch another', async () => {
        const r = recorder();
        const batcher = new Batcher(r.write, { maxBatch: 2 });
        const [a, b, c] = [batcher.add(1), batcher.add(2), batcher.add(3)];
        assert.equal(a, b, 'one promise for the batch, not one per item');
        assert.notEqual(b, c, 'a full batch leaves the next item to a new one');
        assert.deepEqual(await Promise.all([a, c]), [[10, 20], [30]]);
    });
    it('gathers items added while a batch is being written into the next one', async () => {
        const r = recorder();
        const batcher = new Batcher(r.write);
        r.holdNext();
        const first = batcher.add(1);
        await new Promise((resolve) => setImmediate(resolve));
        assert.deepEqual(r.calls, [[1]]);
        const later = [batcher.add(2), batcher.add(3)];
        await new Promise((resolve) => setImmediate(resolve));
        assert.deepEqual(r.calls, [[1]], 'nothing more is written while the first batch is in flight');
        assert.equal(batcher.pending, 3);
        r.release();
        await Promise.all([first, ...later]);
        assert.deepEqual(r.calls, [[1], [2, 3]]);
    });
    it('rejects every item of a failed batch, and only those', async () => {
        const r = recorder((items) => items.includes(1));
        const batcher = new Batcher(r.write);
        const failed = [batcher.add(1), batcher.add(2)];
        await Promise.all(failed.map((p) => assert.rejects(p, /write of 1,2 failed/)));
        assert.deepEqual(await batcher.add(3), [30]);
    });
    it('splits batches at maxBatch and keeps up to maxInFlight writes running', async () => {
        const r = recorder();
        const batcher = new Batcher(r.write, { maxBatch: 2, maxInFlight: 2 });
        await Promise.all([1, 2, 3, 4, 5].map((i) => batcher.add(i)));
        assert.deepEqual(r.calls, [[1, 2], [3, 4], [5]]);
    });
    it('writes items sent without a promise with the others, and reports their failed batch once', async () => {
        const errors = [];
        const r = recorder((items) => items.includes(2));
        const batcher = new Batcher(r.write, { onError: (error) => errors.push(error) });
        batcher.send(1);
        assert.deepEqual(await batcher.add(3), [10, 30], 'a sent item travels in the batch of its turn');
        batcher.send(2);
        batcher.send(4);
        await assert.rejects(batcher.add(5), /write of 2,4,5 failed/);
        assert.equal(errors.length, 1);
        assert.match(String(errors[0]), /write of 2,4,5 failed/);
        assert.deepEqual(r.calls, [
            [1, 3],
            [2, 4, 5],
        ]);
    });
    it('turns a write that throws synchronously into rejected items', async () => {
        const batcher = new Batcher(() => {
            throw new Error('sync failure');
        });
        await assert.rejects(batcher.add(1), /sync failure/);
        assert.equal(batcher.pending, 0);
    });
});
//# sourceMappingURL=batcher.test.js.map