/**
 * Assembles the service's signals about jobs and queues in one place, so that `startService` wires
 * them with a few lines: the bounded metric labels, the served-queues cache, the live progress
 * board with its relay to other instances, the job view that merges them into every read, and the
 * queue overview of `GET /v1/admin/queues`.
 */
import type { JobRegistry } from '../../jobs/registry.js';
import type { Database } from '../db/database.js';
import type { OwnedJob } from '../queue/job.js';
import type { Notifier } from '../queue/notifier.js';
import type { JobStore } from '../queue/store.js';
import type { PauseBoard } from '../queue/pauses.js';
import type { PauseStore } from '../queue/pauseStore.js';
import type { RunnerEvents, TypedEmitter } from '../runner/events.js';
import type { JobExecution } from '../runner/jobExecution.js';
import type { LimitedQueue } from '../queue/limitedClaim.js';
import { LabelBounds } from './labelBounds.js';
import { LiveProgress } from './liveProgress.js';
import { type QueueOverview } from './queueOverview.js';
import { ServedQueues } from './servedQueues.js';
export interface SignalsOptions {
    db: Pick<Database, 'session' | 'capabilities' | 'schema'>;
    store: JobStore;
    notifier: Pick<Notifier, 'publishLocal' | 'watches'>;
    registry: Pick<JobRegistry, 'names' | 'get' | 'concurrencyLimits'>;
    /** This instance's `QUEUES`. */
    queues: readonly string[];
    /** Limits per queue (`QUEUE_LIMITS`): a queued job of such a queue may wait `concurrency` or `rate-limit`. */
    queueLimits?: readonly LimitedQueue[];
    /** An instance whose heartbeat is older than a lease is not live. */
    leaseMs: number;
    /** The cluster's pauses: a queued job of a paused queue or type waits `paused`; the overview shows them. */
    pauses?: Pick<PauseBoard, 'modeFor' | 'pausedQueues'>;
    onError: (error: unknown, during: string) => void;
}
export declare class Signals {
    private readonly options;
    readonly labels: LabelBounds;
    readonly served: ServedQueues;
    readonly progress: LiveProgress;
    private readonly relay;
    private readonly jobSignals;
    private readonly declared;
    private readonly unsubscribe;
    constructor(options: SignalsOptions);
    /** The runner's progress hook (`RunnerDependencies.onProgress`). */
    readonly onProgress: (execution: JobExecution) => void;
    /** The job service's view (`JobService`'s last argument). */
    readonly view: (jobs: readonly OwnedJob[]) => Promise<OwnedJob[]>;
    /**
     * Listens to other instances' progress, sends the latest report of a job running here when another
     * instance begins watching it, and forgets a job's live progress once it settles here.
     */
    start(runnerEvents: TypedEmitter<RunnerEvents>): Promise<void>;
    stop(): Promise<void>;
    /** Queue depth for /metrics: undeclared queues summed by the store under a null queue. */
    queueDepth(): ReturnType<JobStore['countJobsByQueueBounded']>;
    queueOverview(): Promise<QueueOverview>;
    /** A queue is known when declared (job types, `QUEUES`), served by a live instance, or holding queued jobs. */
    isKnownQueue(queue: string, store: Pick<PauseStore, 'queueHasQueuedJobs'>): Promise<boolean>;
}
