/**
 * What a job read says beyond its row: why a queued job waits (`waitReason`) and the progress a
 * running job reported since its last checkpoint flush (the live progress board). Every job the
 * API answers with passes through `view`; it costs no query of its own beyond the served-queues
 * cache (servedQueues.ts), and none at all when no job in the answer is queued.
 *
 * Wait reasons are checked in the order of `WAIT_REASONS` (src/queue/job.ts); a new reason is a new
 * entry there, a check here, and whatever that check needs in `WaitContext`.
 */
import { type OwnedJob, type WaitReason } from '../queue/job.js';
import type { PauseBoard } from '../queue/pauses.js';
import type { ConcurrencyUsage } from './concurrencyUsage.js';
import type { LiveProgress } from './liveProgress.js';
import type { ServedQueueMap, ServedQueues } from './servedQueues.js';
export interface WaitContext {
    /** The pause that holds a job, if any (src/queue/pauses.ts). */
    paused?: (job: OwnedJob) => boolean;
    /** Its job type's concurrency limits leave no place for it now (src/observability/concurrencyUsage.ts). */
    atLimit?: (job: OwnedJob) => boolean;
    /** Its job type's rate limit allows no start now. */
    atRate?: (job: OwnedJob) => boolean;
    /** Queues some live instance serves; undefined when they could not be read (then no job is said to have none). */
    served: ServedQueueMap | undefined;
    /** Milliseconds since the epoch, the time the reasons are judged at. */
    now: number;
}
/** Why `job` waits, or null when it is not queued or is ready and waits only for a free slot. */
export declare function waitReasonOf(job: OwnedJob, context: WaitContext): WaitReason | null;
export interface JobSignalsDependencies {
    served: Pick<ServedQueues, 'get'>;
    progress: Pick<LiveProgress, 'get'>;
    pauses?: Pick<PauseBoard, 'modeFor'>;
    usage?: Pick<ConcurrencyUsage, 'isLimited' | 'get' | 'atLimit' | 'atRate'>;
    onError?: (error: unknown) => void;
}
export declare class JobSignals {
    private readonly deps;
    private readonly paused;
    constructor(deps: JobSignalsDependencies);
    /**
     * The jobs as the API shows them: live progress merged, wait reasons filled in. Never rejects: an
     * enqueue has committed by the time its answer is viewed. Should the served queues be unknown (a
     * database that has not answered since start-up), `no-instance` is not claimed.
     */
    view(jobs: readonly OwnedJob[]): Promise<OwnedJob[]>;
    /** Whether a queued job of a limited type is shown: only then are the limits read. */
    private anyLimited;
    /** The concurrency check (`anyLimited`); none when usage is unreadable. */
    private limits;
    private servedOrUnknown;
    /**
     * Only a running job's row is behind its board entry: a settled or requeued job's row holds its
     * last progress, and a read that began before the job started holds a queued row. (Entries go
     * when their job settles, here or, through the relay, on the instance that ran it.)
     */
    private liveProgress;
}
