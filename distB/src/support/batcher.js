export class Batcher {
    write;
    /** Batches waiting to be written, oldest first, none empty; only the last one still takes items. */
    waiting = [];
    inFlight = 0;
    scheduled = false;
    maxBatch;
    maxInFlight;
    onError;
    constructor(write, { maxBatch = 1000, maxInFlight = 1, onError = () => { } } = {}) {
        this.write = write;
        this.maxBatch = maxBatch;
        this.maxInFlight = maxInFlight;
        this.onError = onError;
    }
    /** Items waiting for a batch or being written. */
    get pending() {
        return this.waiting.reduce((items, batch) => items + batch.items.length, 0) + this.inFlight;
    }
    /** Resolves (or rejects) with the result of the batch that carries `item`. */
    add(item) {
        const batch = this.open(item);
        batch.written ??= new Promise((resolve, reject) => {
            batch.resolve = resolve;
            batch.reject = reject;
        });
        this.schedule();
        return batch.written;
    }
    /**
     * Adds an item nobody waits for (a best-effort write on the hot path): no promise is made for it,
     * and a failure of its batch goes to `onError`, once per batch.
     */
    send(item) {
        this.open(item).unheard = true;
        this.schedule();
    }
    /** The batch `item` joined: the last waiting one, or a new one when that is full. */
    open(item) {
        let batch = this.waiting.at(-1);
        if (!batch || batch.items.length >= this.maxBatch) {
            batch = { items: [], written: undefined, resolve: noop, reject: noop, unheard: false };
            this.waiting.push(batch);
        }
        batch.items.push(item);
        return batch;
    }
    schedule() {
        if (this.scheduled || this.waiting.length === 0 || this.inFlight >= this.maxInFlight)
            return;
        this.scheduled = true;
        setImmediate(() => {
            this.scheduled = false;
            this.flush();
        });
    }
    flush() {
        while (this.waiting.length > 0 && this.inFlight < this.maxInFlight) {
            const batch = this.waiting.shift();
            this.inFlight += 1;
            let written;
            try {
                written = this.write(batch.items);
            }
            catch (error) {
                written = Promise.reject(error);
            }
            written
                .then(batch.resolve, (error) => {
                batch.reject(error);
                if (batch.unheard)
                    this.onError(error);
            })
                .finally(() => {
                this.inFlight -= 1;
                this.schedule();
            });
        }
    }
}
const noop = () => { };
//# sourceMappingURL=batcher.js.map