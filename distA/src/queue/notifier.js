/**
 * Wake-ups between the parts of the service, and between instances when the database can carry
 * them. Every message is delivered in this process at once; with LISTEN/NOTIFY it also reaches the
 * other instances on the same PostgreSQL. Its echo on this instance's own LISTEN is dropped
 * (src/queue/ownEchoes.ts): an echo rang the claim loop for an empty claim per job. Listeners would
 * tolerate it (a wake-up, a cancel and a change notice are all idempotent), but pay for it.
 *
 * A job's change notices (`jobChanged`, `jobLogged`) go to the other instances only while one of
 * them watches the job (src/queue/watchRegistry.ts): every NOTIFY costs a commit on every listening
 * instance, and the runner announces every job it settles. A notice not sent is remembered for a
 * moment, in case a watch announced meanwhile elsewhere arrives: it is sent then.
 *
 * Messages are hints, never the only path: runners also poll, and cancel flags are also read on
 * lease renewal, so a notification lost while a connection was down delays work but loses none.
 * When the LISTEN connection comes back after a loss, `onResync` listeners look again at once.
 */
import { EventEmitter } from 'node:events';
import { channelName } from '../db/channelName.js';
import { notifyBatches, notifyEach, PAYLOAD_SEPARATOR } from './notifyBatches.js';
import { OwnEchoes } from './ownEchoes.js';
import { RecentIds } from './recentIds.js';
import { WATCH_CHANNEL, WatchRegistry } from './watchRegistry.js';
const CHANNELS = [
    'jobsAvailable',
    'limitedJobEnded',
    'cancelRequested',
    'pauseRequested',
    'jobChanged',
    'jobLogged',
    'schedulesChanged',
    'pausesChanged',
    'jobsDue',
];
/** The PostgreSQL channel of each in `schema`'s names (src/db/channelName.ts). */
function pgChannels(schema) {
    return Object.fromEntries(CHANNELS.map((c) => [c, channelName(schema, c)]));
}
/** Notices whose payload is a job id and which only that job's watchers need. */
const isJobNotice = (channel) => channel === 'jobChanged' || channel === 'jobLogged';
export class Notifier {
    db;
    local = new EventEmitter();
    /** Listeners of one job's changes, by job id: a change notice reaches its own watchers only. */
    jobWatchers = new Map();
    unlisten = [];
    started;
    /** Messages for other instances, sent one statement per batch. */
    remote;
    /** Which jobs are watched here and elsewhere: a job's notices cross only to where it is watched. */
    watches;
    /** Jobs whose change notice stayed here a moment ago (nobody elsewhere watched them). */
    unsent = new RecentIds();
    /** Notifications sent from here, dropped when heard back (already delivered here at publish). */
    ownEchoes = new OwnEchoes();
    resyncListeners = new Set();
    /** Watch messages in flight; a stop waits for them. */
    watchSends = new Set();
    listens = 0;
    /** Built once: the runner announces tens of thousands of messages a second. */
    pgChannel;
    watchChannel;
    constructor(db) {
        this.db = db;
        this.pgChannel = pgChannels(db.schema);
        this.watchChannel = channelName(db.schema, WATCH_CHANNEL);
        this.local.setMaxListeners(0);
        this.watches = new WatchRegistry({ enabled: db.capabilities.supportsListen }, { send: (payloads) => this.sendWatches(payloads) });
        this.watches.onRemoteWatch((watch) => this.sendUnsent(watch));
    }
    /** Whether other instances' messages reach this one (LISTEN/NOTIFY): a poll for what they announce can wait long. */
    get hearsOtherInstances() {
        return this.db.capabilities.supportsListen;
    }
    /**
     * Whether what this instance sends comes back to it (`ownEchoes`): it listens. One that never
     * listens would count its echoes for nothing.
     */
    get hearsOwnNotices() {
        return this.started !== undefined && this.db.capabilities.supportsListen;
    }
    /** Starts listening for other instances' messages when the database supports it. Safe to call twice. */
    start() {
        return (this.started ??= this.listenAll());
    }
    async listenAll() {
        if (!this.db.capabilities.supportsListen)
            return;
        for (const channel of CHANNELS) {
            const pgChannel = this.pgChannel[channel];
            const { unlisten } = await this.db.session.listen(pgChannel, (packed) => {
                if (this.ownEchoes.take(pgChannel, packed))
                    return;
                for (const payload of packed.split(PAYLOAD_SEPARATOR))
                    this.deliver(channel, payload);
            });
            this.unlisten.push(unlisten);
        }
        const { unlisten } = await this.db.session.listen(this.watchChannel, (payload) => this.watches.receive(payload), () => this.listened());
        this.unlisten.push(unlisten);
        // Listening now: the answers to the question `start` asks are heard.
        this.watches.start();
    }
    /** postgres.js calls this on the first LISTEN and again each time its connection is re-established. */
    listened() {
        this.listens += 1;
        if (this.listens === 1)
            return;
        this.ownEchoes.clear();
        this.watches.resync();
        for (const listener of this.resyncListeners)
            listener();
    }
    /**
     * Calls `listener` when the LISTEN connection came back after a loss: what other instances said
     * meanwhile was lost, so whoever waits on their messages should look again now.
     */
    onResync(listener) {
        this.resyncListeners.add(listener);
        return () => this.resyncListeners.delete(listener);
    }
    async stop() {
        this.watches.stop();
        await Promise.allSettled([...this.watchSends]);
        const unlisten = this.unlisten.splice(0);
        await Promise.allSettled(unlisten.map((fn) => fn()));
        this.local.removeAllListeners();
        this.jobWatchers.clear();
        this.resyncListeners.clear();
    }
    /**
     * Delivers locally now and, where supported, to other instances. A failed NOTIFY is swallowed:
     * the polls behind every message cover for it.
     */
    async publish(channel, payload) {
        this.deliver(channel, payload);
        if (!this.db.capabilities.supportsListen || !this.crosses(channel, payload))
            return;
        await this.remoteBatches()
            .add({ channel: this.pgChannel[channel], payload })
            .catch(() => { });
    }
    /**
     * `publish` for callers that do not wait for the NOTIFY (the runner announces every settled job):
     * no promise is made per message, and a failed batch is swallowed the same way.
     */
    announce(channel, payload) {
        this.deliver(channel, payload);
        if (this.db.capabilities.supportsListen && this.crosses(channel, payload)) {
            this.remoteBatches().send({ channel: this.pgChannel[channel], payload });
        }
    }
    /** Whether a message goes to the other instances: all do but a job's notices nobody elsewhere watches. */
    crosses(channel, payload) {
        if (!isJobNotice(channel) || this.watches.isWatchedElsewhere(payload))
            return true;
        if (channel === 'jobChanged')
            this.unsent.add(payload);
        return false;
    }
    /** Another instance began watching jobs whose notice stayed here a moment ago: it is sent now. */
    sendUnsent(watch) {
        if (!this.db.capabilities.supportsListen)
            return;
        const ids = watch === 'all' ? this.unsent.all() : this.unsent.recent(watch.ids);
        for (const payload of ids)
            this.remoteBatches().send({ channel: this.pgChannel.jobChanged, payload });
    }
    sendWatches(payloads) {
        if (!this.db.capabilities.supportsListen)
            return;
        const sent = notifyEach(this.db.sql, this.watchChannel, payloads).catch(() => { });
        this.watchSends.add(sent);
        void sent.finally(() => this.watchSends.delete(sent));
    }
    remoteBatches() {
        return (this.remote ??= notifyBatches(this.db.sql, {
            sending: (packed) => this.hearsOwnNotices && this.ownEchoes.expect(packed),
            failed: (packed) => this.ownEchoes.forget(packed),
        }));
    }
    /**
     * A notification the database itself will send for a statement of this instance (the insert
     * trigger's `jobsAvailable`, migrations 007 and 026), delivered here by neither yet. Call it before
     * the statement goes out. Once its answer is read, `answered()` says whether the notice was heard
     * first (and delivered then); if not, the caller delivers it now and its echo is dropped when heard
     * (src/queue/ownEchoes.ts). `forget()` if the statement failed or the database sent nothing.
     * Undefined where nothing is heard back (no LISTEN): the caller delivers.
     */
    awaitNotice(channel, payload) {
        if (!this.hearsOwnNotices)
            return undefined;
        const notification = { channel: this.pgChannel[channel], payload };
        this.ownEchoes.await(notification);
        return {
            answered: () => this.ownEchoes.answered(notification),
            forget: () => this.ownEchoes.forgetAwaited(notification),
        };
    }
    /**
     * Delivers in this process only: for hints cheap to lose elsewhere, where a NOTIFY per message
     * would cost a statement on the hot path (other instances' listeners fall back to their polls).
     */
    publishLocal(channel, payload) {
        this.deliver(channel, payload);
    }
    subscribe(channel, listener) {
        this.local.on(channel, listener);
        return () => this.local.off(channel, listener);
    }
    /**
     * Calls `listener` on each change notice of job `id`. A long-poll watches one job while a busy
     * runner announces tens of thousands of changes a second: looked up by id, each notice costs the
     * same however many long-polls are open, where a `subscribe('jobChanged')` per long-poll would
     * call every one of them for every notice. The job counts as watched here (`watches`), so other
     * instances send its notices while the long-poll lasts.
     */
    watchJob(id, listener) {
        let watchers = this.jobWatchers.get(id);
        if (!watchers)
            this.jobWatchers.set(id, (watchers = new Set()));
        watchers.add(listener);
        const unwatch = this.watches.watch(id);
        return () => {
            unwatch();
            watchers.delete(listener);
            if (watchers.size === 0 && this.jobWatchers.get(id) === watchers)
                this.jobWatchers.delete(id);
        };
    }
    deliver(channel, payload) {
        this.local.emit(channel, payload);
        if (channel !== 'jobChanged')
            return;
        const watchers = this.jobWatchers.get(payload);
        if (watchers)
            for (const listener of watchers)
                listener();
    }
}
//# sourceMappingURL=notifier.js.map