/** The full collector: `global.gc` under `--expose-gc`, else turned on here. */
export declare function fullCollector(): () => void;
/** Heap in use after full collections, once finalizers and the weak references they clear have run. */
export declare function settledHeapUsed(gc: () => void): Promise<number>;
