/**
 * Jobs this instance has claimed ahead of its free slots, so that a slot freed by a short job is
 * filled at once from memory instead of after a claim's round trip. One claim statement then
 * carries many jobs, which is what lets short jobs run at thousands per second per instance.
 *
 * A job waiting here is leased in the database (state `running`, its attempt counted by the claim):
 * no other instance takes it, the lease keeper renews it, and a stop, a cancel or a long wait hands
 * it back with the attempt refunded (`JobStore.releaseJobs`). A SIGKILL spends the attempts of the
 * jobs waiting here, which is why the queue holds only about `horizonMs` of starts, and never more
 * than `maxSize` (`LOCAL_QUEUE_SIZE`).
 *
 * How far ahead to claim adapts to how fast jobs start: about `horizonMs` worth of starts, at most
 * `maxSize`. Slow jobs therefore keep nearly nothing waiting here (they would hold work another
 * instance could run), and no-op jobs keep up to `maxSize`. A job that still waits after `ttlMs`
 * (the jobs ahead of it turned out slow) is handed back for any instance to take.
 */
import type { OwnedJob } from '../queue/job.js';
export interface LocalQueueConfig {
    /** Most jobs held beyond the free slots; 0 claims only for free slots. */
    maxSize: number;
    /** How many milliseconds of starts to hold. */
    horizonMs?: number;
    /** Jobs that waited this long go back to the database. */
    ttlMs?: number;
}
export type LocalQueueMode = 'accepting' | 'ttlExpired' | 'released';
export interface Waiting {
    job: OwnedJob;
    claimedAt: number;
}
export declare class LocalQueue {
    readonly maxSize: number;
    readonly ttlMs: number;
    private readonly horizonMs;
    private currentMode;
    /**
     * Claim order (priority, then runAt, then id), as the claim reads the queue: a job that yielded its
     * time slice (runAt then) stays behind jobs that waited, even those with later ids. `head` skips
     * taken entries without shifting.
     */
    private waiting;
    private head;
    private startsSinceSample;
    /** When the current sample began; the first `sampleRate` starts the clock. */
    private sampledAt;
    /** Starts per millisecond, smoothed. */
    private startRate;
    constructor({ maxSize, horizonMs, ttlMs }: LocalQueueConfig);
    get mode(): LocalQueueMode;
    get size(): number;
    /** How many jobs to hold here right now. */
    get target(): number;
    /** How many more jobs a claim should fetch beyond the free slots. */
    get room(): number;
    /** True when it is worth claiming ahead now, before a slot frees up: half the target is gone. */
    get wantsRefill(): boolean;
    /** Updates the start rate; called before each claim, so the rate follows the load. */
    sampleRate(now?: number): void;
    /** Counts a start, whether its job came from here or straight from a claim. */
    noteStart(): void;
    /**
     * Adds claimed jobs; one that already waits here (claimed again after its lease was recovered)
     * replaces its entry. Once released, it takes nothing: the refused jobs are returned, to hand back.
     */
    push(jobs: readonly OwnedJob[], now?: number): OwnedJob[];
    /**
     * Takes up to `count` jobs in claim order for slots that asked, skipping those `eligible` refuses
     * (they stay, in order). A slot asking ends a `ttlExpired` pause.
     */
    take(count?: number, eligible?: (job: OwnedJob) => boolean): OwnedJob[];
    has(id: string): boolean;
    /** Takes one job out (a cancel, or a lease lost), if it waits here. */
    remove(id: string): OwnedJob | undefined;
    /** Every waiting job with its claim time, oldest first. */
    entries(): Iterable<Readonly<Waiting>>;
    /** Empties the queue for good: on stop, everything waiting goes back. */
    release(): OwnedJob[];
    /** Takes out the jobs that waited longer than `ttlMs`. */
    takeExpired(now?: number): OwnedJob[];
    private indexOf;
}
/** Orders job ids as numbers: digit strings with no leading zero, so the shorter is the smaller. */
export declare function compareIds(a: string, b: string): number;
