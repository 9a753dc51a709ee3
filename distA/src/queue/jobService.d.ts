import type { JobRegistry, PayloadProblem } from '../../jobs/registry.js';
import { TypedEmitter } from '../runner/events.js';
import { type JobCallback, type Json, type JobState, type OwnedJob } from './job.js';
import type { JobLogLine, StreamedJobLogLine } from './jobLogStore.js';
import type { Notifier } from './notifier.js';
import type { CancelOutcome, EnqueuedJob, JobScope, JobStore, NewJob, PauseOutcome, ResumeOutcome, RetryOutcome, VersionedJob } from './store.js';
import { CheckpointService } from './checkpointService.js';
export interface EnqueueRequest {
    type: string;
    payload?: Json;
    queue?: string;
    priority?: number;
    runAt?: string;
    maxAttempts?: number;
    timeoutSeconds?: number;
    idempotencyKey?: string;
    /** Counted under its type's `concurrency.perKey` limit; at most `MAX_CONCURRENCY_KEY_BYTES`. */
    concurrencyKey?: string;
    /** Not started by then, it is `expired`. Give this or `ttlSeconds`, not both. */
    expiresAt?: string;
    /** `expiresAt` as seconds from the enqueue. */
    ttlSeconds?: number;
    /** A completion webhook for this job alone (src/webhooks/). */
    callback?: JobCallback;
    /**
     * With `idempotencyKey`: the key's job is cancelled if still queued, paused or running, and this
     * one enqueued under the key instead, atomically (`JobStore.replaceJob`). Not part of the hash.
     */
    replace?: boolean;
}
/** What a job's own callback needs: the URL policy, and a secret to sign it with (WEBHOOK_SECRET). */
export interface CallbackPolicy {
    allowHttp: boolean;
    signingSecretSet: boolean;
}
/** A job the service refuses to store: unknown type or a payload that fails the type's schema. */
export declare class InvalidJobError extends Error {
    readonly problems: readonly (PayloadProblem & {
        index?: number;
    })[];
    name: string;
    constructor(message: string, problems?: readonly (PayloadProblem & {
        index?: number;
    })[]);
}
export interface RetryRequest {
    from?: 'checkpoint' | 'start';
    runAt?: string;
}
/** What a replay may change of the job it copies. */
export interface ReplayRequest {
    payload?: Json;
    queue?: string;
    priority?: number;
    runAt?: string;
}
/** A job whose cancel committed, and the state it was in: queued (now cancelled) or running (flagged). */
export interface CancelledJob extends Pick<OwnedJob, 'id' | 'type' | 'queue'> {
    previousState: JobState;
}
export interface JobServiceEvents {
    /** Jobs newly stored (replays of an idempotency key are not new). Metrics count them here. */
    'jobs:enqueued': {
        jobs: readonly OwnedJob[];
    };
    /** A queued job cancelled at once (a running one settles through the runner instead). */
    'job:cancelled': {
        job: Pick<OwnedJob, 'id' | 'type' | 'queue'>;
    };
}
/**
 * Turns stored jobs into the jobs the API shows (live progress, wait reasons):
 * src/observability/jobSignals.ts. It never rejects and bounds its own waits.
 */
export type JobView = (jobs: readonly OwnedJob[]) => Promise<OwnedJob[]>;
export declare class JobService {
    private readonly store;
    private readonly registry;
    private readonly notifier;
    private readonly view;
    private readonly callbacks;
    readonly events: TypedEmitter<JobServiceEvents>;
    /** Group commit of single, key-less enqueues (one per HTTP request). */
    private readonly singles;
    /** Jobs' checkpoints as a resource: read, replace with a compare-and-set, history (issue 23). */
    readonly checkpoints: CheckpointService;
    constructor(store: JobStore, registry: JobRegistry, notifier: Notifier, view?: JobView, callbacks?: CallbackPolicy);
    /** Validates every job first, then stores all of them in one statement, or none. */
    enqueue({ owner, jobs, traceparent, }: {
        owner: string;
        jobs: readonly EnqueueRequest[];
        /** The enqueue's trace (W3C traceparent), stored with every job; not part of the request's hash. */
        traceparent?: string | null;
    }): Promise<EnqueuedJob[]>;
    /**
     * The `replace` row: the key's job cancelled (a running one told to abort its token with
     * `cancelled`, on whichever instance runs it) and `job` enqueued under the key, in one transaction.
     */
    private replace;
    /**
     * Stores `jobs` in one statement and announces them (`announce`), before any caller is answered.
     * The database announces their queue to every listening instance (migrations 007 and 026), this
     * one too: whichever of that notice and the statement's answer comes first wakes this instance's
     * runner, the other does not (src/queue/ownEchoes.ts). That holds for a batch of one queue, the
     * usual one; a notice naming several queues is packed by the database in its own order, and wakes
     * this instance once more.
     */
    private insert;
    /** The view bounds its own waits (it must not fail an enqueue that committed), so no timer per call here. */
    private viewEnqueued;
    private viewOne;
    /**
     * A request checked against its type's schema and completed with the type's defaults, ready for
     * `JobStore.enqueueJobs`: the enqueue path of a schedule's fire, which stores it inside its own
     * transaction and then calls `announce`. Throws `InvalidJobError`.
     */
    prepare(request: EnqueueRequest): NewJob;
    /**
     * Wakes this instance's runner for the queues that got new runnable jobs (unless `woken` says the
     * database's notice of them did already), and tells the metrics. Other instances hear of them from
     * the database itself, which notifies on insert (migration 007).
     */
    announce(enqueued: readonly EnqueuedJob[], { woken }?: {
        woken?: boolean | undefined;
    }): void;
    get(scope: JobScope & {
        id: string;
    }): Promise<OwnedJob | undefined>;
    /** Jobs by id with their row's version, every owner's, as the API shows them (event streams: src/events/). */
    getVersioned(ids: readonly string[]): Promise<VersionedJob[]>;
    /** What a stream of many jobs missed: jobs of the scope written after `since`, oldest first. */
    writtenSince(params: JobScope & {
        since: string;
        limit: number;
    }): Promise<VersionedJob[]>;
    private viewVersioned;
    /** A page of the job's own log lines, or undefined when the job is not the caller's (a 404). */
    logs(scope: JobScope & {
        id: string;
    }, page: {
        afterId?: string;
        limit: number;
    }): Promise<JobLogLine[] | undefined>;
    /** Each job's stored log lines after a line id, every owner's: what event streams send as `log` events. */
    logsAfter(params: Parameters<JobStore['listJobLogsAfter']>[0]): Promise<StreamedJobLogLine[]>;
    /** What a stream of many jobs missed of their logs: the scope's lines after a line id, oldest first. */
    ownerLogsAfter(params: JobScope & {
        afterId: string;
        limit: number;
    }): Promise<StreamedJobLogLine[]>;
    /** Where a new stream of many jobs starts: the newest stored log line, and now as a version. */
    eventStreamStart(): Promise<{
        logId: string;
        version: string;
    }>;
    list(params: Parameters<JobStore['listJobs']>[0]): Promise<OwnedJob[]>;
    /** Jobs per queue and state, across every owner: queue depth for operators. */
    countByQueueAndState(): ReturnType<JobStore['countJobsByQueueAndState']>;
    cancel(scope: JobScope & {
        id: string;
    }): Promise<CancelOutcome>;
    /**
     * What follows a stored cancel: the running instance told to abort the token (its lease renewal
     * reads the flag too, should the message be lost), watchers woken, metrics told. A schedule's
     * `cancel-previous` fire stores the cancel in its own transaction and calls this after commit.
     */
    cancelled(stored: CancelOutcome): Promise<CancelOutcome>;
    /**
     * Tells everyone of cancels that committed (one job, or a bulk action's batch): a running job's
     * cancel goes to whichever instance runs it (`cancelRequested`, over NOTIFY where the database
     * carries it; its lease renewal reads the flag too), and its token aborts with `cancelled` there.
     */
    announceCancels(jobs: readonly CancelledJob[]): Promise<void>;
    /**
     * The `pause job` row: a queued job is `paused` now; a running one is flagged and its instance told
     * (`pauseRequested`, over NOTIFY where the database carries it; its lease renewal reads the flag
     * too), where its token aborts with `paused`, its checkpoint is written and it becomes `paused`.
     */
    pause(scope: JobScope & {
        id: string;
    }): Promise<PauseOutcome>;
    /** The `resume` row: a paused job back to `queued` (runners woken), or a running job's pause request withdrawn. */
    resume(scope: JobScope & {
        id: string;
    }): Promise<ResumeOutcome>;
    /** Sends a failed or cancelled job back to the queue (the `retry` row), and wakes runners for it. */
    retry(scope: JobScope & {
        id: string;
    }, request: RetryRequest): Promise<RetryOutcome>;
    /** Wakes the runners of the queues that retried jobs (one, or a bulk action's batch) went back to. */
    announceRetries(jobs: readonly Pick<OwnedJob, 'id' | 'queue'>[]): Promise<void>;
    /**
     * Enqueues a copy of job `id` with `replayOf` set, the payload (the original's or the one given)
     * checked against the type's schema as on enqueue. Undefined when the job is not the caller's.
     */
    replay(scope: JobScope & {
        id: string;
    }, request: ReplayRequest): Promise<OwnedJob | undefined>;
    /**
     * Resolves with the job once `isChanged(job)` says it changed, or with its latest state after
     * `timeoutMs`. Wakes on change notices and re-reads at least every `pollMs` as a fallback.
     */
    waitForChange(scope: JobScope & {
        id: string;
    }, isChanged: (job: OwnedJob) => boolean, { timeoutMs, pollMs, signal }: {
        timeoutMs: number;
        pollMs?: number;
        signal?: AbortSignal;
    }): Promise<OwnedJob | undefined>;
    private validatePayload;
    /** `traceparent`: the enqueue's trace, stored with the job (none for `prepare`'s jobs). */
    private toNewJob;
    private checkCallback;
}
/** Idempotency keys a schedule gives the job of each slot; a client may not take one first. */
export declare const SCHEDULE_KEY_PREFIX = "schedule:";
/**
 * How long a caller's store call may wait. postgres.js queues a query while it has no connection
 * and, when new connections are reset during start-up, retries them forever without failing the
 * query: a request would hang for the whole outage. Past this it fails with code STORE_TIMEOUT,
 * which the app answers 503 with Retry-After. (A write that times out may still land when the
 * database returns: callers retry with an Idempotency-Key.)
 */
export declare const STORE_TIMEOUT_MS = 5000;
export declare class StoreTimeoutError extends Error {
    name: string;
    readonly code = "STORE_TIMEOUT";
}
/** `work`, or a `StoreTimeoutError` past `ms` (the app answers it 503 with Retry-After). */
export declare function answersInTime<T>(work: Promise<T>, ms?: number): Promise<T>;
/** A stable hash of what the caller asked for, so a replay with other content is told apart. */
export declare function hashRequest(request: EnqueueRequest): string;
export type { JobState };
