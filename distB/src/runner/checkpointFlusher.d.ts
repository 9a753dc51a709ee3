import type { JobExecution } from './jobExecution.js';
export interface CheckpointFlusherConfig {
    intervalMs: number;
}
export interface CheckpointFlusherDependencies {
    executions: () => Iterable<JobExecution>;
    /** Writes the given executions' checkpoints (shared with a job's own `flush()`). */
    write: (executions: readonly JobExecution[]) => Promise<void>;
    onError: (error: Error) => void;
}
export declare class CheckpointFlusher {
    private readonly deps;
    private readonly periodic;
    constructor(config: CheckpointFlusherConfig, deps: CheckpointFlusherDependencies);
    start(): void;
    stop(): Promise<void>;
    private flush;
}
