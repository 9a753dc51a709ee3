/**
 * What this instance knows of the cluster's pauses (`job_runner_pauses`): the queues and job types no
 * instance may claim from. The runner leaves them out of its claims and hands back what it claimed
 * before it heard of a pause; the job view says `paused` of their queued jobs.
 *
 * The stored rows are the truth; this board follows them. A pause or a resume made on any instance
 * publishes `pausesChanged` (over NOTIFY where the database carries it), and every board reads the
 * table again at once. It also reads it when its LISTEN connection comes back (what was said
 * meanwhile was lost), and every `refreshMs`, so that a NOTIFY that failed after its pause was
 * stored delays the pause but never loses it (as lease renewals read cancel flags behind
 * `cancelRequested`). Where NOTIFY carries the pauses that read is only that net, every 10 s;
 * where it does not (LISTEN off behind PgBouncer), the reads are how pauses arrive, every 2 s.
 * Listeners hear every pause that is new or changed mode since the last read.
 */
import { Periodic } from '../support/periodic.js';
const REFRESH_MS_HEARD = 10_000;
const REFRESH_MS_UNHEARD = 2000;
export class PauseBoard {
    deps;
    queues = new Map();
    types = new Map();
    listeners = new Set();
    periodic;
    unsubscribe;
    stopResyncs;
    reading;
    readAgain = false;
    constructor(deps, { refreshMs } = {}) {
        this.deps = deps;
        refreshMs ??= deps.notifier.hearsOtherInstances ? REFRESH_MS_HEARD : REFRESH_MS_UNHEARD;
        this.periodic = new Periodic('pause refresh', refreshMs, () => this.refresh(), deps.onError);
    }
    /** Reads the pauses, then follows them. Safe to call twice. */
    async start() {
        const readAgain = () => {
            this.refresh().catch(this.deps.onError);
        };
        this.unsubscribe ??= this.deps.notifier.subscribe('pausesChanged', readAgain);
        this.stopResyncs ??= this.deps.notifier.onResync(readAgain);
        this.periodic.start();
        await this.refresh();
    }
    async stop() {
        this.unsubscribe?.();
        this.unsubscribe = undefined;
        this.stopResyncs?.();
        this.stopResyncs = undefined;
        await this.periodic.stop();
    }
    /** The queues paused now (the runner claims from the others). */
    get pausedQueues() {
        return new Set(this.queues.keys());
    }
    /** The job types paused now. */
    get pausedTypes() {
        return [...this.types.keys()];
    }
    get isEmpty() {
        return this.queues.size === 0 && this.types.size === 0;
    }
    /** The pause that holds `job` (its type's first, then its queue's), or undefined. */
    modeFor(job) {
        if (this.isEmpty)
            return undefined;
        return this.types.get(job.type) ?? this.queues.get(job.queue);
    }
    /** Calls `listener` after each read that found pauses new (or changed mode) or gone. */
    onChange(listener) {
        this.listeners.add(listener);
        return () => this.listeners.delete(listener);
    }
    /** Reads the table now; a read asked for during one runs once more after it, so no change is missed. */
    refresh() {
        if (this.reading) {
            this.readAgain = true;
            return this.reading;
        }
        this.reading = (async () => {
            try {
                do {
                    this.readAgain = false;
                    this.apply(await this.deps.store.listPauses());
                } while (this.readAgain);
            }
            finally {
                this.reading = undefined;
            }
        })();
        return this.reading;
    }
    apply(pauses) {
        const queues = new Map();
        const types = new Map();
        const added = [];
        for (const pause of pauses) {
            const [now, before] = pause.kind === 'queue' ? [queues, this.queues] : [types, this.types];
            now.set(pause.name, pause.mode);
            if (before.get(pause.name) !== pause.mode)
                added.push(pause);
        }
        const resumed = [...this.queues.keys()].some((name) => !queues.has(name)) ||
            [...this.types.keys()].some((name) => !types.has(name));
        this.queues = queues;
        this.types = types;
        if (added.length > 0 || resumed)
            for (const listener of this.listeners)
                listener({ added, resumed });
    }
}
//# sourceMappingURL=pauses.js.map