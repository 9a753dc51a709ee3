export interface ServedQueuesConfig {
    /** An instance is live while its heartbeat is younger than this (the lease: heartbeats beat with renewals). */
    liveWithinMs: number;
    freshMs?: number;
    maxStaleMs?: number;
    /** A read that takes longer fails (one timer per read, not per caller). */
    timeoutMs?: number;
}
export interface ServedQueuesSource {
    servedQueues(params: {
        liveWithinMs: number;
    }): Promise<{
        queue: string;
        instances: number;
    }[]>;
}
/** Queue name → number of live instances serving it. */
export type ServedQueueMap = ReadonlyMap<string, number>;
export declare class ServedQueues {
    private readonly config;
    private readonly source;
    private readonly onError;
    private value;
    private readAt;
    private reading;
    private readonly freshMs;
    private readonly maxStaleMs;
    constructor(config: ServedQueuesConfig, source: ServedQueuesSource, onError?: (error: Error) => void);
    /** The served queues, at most `freshMs` old, or up to `maxStaleMs` old while a refresh runs. */
    get(): Promise<ServedQueueMap>;
    /** Forgets the cached answer: the next `get` reads the table (after this instance registers or leaves). */
    invalidate(): void;
    /** One read at a time, whoever asks. */
    private refresh;
    private read;
}
