/**
 * Recovers jobs whose runner vanished (a crash, SIGKILL, a lost network): the instances take turns
 * looking for expired leases, the cluster about once every `intervalMs` (each instance every N
 * intervals, N the live instances: src/runner/clusterPace.ts), and put those jobs back in the queue
 * (or fail them on their last attempt). Often enough that a dead instance's jobs run again within
 * about a second or two of the lease expiring; SKIP LOCKED keeps sweeps that meet from waiting on each
 * other. Its sweeps also count the live instances again, forgetting those silent for long.
 */
import type { Logger } from 'pino';
import type { JobStore } from '../queue/store.js';
import type { ClusterPace } from './clusterPace.js';
export interface LeaseSweeperConfig {
    leaseMs: number;
    /** Default: half the lease, at most a second. */
    intervalMs?: number;
}
export interface LeaseSweeperDependencies {
    store: JobStore;
    pace: ClusterPace;
    log: Logger;
    /** The jobs recovered, each with its queue and the attempts its row kept (a lost lease counts the attempt). */
    onRecovered: (jobs: readonly {
        id: string;
        queue: string;
        attempts: number;
    }[]) => void;
    onError: (error: Error) => void;
}
export declare class LeaseSweeper {
    private readonly deps;
    private readonly periodic;
    private readonly intervalMs;
    constructor(config: LeaseSweeperConfig, deps: LeaseSweeperDependencies);
    start(): void;
    stop(): Promise<void>;
    /** Resolves to the wait before the next sweep. */
    private sweep;
}
