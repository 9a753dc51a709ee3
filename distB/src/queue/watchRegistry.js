/**
 * Which jobs someone watches, here and on the other instances, so that a job's change notices
 * (`jobChanged`, `jobLogged`, live progress) go to the other instances only when one of them has a
 * watcher for it: a `?wait` long-poll or an event stream of that job, or a stream of many jobs
 * (`GET /v1/events`), which watches them all (`*`). The reason is PostgreSQL's: a NOTIFY signals
 * every backend LISTENing in the database, whatever the channel, and each signalled backend reads
 * the notification queue in a transaction of its own, so a notice sent for nobody costs a commit on
 * every instance, and a drain's notices grew with the number of instances.
 *
 * Watches travel rarely, on a channel of their own (`WATCH_CHANNEL`): an instance says which jobs it
 * watches when the first local watcher of a job (or of `*`) appears, says it again before it
 * expires (`ttlMs`) while watchers remain, withdraws `*` when its last stream of many jobs ends, and
 * asks "who watches?" when it starts listening (and after its LISTEN connection came back), on
 * which every instance says again what it watches. A job's watch outlives its watchers until its
 * TTL, so a client polling `?wait` in a loop announces the job once per TTL, not once per poll.
 *
 *   local watcher of id ─(first, or announced over ttl/2 ago)─▶ "watching id" ─▶ every instance:
 *   remote[id] = now + ttl ─▶ notices of id cross until then (`isWatchedElsewhere`)
 *
 * Like every notification, these are hints: a watcher also re-reads on its own (a long-poll and a
 * stream of one job every second), so a watch heard late costs latency, never an answer.
 */
import { randomUUID } from 'node:crypto';
import { isJobId } from './store.js';
/** The PostgreSQL channel watches travel on, named in the service's schema (src/db/channelName.ts). */
export const WATCH_CHANNEL = 'watch';
/** Every job: a stream of many jobs watches them all. */
export const ALL_JOBS = '*';
/** PostgreSQL refuses payloads of 8,000 bytes or more. */
const MAX_PAYLOAD_BYTES = 7_000;
const DEFAULT_TTL_MS = 120_000;
const DEFAULT_RENEW_EVERY_MS = 15_000;
const DEFAULT_MAX_REMOTE = 100_000;
export class WatchRegistry {
    deps;
    /** Tells this instance's messages from the others'. */
    origin = randomUUID();
    ttlMs;
    renewEveryMs;
    maxRemote;
    /** Local watchers by job id (`ALL_JOBS` for streams of many jobs). */
    local = new Map();
    /** When each local watch was last announced. */
    announced = new Map();
    /** Local watches to announce at the end of this turn of the event loop. */
    pending = new Set();
    flushScheduled = false;
    /** Until when another instance watches each job. */
    remote = new Map();
    /** Until when each other instance watches every job, by its origin. */
    remoteAll = new Map();
    listeners = new Set();
    renewTimer;
    stopped = false;
    enabled;
    constructor(config, deps) {
        this.deps = deps;
        this.enabled = config.enabled ?? true;
        this.ttlMs = config.ttlMs ?? DEFAULT_TTL_MS;
        this.renewEveryMs = config.renewEveryMs ?? DEFAULT_RENEW_EVERY_MS;
        this.maxRemote = config.maxRemote ?? DEFAULT_MAX_REMOTE;
    }
    /** Asks the others what they watch and starts renewing; once listening, so the answers are heard. */
    start() {
        if (!this.enabled || this.stopped || this.renewTimer)
            return;
        this.send([{ o: this.origin, a: 1 }]);
        this.renewTimer = setInterval(() => this.renew(), this.renewEveryMs).unref();
    }
    /**
     * The LISTEN connection came back: what was said meanwhile was lost both ways. Asks again, and says
     * again what this instance watches.
     */
    resync() {
        if (!this.enabled || this.stopped)
            return;
        this.send([{ o: this.origin, a: 1 }]);
        this.announceAll();
    }
    /** Stops renewing and withdraws this instance's `*`, so that the others stop sending every notice. */
    stop() {
        if (this.stopped)
            return;
        this.stopped = true;
        clearInterval(this.renewTimer);
        if (this.enabled && (this.local.get(ALL_JOBS) ?? 0) > 0)
            this.send([{ o: this.origin, u: [ALL_JOBS] }]);
        this.local.clear();
        this.pending.clear();
    }
    /** A local watcher of job `id` (a long-poll, a stream of one job) until the returned function is called. */
    watch(id) {
        return this.hold(id);
    }
    /** A local watcher of every job (a stream of many jobs) until the returned function is called. */
    watchAll() {
        return this.hold(ALL_JOBS);
    }
    /** Whether another instance watches job `id` (or every job): its notices should go there. */
    isWatchedElsewhere(id) {
        if (this.remoteAll.size > 0 && this.anyRemoteAll())
            return true;
        if (this.remote.size === 0)
            return false;
        const until = this.remote.get(id);
        if (until === undefined)
            return false;
        if (until > Date.now())
            return true;
        this.remote.delete(id);
        return false;
    }
    /** Calls `listener` when another instance starts watching jobs it did not watch (or every job). */
    onRemoteWatch(listener) {
        this.listeners.add(listener);
        return () => this.listeners.delete(listener);
    }
    /** A payload from `WATCH_CHANNEL`. Anyone with a connection may NOTIFY: everything is checked. */
    receive(payload) {
        if (!this.enabled || this.stopped)
            return;
        let message;
        try {
            message = JSON.parse(payload);
        }
        catch {
            return;
        }
        if (message === null || typeof message !== 'object' || typeof message.o !== 'string')
            return;
        if (message.o === this.origin)
            return;
        if (message.a === 1)
            this.announceAll();
        if (Array.isArray(message.u) && message.u.includes(ALL_JOBS))
            this.remoteAll.delete(message.o);
        if (Array.isArray(message.w))
            this.heard(message.o, message.w, message.t);
    }
    hold(id) {
        const count = this.local.get(id) ?? 0;
        this.local.set(id, count + 1);
        if (count === 0 && this.enabled && !this.stopped) {
            const at = this.announced.get(id);
            if (at === undefined || Date.now() - at > this.ttlMs / 2)
                this.queue(id);
        }
        let released = false;
        return () => {
            if (released)
                return;
            released = true;
            const left = (this.local.get(id) ?? 1) - 1;
            if (left > 0)
                return void this.local.set(id, left);
            this.local.delete(id);
            // Streams of many jobs open and close rarely, and while any is open every notice crosses: withdrawn at once.
            if (id === ALL_JOBS && this.enabled && !this.stopped) {
                this.pending.delete(ALL_JOBS);
                this.announced.delete(ALL_JOBS);
                this.send([{ o: this.origin, u: [ALL_JOBS] }]);
            }
        };
    }
    heard(origin, ids, ttlSeconds) {
        const ttlMs = typeof ttlSeconds === 'number' && ttlSeconds >= 1 && ttlSeconds <= 3600 ? ttlSeconds * 1000 : this.ttlMs;
        const now = Date.now();
        const until = now + ttlMs;
        const fresh = [];
        let all = false;
        for (const id of ids) {
            if (id === ALL_JOBS) {
                all = !this.anyRemoteAll();
                this.remoteAll.set(origin, until);
                continue;
            }
            if (typeof id !== 'string' || !isJobId(id))
                continue;
            const before = this.remote.get(id);
            if (before === undefined || before <= now)
                fresh.push(id);
            if (before === undefined || before < until)
                this.remote.set(id, until);
        }
        if (this.remote.size > this.maxRemote)
            this.overflow(until);
        if (all)
            this.tell('all');
        else if (fresh.length > 0)
            this.tell({ ids: fresh });
    }
    /** Too many remote watches to remember (expired ones dropped first): every job counts as watched. */
    overflow(until) {
        this.forgetExpired();
        if (this.remote.size <= this.maxRemote)
            return;
        this.remote.clear();
        this.remoteAll.set('overflow', until);
    }
    anyRemoteAll() {
        const now = Date.now();
        for (const [origin, until] of this.remoteAll) {
            if (until > now)
                return true;
            this.remoteAll.delete(origin);
        }
        return false;
    }
    tell(watch) {
        for (const listener of this.listeners)
            listener(watch);
    }
    /** Says again everything watched here (asked by a new instance, or after a reconnect). */
    announceAll() {
        for (const id of this.local.keys())
            this.queue(id);
    }
    /** Renews local watches announced over half a TTL ago; forgets what expired. */
    renew() {
        const now = Date.now();
        for (const id of this.local.keys()) {
            const at = this.announced.get(id);
            if (at === undefined || now - at > this.ttlMs / 2)
                this.queue(id);
        }
        for (const [id, at] of this.announced)
            if (now - at > this.ttlMs && !this.local.has(id))
                this.announced.delete(id);
        this.forgetExpired();
    }
    forgetExpired() {
        const now = Date.now();
        for (const [id, until] of this.remote)
            if (until <= now)
                this.remote.delete(id);
        this.anyRemoteAll();
    }
    queue(id) {
        this.pending.add(id);
        if (this.flushScheduled)
            return;
        this.flushScheduled = true;
        setImmediate(() => {
            this.flushScheduled = false;
            this.flush();
        });
    }
    flush() {
        if (this.stopped || this.pending.size === 0)
            return;
        const ids = [...this.pending];
        this.pending.clear();
        const now = Date.now();
        for (const id of ids)
            this.announced.set(id, now);
        const messages = [];
        const ttlSeconds = Math.round(this.ttlMs / 1000);
        let current = [];
        let bytes = 0;
        for (const id of ids) {
            if (current.length > 0 && bytes + id.length + 3 > MAX_PAYLOAD_BYTES - 100) {
                messages.push({ o: this.origin, w: current, t: ttlSeconds });
                current = [];
                bytes = 0;
            }
            current.push(id);
            bytes += id.length + 3;
        }
        if (current.length > 0)
            messages.push({ o: this.origin, w: current, t: ttlSeconds });
        this.send(messages);
    }
    send(messages) {
        this.deps.send(messages.map((message) => JSON.stringify(message)));
    }
}
//# sourceMappingURL=watchRegistry.js.map