/**
 * One client's event stream: of one job (`GET /v1/jobs/{id}/events`, ended after the job's terminal
 * state) or of many (`GET /v1/events`, an owner's jobs matching a filter). It remembers what it told
 * the client of each job (`SeenJob`: bounded for a stream of many jobs), turns each job the hub hands
 * it into the events the client has not had (src/events/jobEvents.ts), sends the stored log lines it
 * has not sent (after `logFloor`, and after the last line of that job it sent), and frees its place
 * in the hub and its caller's stream quota however it ends.
 */
import type { StreamedJobLogLine } from '../queue/jobLogStore.js';
import type { VersionedJob } from '../queue/store.js';
import { type SeenJob } from './jobEvents.js';
import type { JobEventHub, JobFollower, StreamFilterJob } from './jobEventHub.js';
export interface JobStreamOptions {
    hub: Pick<JobEventHub, 'add' | 'remove'>;
    /** Between two comment lines (default 15 s: `DEFAULT_HEARTBEAT_MS` of src/events/sseStream.ts). */
    heartbeatMs?: number;
    /** Bytes the client may leave unread before it is dropped (default 256 KiB). */
    maxBufferedBytes?: number;
    /** The one job followed; undefined for a stream of many jobs. */
    jobId?: string;
    /** For a stream of many jobs: the jobs it shows. */
    wants?: (job: StreamFilterJob) => boolean;
    /** What the client says it saw (from `Last-Event-ID`), by job id. */
    seen?: ReadonlyMap<string, SeenJob>;
    /** Log lines up to this id are never sent (default '0': a job's stream sends its whole stored log). */
    logFloor?: string;
    /** For a stream of many jobs: the version its first ids carry until it sends a job (see jobEvents.ts). */
    startVersion?: string;
    /** Called once when the stream ends (frees the caller's quota). */
    onEnd: () => void;
}
export declare class JobStream implements JobFollower {
    private readonly options;
    readonly jobId: string | undefined;
    readonly wants: ((job: StreamFilterJob) => boolean) | undefined;
    private readonly stream;
    private readonly seen;
    /** The last log line sent of each job (bounded like `seen`). */
    private readonly logSent;
    private readonly logFloor;
    /** The highest log line id sent: the log part of a stream of many jobs' ids. */
    private highLogId;
    /** The newest row version sent: the version part of a stream of many jobs' log event ids. */
    private highVersion;
    /** Lines waited for room in the last delivery: a job's stream does not end before they are sent. */
    private logsBehind;
    /**
     * A stream of many jobs whose client is behind (a burst: the hub hands over up to 500 jobs at a
     * time, more than the bound in state events of ordinary jobs): the newest read of each job not
     * sent yet, sent in version order as the client reads. Later reads of a job replace earlier
     * ones, so the client gets each job's latest state rather than every step it missed. Bounded by
     * the length of the jobs' JSON, at `DEFERRED_PER_BUFFERED` times the stream's own bound: a client
     * that stops reading is still dropped.
     */
    private readonly deferred;
    private deferredBytes;
    private readonly maxDeferredBytes;
    constructor(options: JobStreamOptions);
    get response(): Response;
    deliver(versioned: VersionedJob): void;
    private defer;
    private sendDeferred;
    private send;
    /** The line id after which this stream wants job `jobId`'s lines. */
    logCursor(jobId: string): string;
    /**
     * Sends the lines (of any jobs, oldest first) this stream shows and has not sent, while the client
     * keeps up; the rest wait for the next read. Returns whether it sent any.
     */
    deliverLogs(lines: readonly StreamedJobLogLine[]): boolean;
    /**
     * A job's stream: the version and state it last sent, with this line. Before its first state (a
     * finished job's lines go first), the zero version and `queued`, so that a reconnect is sent the
     * state. Many jobs': the newest version and line sent, what its reconnect reads after.
     */
    private logEventId;
    end(retryMs: number): void;
    /** The hub cannot read the jobs it shows as fast as they change (see `JobFollower.drop`). */
    drop(): void;
    catchUpVersion(): string;
    private remember;
}
