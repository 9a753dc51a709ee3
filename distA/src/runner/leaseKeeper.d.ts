/**
 * Keeps this instance's leases alive: every `intervalMs` one statement extends the lease of every
 * job the instance holds (running, settling with its outcome being written, or claimed and waiting
 * to start) and beats its heartbeat.
 * The answer doubles as two fallbacks: a cancel or pause flag set while a NOTIFY was lost reaches the job
 * here, and a job missing from the answer was recovered by another instance (this one stalled past
 * its lease), so its run here is stopped, or, if it was still waiting, it is forgotten.
 */
import type { Logger } from 'pino';
import type { JobStore } from '../queue/store.js';
import type { JobExecution } from './jobExecution.js';
import type { Waiting } from './localQueue.js';
export interface LeaseKeeperConfig {
    instanceId: string;
    leaseMs: number;
    /** Default: a third of the lease, so two renewals can fail before it expires. */
    intervalMs?: number;
}
export interface LeaseKeeperDependencies {
    store: JobStore;
    executions: () => Iterable<JobExecution>;
    /** Jobs that settled and whose outcome is still being written: their lease must hold until it lands. */
    settling: () => Iterable<string>;
    /** Claimed jobs whose code has not run yet, with their claim times. */
    waiting: () => Iterable<Waiting>;
    /** Forgets a waiting job whose lease another instance recovered. */
    dropWaiting: (id: string) => void;
    /** Cancels a claimed job, running or waiting. */
    cancel: (id: string) => void;
    /** Pauses a claimed job, running or waiting (`POST /v1/jobs/{id}/pause`). */
    pause: (id: string) => void;
    log: Logger;
    onError: (error: Error) => void;
}
export declare class LeaseKeeper {
    private readonly config;
    private readonly deps;
    private readonly periodic;
    constructor(config: LeaseKeeperConfig, deps: LeaseKeeperDependencies);
    start(): void;
    stop(): Promise<void>;
    private renew;
}
