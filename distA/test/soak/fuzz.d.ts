import type { TestService } from '../support/service.js';
export interface FuzzOptions {
    service: TestService;
    runs: number;
    seed?: number;
}
export interface FuzzReport {
    runs: number;
    seed: number;
    statuses: Record<number, number>;
    /** Heap in use (MiB, after a full GC) before and after, when node runs with --expose-gc. */
    heapMiB?: {
        before: number;
        after: number;
    };
}
export declare function runFuzz({ service, runs, seed, }: FuzzOptions): Promise<FuzzReport>;
