/** The PostgreSQL channel watches travel on, named in the service's schema (src/db/channelName.ts). */
export declare const WATCH_CHANNEL = "watch";
/** Every job: a stream of many jobs watches them all. */
export declare const ALL_JOBS = "*";
export interface WatchRegistryConfig {
    /** False where nothing crosses processes (the embedded database): watches stay local, nothing is sent. */
    enabled?: boolean;
    /** How long another instance honours a watch it heard of, unless renewed. */
    ttlMs?: number;
    /** How often local watches are renewed (those announced over `ttlMs / 2` ago) and expired remote ones forgotten. */
    renewEveryMs?: number;
    /** Remote watches remembered at most; past it every job counts as watched (more notices, never fewer). */
    maxRemote?: number;
}
export interface WatchRegistryDependencies {
    /** Sends the payloads on `WATCH_CHANNEL` to every instance (this one too: it skips its own). */
    send(payloads: readonly string[]): void;
}
/** Jobs another instance newly watches; `all` for a stream of many jobs. */
export type RemoteWatch = {
    ids: readonly string[];
} | 'all';
export declare class WatchRegistry {
    private readonly deps;
    /** Tells this instance's messages from the others'. */
    readonly origin: `${string}-${string}-${string}-${string}-${string}`;
    private readonly ttlMs;
    private readonly renewEveryMs;
    private readonly maxRemote;
    /** Local watchers by job id (`ALL_JOBS` for streams of many jobs). */
    private readonly local;
    /** When each local watch was last announced. */
    private readonly announced;
    /** Local watches to announce at the end of this turn of the event loop. */
    private readonly pending;
    private flushScheduled;
    /** Until when another instance watches each job. */
    private readonly remote;
    /** Until when each other instance watches every job, by its origin. */
    private readonly remoteAll;
    private readonly listeners;
    private renewTimer;
    private stopped;
    private readonly enabled;
    constructor(config: WatchRegistryConfig, deps: WatchRegistryDependencies);
    /** Asks the others what they watch and starts renewing; once listening, so the answers are heard. */
    start(): void;
    /**
     * The LISTEN connection came back: what was said meanwhile was lost both ways. Asks again, and says
     * again what this instance watches.
     */
    resync(): void;
    /** Stops renewing and withdraws this instance's `*`, so that the others stop sending every notice. */
    stop(): void;
    /** A local watcher of job `id` (a long-poll, a stream of one job) until the returned function is called. */
    watch(id: string): () => void;
    /** A local watcher of every job (a stream of many jobs) until the returned function is called. */
    watchAll(): () => void;
    /** Whether another instance watches job `id` (or every job): its notices should go there. */
    isWatchedElsewhere(id: string): boolean;
    /** Calls `listener` when another instance starts watching jobs it did not watch (or every job). */
    onRemoteWatch(listener: (watch: RemoteWatch) => void): () => void;
    /** A payload from `WATCH_CHANNEL`. Anyone with a connection may NOTIFY: everything is checked. */
    receive(payload: string): void;
    private hold;
    private heard;
    /** Too many remote watches to remember (expired ones dropped first): every job counts as watched. */
    private overflow;
    private anyRemoteAll;
    private tell;
    /** Says again everything watched here (asked by a new instance, or after a reconnect). */
    private announceAll;
    /** Renews local watches announced over half a TTL ago; forgets what expired. */
    private renew;
    private forgetExpired;
    private queue;
    private flush;
    private send;
}
