/**
 * Feeds every open event stream of this instance from one place. It hears which jobs changed (the
 * notifier's change notices: this instance's writes, other instances' outcomes over LISTEN/NOTIFY,
 * and live progress, relayed between instances within a fraction of a second), gathers the ids for
 * `flushDelayMs`, reads them all in ONE statement with their row versions, and hands each job to
 * the streams that follow it. A thousand streams on one job cost one read, not a thousand.
 *
 * Log lines travel the same way, from the table: the store announces the jobs whose lines it just
 * wrote (`jobLogged`: a checkpoint flush, a job's `flush()`, the outcome, on whichever instance runs
 * it), and the flush reads the lines after each stream's cursor in one more statement, at most
 * `logLinesPerRead` of each job. Lines reach a stream when they are stored, not when they are
 * logged: an id a client can resume from (`Last-Event-ID`) is a stored line's, so a line is sent
 * once and never lost to a restart. A job that finished is read for lines too, and its lines go
 * before its terminal state, which ends a job's stream.
 *
 * Notices are hints: streams of one job also have their job and its lines re-read every `pollMs`,
 * which catches what no notice announced (a start on another instance is announced only there).
 * Other instances send a job's notices here only while it is watched here (src/queue/watchRegistry.ts):
 * each stream of one job watches its job, and a stream of many jobs watches them all. When the
 * LISTEN connection comes back after a loss, streams of many jobs, which have no poll, are caught
 * up from the table (the jobs written since the oldest version they sent, as a reconnecting client
 * would be).
 *
 *   notice(id) ──▶ pending ids ──(flushDelayMs)──▶ one read ──▶ each follower of the job, each
 *   jobLogged(id) ─▶ pending log ids ──┘   (+ one read of lines)   stream of many jobs whose filter matches
 */
import type { OwnedJob } from '../queue/job.js';
import type { StreamedJobLogLine } from '../queue/jobLogStore.js';
import type { JobService } from '../queue/jobService.js';
import type { Notifier } from '../queue/notifier.js';
import type { VersionedJob } from '../queue/store.js';
/** What a stream of many jobs filters on. */
export type StreamFilterJob = Pick<OwnedJob, 'owner' | 'type' | 'queue'> & {
    readonly state: string;
};
/** A stream as the hub sees it. */
export interface JobFollower {
    /** The one job it follows; undefined for a stream of many jobs. */
    readonly jobId?: string;
    /** For a stream of many jobs: whether it wants this job (owner and filters). */
    wants?(job: StreamFilterJob): boolean;
    deliver(versioned: VersionedJob): void;
    /** The line id after which it wants the lines of job `jobId`. */
    logCursor(jobId: string): string;
    /** Lines of any jobs, oldest first; it sends those it shows and lacks. Whether it sent any. */
    deliverLogs(lines: readonly StreamedJobLogLine[]): boolean;
    /** The instance drains or stops: end with a reconnect hint. */
    end(retryMs: number): void;
    /**
     * For a stream of many jobs: this instance cannot read the changes as fast as they come; end as a
     * client too slow to read is ended (it reconnects with `Last-Event-ID` and catches up from the table).
     */
    drop?(): void;
    /** For a stream of many jobs: the newest row version it sent (or started from), to catch up after. */
    catchUpVersion?(): string;
}
export interface JobEventHubConfig {
    flushDelayMs?: number;
    pollMs?: number;
    /** Most ids read per statement; more wait for the next flush. */
    maxBatch?: number;
    /**
     * Most job ids waiting to be read while streams of many jobs are open (default 20 × `maxBatch`):
     * past it those streams are dropped (`JobFollower.drop`), and the ids only they wanted forgotten.
     */
    maxPending?: number;
    /** Most log lines of one job read per flush; a job with more is read again at the next. */
    logLinesPerRead?: number;
}
export interface JobEventHubDependencies {
    jobs: Pick<JobService, 'getVersioned' | 'events' | 'logsAfter' | 'writtenSince'>;
    notifier: Pick<Notifier, 'subscribe' | 'watches' | 'onResync'>;
    onError: (error: unknown) => void;
}
export declare class JobEventHub {
    private readonly deps;
    private readonly oneJob;
    private readonly manyJobs;
    private readonly pending;
    /** Jobs whose stored lines to read at the next flush. */
    private readonly pendingLogs;
    private flushTimer;
    private pollTimer;
    private flushing;
    private readonly unsubscribe;
    /** Each stream's watch (src/queue/watchRegistry.ts), ended with the stream. */
    private readonly unwatch;
    private readonly flushDelayMs;
    private readonly pollMs;
    private readonly maxBatch;
    private readonly maxPending;
    private readonly logLinesPerRead;
    constructor(config: JobEventHubConfig, deps: JobEventHubDependencies);
    /** Streams open on this instance. */
    get size(): number;
    add(follower: JobFollower): void;
    remove(follower: JobFollower): void;
    /** Ends every stream with a reconnect hint (a drain, a shutdown); the hub stays usable. */
    endAll(retryMs: number): void;
    stop(): void;
    /**
     * Notices other instances sent while the LISTEN connection was down are lost: the streams of many
     * jobs get the jobs written since the oldest version any of them sent, at most `MAX_CATCH_UP_JOBS`
     * (each stream sends only what it has not: src/events/jobStream.ts).
     */
    private catchUp;
    private changed;
    private logged;
    /**
     * More jobs changed than this instance reads (a stream of many jobs open beside a drain of 20,000
     * jobs a second): the ids waiting grew about 60 bytes a job, without bound (bench/RESULTS.md, P8
     * with the new features). The streams of many jobs are dropped as clients too slow to read are,
     * and reconnect with `Last-Event-ID`, caught up from the table; streams of one job keep their ids.
     */
    private fellBehind;
    private poll;
    private schedule;
    private flush;
    /**
     * Reads the lines the followers of `ids` lack, from the lowest cursor of each job, and hands them
     * out. Answers the jobs read in full that streams took lines of: they have more to read.
     */
    private flushLogs;
    private dispatch;
}
