export declare class Periodic {
    readonly name: string;
    private readonly intervalMs;
    private readonly task;
    private readonly onError;
    private timer;
    private running;
    private active;
    private stopped;
    /** The wait the last run asked for, if it asked. */
    private nextWaitMs;
    constructor(name: string, intervalMs: number, task: (signal: AbortSignal) => Promise<number | void>, onError: (error: Error) => void);
    start(): void;
    /** Runs the task now (waiting for a run in progress first). */
    runNow(): Promise<void>;
    /** Stops scheduling and waits for a run in progress. Safe to call twice. */
    stop(): Promise<void>;
    private schedule;
}
