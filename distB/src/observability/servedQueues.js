/**
 * Which queues some live instance serves, as read from `job_runner_instances`, cached: every job
 * read asks it (a queued job in a queue nobody serves says so), and one query per second or two
 * per process answers them all. A cached answer younger than `freshMs` is used as it is; an older
 * one, up to `maxStaleMs`, is used while a refresh runs in the background, so a read never waits
 * for this query unless the cache is empty or long stale. When the database does not answer, the
 * last answer stands, however old; with none at all, `get` rejects (within `timeoutMs`).
 */
import { coerceError } from '../log.js';
import { withTimeout } from '../support/withTimeout.js';
export class ServedQueues {
    config;
    source;
    onError;
    value;
    readAt = 0;
    reading;
    freshMs;
    maxStaleMs;
    constructor(config, source, onError = () => { }) {
        this.config = config;
        this.source = source;
        this.onError = onError;
        this.freshMs = config.freshMs ?? 1000;
        this.maxStaleMs = config.maxStaleMs ?? 2000;
    }
    /** The served queues, at most `freshMs` old, or up to `maxStaleMs` old while a refresh runs. */
    get() {
        const age = Date.now() - this.readAt;
        if (this.value !== undefined && age < this.freshMs)
            return Promise.resolve(this.value);
        const refresh = this.refresh();
        if (this.value !== undefined && age < this.maxStaleMs) {
            // The background refresh reports its own failure; the stale answer stands meanwhile.
            refresh.catch((error) => this.onError(coerceError(error)));
            return Promise.resolve(this.value);
        }
        const known = this.value;
        if (known === undefined)
            return refresh;
        return refresh.catch((error) => {
            this.onError(coerceError(error));
            return known;
        });
    }
    /** Forgets the cached answer: the next `get` reads the table (after this instance registers or leaves). */
    invalidate() {
        this.readAt = 0;
    }
    /** One read at a time, whoever asks. */
    refresh() {
        return (this.reading ??= this.read().finally(() => (this.reading = undefined)));
    }
    async read() {
        const timeoutMs = this.config.timeoutMs ?? 2000;
        // STORE_TIMEOUT, as the job service's own deadlines: the app answers it 503 with Retry-After.
        const timedOut = () => {
            const error = new Error(`the served-queues read did not answer within ${timeoutMs} ms`);
            return Object.assign(error, { code: 'STORE_TIMEOUT' });
        };
        const rows = await withTimeout(this.source.servedQueues({ liveWithinMs: this.config.liveWithinMs }), timeoutMs, timedOut);
        this.value = new Map(rows.map((r) => [r.queue, r.instances]));
        this.readAt = Date.now();
        return this.value;
    }
}
//# sourceMappingURL=servedQueues.js.map