/**
 * The heap as the memory tests read it (test/routes/longPollMemory.test.ts,
 * eventStreamMemory.test.ts): after full collections, so that what is left is what is still held.
 */
import v8 from 'node:v8';
import vm from 'node:vm';
/** The full collector: `global.gc` under `--expose-gc`, else turned on here. */
export function fullCollector() {
    if (typeof globalThis.gc === 'function')
        return globalThis.gc;
    v8.setFlagsFromString('--expose-gc');
    return vm.runInNewContext('gc');
}
/** Heap in use after full collections, once finalizers and the weak references they clear have run. */
export async function settledHeapUsed(gc) {
    for (let i = 0; i < 3; i++) {
        gc();
        await new Promise((resolve) => setImmediate(resolve));
    }
    return process.memoryUsage().heapUsed;
}
//# sourceMappingURL=heap.js.map