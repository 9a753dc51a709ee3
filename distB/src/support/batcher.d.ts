/**
 * Coalesces writes that arrive close together into one call: items added during the same turn of
 * the event loop — and, under load, while the previous batch is still being written — are handed
 * to `write` together, and every `add` resolves (or rejects) with the result of its batch.
 *
 * Nothing is held back on a timer: a batch is written at the next `setImmediate` unless
 * `maxInFlight` writes are already running, in which case it is written as soon as one of them
 * ends. So an idle system pays no added latency, and a busy one writes one statement for many
 * jobs. Callers await their own `add`, so whoever waits for those promises (the runner's stop)
 * also waits for the batch that carries them: nothing added is ever dropped.
 */
export interface BatcherOptions {
    /** Largest batch handed to `write`; more items wait for the next batch. */
    maxBatch?: number;
    /** Batches written at the same time. */
    maxInFlight?: number;
    /** Hears the failure of a batch that carried items added with `send` (which no caller awaits). */
    onError?: (error: unknown) => void;
}
export declare class Batcher<T, R> {
    private readonly write;
    /** Batches waiting to be written, oldest first, none empty; only the last one still takes items. */
    private waiting;
    private inFlight;
    private scheduled;
    private readonly maxBatch;
    private readonly maxInFlight;
    private readonly onError;
    constructor(write: (items: T[]) => Promise<R>, { maxBatch, maxInFlight, onError }?: BatcherOptions);
    /** Items waiting for a batch or being written. */
    get pending(): number;
    /** Resolves (or rejects) with the result of the batch that carries `item`. */
    add(item: T): Promise<R>;
    /**
     * Adds an item nobody waits for (a best-effort write on the hot path): no promise is made for it,
     * and a failure of its batch goes to `onError`, once per batch.
     */
    send(item: T): void;
    /** The batch `item` joined: the last waiting one, or a new one when that is full. */
    private open;
    private schedule;
    private flush;
}
