import type { Database } from '../db/database.js';
import { WatchRegistry } from './watchRegistry.js';
export interface NotifierEvents {
    /** Jobs became runnable in `queue`. */
    jobsAvailable: string;
    /**
     * A job held under concurrency limits (a limited type's, or a limited queue's) ended in `queue`:
     * its place is free, for the limited claim only. Apart from `jobsAvailable` so that an instance
     * hearing it does not also look for jobs without limits, which no such end makes claimable. An
     * instance of an earlier release hears none of these: it finds the freed place at its next poll.
     */
    limitedJobEnded: string;
    /** A running job's cancel was requested; its id. */
    cancelRequested: string;
    /** A running job's pause was requested (`POST /v1/jobs/{id}/pause`); its id. */
    pauseRequested: string;
    /** A job changed (state, progress, checkpoint); its id. */
    jobChanged: string;
    /** Log lines of a job were stored: event streams send them (src/events/); its id. */
    jobLogged: string;
    /** A schedule was created, changed or resumed: schedulers look again (src/schedules/scheduler.ts); its id. */
    schedulesChanged: string;
    /** Jobs of `queue` become due at a later time: runners wake then (src/runner/dueTimer.ts); `queue ms`. */
    jobsDue: string;
    /** A queue or job type was paused or resumed: pause boards read the table again (src/queue/pauses.ts); `kind:name`. */
    pausesChanged: string;
}
export type Channel = keyof NotifierEvents;
/** See `Notifier.awaitNotice`. */
export interface AwaitedNotice {
    /** The statement was answered: true when the notice was heard, and delivered, before it. */
    answered(): boolean;
    /** The statement failed or the database sent nothing. */
    forget(): void;
}
export declare class Notifier {
    private readonly db;
    private readonly local;
    /** Listeners of one job's changes, by job id: a change notice reaches its own watchers only. */
    private readonly jobWatchers;
    private readonly unlisten;
    private started;
    /** Messages for other instances, sent one statement per batch. */
    private remote;
    /** Which jobs are watched here and elsewhere: a job's notices cross only to where it is watched. */
    readonly watches: WatchRegistry;
    /** Jobs whose change notice stayed here a moment ago (nobody elsewhere watched them). */
    private readonly unsent;
    /** Notifications sent from here, dropped when heard back (already delivered here at publish). */
    private readonly ownEchoes;
    private readonly resyncListeners;
    /** Watch messages in flight; a stop waits for them. */
    private readonly watchSends;
    private listens;
    /** Built once: the runner announces tens of thousands of messages a second. */
    private readonly pgChannel;
    private readonly watchChannel;
    constructor(db: Database);
    /** Whether other instances' messages reach this one (LISTEN/NOTIFY): a poll for what they announce can wait long. */
    get hearsOtherInstances(): boolean;
    /**
     * Whether what this instance sends comes back to it (`ownEchoes`): it listens. One that never
     * listens would count its echoes for nothing.
     */
    private get hearsOwnNotices();
    /** Starts listening for other instances' messages when the database supports it. Safe to call twice. */
    start(): Promise<void>;
    private listenAll;
    /** postgres.js calls this on the first LISTEN and again each time its connection is re-established. */
    private listened;
    /**
     * Calls `listener` when the LISTEN connection came back after a loss: what other instances said
     * meanwhile was lost, so whoever waits on their messages should look again now.
     */
    onResync(listener: () => void): () => void;
    stop(): Promise<void>;
    /**
     * Delivers locally now and, where supported, to other instances. A failed NOTIFY is swallowed:
     * the polls behind every message cover for it.
     */
    publish<C extends Channel>(channel: C, payload: NotifierEvents[C]): Promise<void>;
    /**
     * `publish` for callers that do not wait for the NOTIFY (the runner announces every settled job):
     * no promise is made per message, and a failed batch is swallowed the same way.
     */
    announce<C extends Channel>(channel: C, payload: NotifierEvents[C]): void;
    /** Whether a message goes to the other instances: all do but a job's notices nobody elsewhere watches. */
    private crosses;
    /** Another instance began watching jobs whose notice stayed here a moment ago: it is sent now. */
    private sendUnsent;
    private sendWatches;
    private remoteBatches;
    /**
     * A notification the database itself will send for a statement of this instance (the insert
     * trigger's `jobsAvailable`, migrations 007 and 026), delivered here by neither yet. Call it before
     * the statement goes out. Once its answer is read, `answered()` says whether the notice was heard
     * first (and delivered then); if not, the caller delivers it now and its echo is dropped when heard
     * (src/queue/ownEchoes.ts). `forget()` if the statement failed or the database sent nothing.
     * Undefined where nothing is heard back (no LISTEN): the caller delivers.
     */
    awaitNotice<C extends Channel>(channel: C, payload: NotifierEvents[C]): AwaitedNotice | undefined;
    /**
     * Delivers in this process only: for hints cheap to lose elsewhere, where a NOTIFY per message
     * would cost a statement on the hot path (other instances' listeners fall back to their polls).
     */
    publishLocal<C extends Channel>(channel: C, payload: NotifierEvents[C]): void;
    subscribe<C extends Channel>(channel: C, listener: (payload: NotifierEvents[C]) => void): () => void;
    /**
     * Calls `listener` on each change notice of job `id`. A long-poll watches one job while a busy
     * runner announces tens of thousands of changes a second: looked up by id, each notice costs the
     * same however many long-polls are open, where a `subscribe('jobChanged')` per long-poll would
     * call every one of them for every notice. The job counts as watched here (`watches`), so other
     * instances send its notices while the long-poll lasts.
     */
    watchJob(id: string, listener: () => void): () => void;
    private deliver;
}
