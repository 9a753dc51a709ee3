/**
 * The service's Prometheus metrics, in a registry of its own (never prom-client's global one, so
 * several services in one process, as in the tests, do not collide). Job counters and histograms
 * follow the runner's and the job service's typed events; queue depth, running jobs and the
 * lifecycle state are read when Prometheus scrapes, so they are never stale. HTTP requests are
 * recorded by `requestObserver` (httpObserver.ts) with the matched route pattern as the label.
 * Every label value is bounded (labelBounds.ts): queues and types outside the declared sets, and
 * non-standard methods, are counted as `other`, so no client can add series.
 */
import { Registry } from 'prom-client';
import type { Logger } from 'pino';
import type { LifecycleEvents, LifecycleState } from '../lifecycle.js';
import type { JobState, OwnedJob } from '../queue/job.js';
import type { JobServiceEvents } from '../queue/jobService.js';
import type { RunnerEvents, TypedEmitter } from '../runner/events.js';
import type { SchedulerEvents } from '../schedules/scheduler.js';
import { type LabelBounds } from './labelBounds.js';
export interface MetricsSources {
    runner: {
        readonly events: TypedEmitter<RunnerEvents>;
        readonly runningJobs: number;
    };
    /** Fires, skips and misses by schedule (a schedule declared in code by its id, any other as `other`). */
    scheduler?: {
        readonly events: TypedEmitter<SchedulerEvents>;
    };
    lifecycle: {
        readonly events: TypedEmitter<LifecycleEvents>;
        readonly state: LifecycleState;
    };
    jobs: {
        readonly events: TypedEmitter<JobServiceEvents>;
        /** Only to label recovered jobs by type and queue (the sweep reports ids alone). */
        get(scope: {
            id: string;
            owner: undefined;
        }): Promise<OwnedJob | undefined>;
    };
    /**
     * Jobs per queue and state across every instance, queues outside `labels.queues` summed under a
     * null queue (the store folds them, so a scrape reads a bounded number of rows).
     */
    queueDepth(): Promise<readonly {
        queue: string | null;
        state: JobState;
        count: number;
    }[]>;
    /** The declared queues (always exported, at zero when empty, so alerts see them) and types. */
    labels: LabelBounds;
    concurrency: number;
    log: Logger;
}
export interface MetricsOptions {
    /** Node's process metrics (CPU, memory, event loop lag, GC). */
    defaultMetrics?: boolean;
    /** The queue-depth query gives up after this long, so a slow database cannot hang a scrape. */
    queueDepthTimeoutMs?: number;
}
export interface RequestObservation {
    method: string;
    route: string;
    status: number;
    seconds: number;
}
export declare class ServiceMetrics {
    readonly registry: Registry<"text/plain; version=0.0.4; charset=utf-8">;
    private readonly unsubscribe;
    private readonly httpRequests;
    private readonly httpDuration;
    /** Counted on every request, handed to the two metrics above when they are read (src/observability/pendingMetrics.ts). */
    private readonly pendingRequests;
    private readonly pendingDurations;
    private readonly requestLabels;
    constructor(sources: MetricsSources, { defaultMetrics, queueDepthTimeoutMs }?: MetricsOptions);
    get contentType(): string;
    /** The Prometheus text exposition of every metric. */
    render(): Promise<string>;
    observeRequest({ method, route, status, seconds }: RequestObservation): void;
    /** Stops listening to events; safe to call twice. */
    stop(): void;
}
