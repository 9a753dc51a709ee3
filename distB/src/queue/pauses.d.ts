import type { Notifier } from './notifier.js';
import type { Pause, PauseMode, PauseStore } from './pauseStore.js';
/** What a read of the table changed: pauses new or changed, and whether any pause ended. */
export interface PauseChange {
    added: readonly Pause[];
    resumed: boolean;
}
export interface PauseBoardConfig {
    /** How often the table is read without a notification. Default: 10 s where NOTIFY carries other instances' pauses, 2 s where not. */
    refreshMs?: number;
}
export declare class PauseBoard {
    private readonly deps;
    private queues;
    private types;
    private readonly listeners;
    private readonly periodic;
    private unsubscribe;
    private stopResyncs;
    private reading;
    private readAgain;
    constructor(deps: {
        store: Pick<PauseStore, 'listPauses'>;
        notifier: Pick<Notifier, 'subscribe' | 'onResync' | 'hearsOtherInstances'>;
        onError: (error: Error) => void;
    }, { refreshMs }?: PauseBoardConfig);
    /** Reads the pauses, then follows them. Safe to call twice. */
    start(): Promise<void>;
    stop(): Promise<void>;
    /** The queues paused now (the runner claims from the others). */
    get pausedQueues(): ReadonlySet<string>;
    /** The job types paused now. */
    get pausedTypes(): readonly string[];
    get isEmpty(): boolean;
    /** The pause that holds `job` (its type's first, then its queue's), or undefined. */
    modeFor(job: {
        queue: string;
        type: string;
    }): PauseMode | undefined;
    /** Calls `listener` after each read that found pauses new (or changed mode) or gone. */
    onChange(listener: (change: PauseChange) => void): () => void;
    /** Reads the table now; a read asked for during one runs once more after it, so no change is missed. */
    refresh(): Promise<void>;
    private apply;
}
