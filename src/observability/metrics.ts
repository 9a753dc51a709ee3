/**
 * The service's Prometheus metrics, in a registry of its own (never prom-client's global one, so
 * several services in one process, as in the tests, do not collide). Job counters and histograms
 * follow the runner's and the job service's typed events; queue depth, running jobs and the
 * lifecycle state are read when Prometheus scrapes, so they are never stale. HTTP requests are
 * recorded by `requestObserver` (httpObserver.ts) with the matched route pattern as the label.
 * Every label value is bounded (labelBounds.ts): queues and types outside the declared sets, and
 * non-standard methods, are counted as `other`, so no client can add series.
 */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client'
import type { Logger } from 'pino'
import type { LifecycleEvents, LifecycleState } from '../lifecycle.js'
import { coerceError } from '../log.js'
import type { JobState, OwnedJob } from '../queue/job.js'
import type { JobServiceEvents } from '../queue/jobService.js'
import type { JobOutcome, RunnerEvents, TypedEmitter } from '../runner/events.js'
import type { SchedulerEvents } from '../schedules/scheduler.js'
import { withTimeout } from '../support/withTimeout.js'
import { OTHER_LABEL, type LabelBounds } from './labelBounds.js'
import { PendingCounts, PendingObservations } from './pendingMetrics.js'

export interface MetricsSources {
  runner: { readonly events: TypedEmitter<RunnerEvents>; readonly runningJobs: number }
  /** Fires, skips and misses by schedule (a schedule declared in code by its id, any other as `other`). */
  scheduler?: { readonly events: TypedEmitter<SchedulerEvents> }
  lifecycle: { readonly events: TypedEmitter<LifecycleEvents>; readonly state: LifecycleState }
  jobs: {
    readonly events: TypedEmitter<JobServiceEvents>
    /** Only to label recovered jobs by type and queue (the sweep reports ids alone). */
    get(scope: { id: string; owner: undefined }): Promise<OwnedJob | undefined>
  }
  /**
   * Jobs per queue and state across every instance, queues outside `labels.queues` summed under a
   * null queue (the store folds them, so a scrape reads a bounded number of rows).
   */
  queueDepth(): Promise<readonly { queue: string | null; state: JobState; count: number }[]>
  /** The declared queues (always exported, at zero when empty, so alerts see them) and types. */
  labels: LabelBounds
  concurrency: number
  log: Logger
}

export interface MetricsOptions {
  /** Node's process metrics (CPU, memory, event loop lag, GC). */
  defaultMetrics?: boolean
  /** The queue-depth query gives up after this long, so a slow database cannot hang a scrape. */
  queueDepthTimeoutMs?: number
}

const PREFIX = 'job_runner_'
const JOB_STATES: readonly JobState[] = ['queued', 'running', 'paused', 'succeeded', 'failed', 'cancelled', 'expired']
const LIFECYCLE_STATES: readonly LifecycleState[] = ['running', 'draining', 'drained', 'stopping']
/** From a few milliseconds (an idle worker claims at once) to an hour (a backed-up queue). */
const WAIT_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900, 3600]
const RUN_BUCKETS = [0.005, 0.025, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900, 3600, 14400]
/** Long-polls hold a request for up to 60 s, hence the top buckets. */
const HTTP_BUCKETS = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60]

export interface RequestObservation {
  method: string
  route: string
  status: number
  seconds: number
}

export class ServiceMetrics {
  readonly registry = new Registry()
  private readonly unsubscribe: (() => void)[] = []
  private readonly httpRequests: Counter<'method' | 'route' | 'status'>
  private readonly httpDuration: Histogram<'method' | 'route' | 'status'>
  /** Counted on every request, handed to the two metrics above when they are read (src/observability/pendingMetrics.ts). */
  private readonly pendingRequests: PendingCounts
  private readonly pendingDurations: PendingObservations
  private readonly requestLabels: RequestLabelSets

  constructor(sources: MetricsSources, { defaultMetrics = true, queueDepthTimeoutMs = 2000 }: MetricsOptions = {}) {
    this.requestLabels = new RequestLabelSets(sources.labels)
    const registers = [this.registry]
    const jobLabels = ['type', 'queue'] as const
    const counter = (name: string, help: string) =>
      new Counter({
        name: PREFIX + name,
        help,
        labelNames: jobLabels,
        registers,
        // Adds what the runner and the enqueues counted since the last read (`PendingCounts`).
        collect() {
          PendingCounts.of(this)?.flush()
        },
      })
    const enqueued = counter('jobs_enqueued_total', 'Jobs stored by this instance (idempotent replays excluded).')
    const started = counter('jobs_started_total', 'Job runs started by this instance (every attempt and every resume).')
    const byOutcome: Partial<Record<JobOutcome, Counter<'type' | 'queue'>>> = {
      succeeded: counter('jobs_succeeded_total', 'Jobs that succeeded here.'),
      failed: counter('jobs_failed_total', 'Jobs that failed their last attempt here.'),
      retry: counter('jobs_retried_total', 'Failed attempts that will be retried after a backoff.'),
      cancelled: counter(
        'jobs_cancelled_total',
        'Jobs cancelled: queued ones by the API, running ones when their token stopped them.',
      ),
      interrupted: counter(
        'jobs_interrupted_total',
        'Runs stopped by a drain or shutdown and requeued with their checkpoint.',
      ),
      paused: counter(
        'jobs_paused_total',
        'Runs stopped by a pause (a checkpoint pause of their queue or type, or of the job itself) with their checkpoint written.',
      ),
      yielded: counter(
        'jobs_yielded_total',
        "Runs that reached their type's maxSliceSeconds and went back to the queue with their checkpoint.",
      ),
      abandoned: counter(
        'jobs_abandoned_total',
        'Runs that ignored their token (at shutdown, or past their timeout) until its grace deadline and went back to the queue; one on its last attempt counts as failed.',
      ),
      lost: counter('jobs_lost_total', 'Runs whose outcome could not be written (lease lost or database unreachable).'),
    }
    const expired = counter(
      'jobs_expired_total',
      'Queued jobs this instance marked expired: not started by their expiresAt.',
    )
    const recovered = counter(
      'jobs_recovered_total',
      'Jobs of a lost instance recovered by this one after their lease expired.',
    )
    const queueWait = new Histogram({
      name: PREFIX + 'job_queue_wait_seconds',
      help: 'From when a job became runnable (enqueued, or its runAt) to the start of its run.',
      labelNames: jobLabels,
      buckets: WAIT_BUCKETS,
      registers,
      // Adds what the runner observed since the last read (`PendingObservations`).
      collect() {
        PendingObservations.of(this)?.flush()
      },
    })
    const runDuration = new Histogram({
      name: PREFIX + 'job_run_duration_seconds',
      help: 'How long runs took, by outcome.',
      labelNames: [...jobLabels, 'outcome'],
      buckets: RUN_BUCKETS,
      registers,
      collect() {
        PendingObservations.of(this)?.flush()
      },
    })
    const checkpointWrites = new Counter({
      name: PREFIX + 'checkpoint_writes_total',
      help: 'Checkpoints of running jobs written to the database (periodic flushes and flush()).',
      registers,
    })
    // Each failure counts here, though the log holds one line of a kind a minute (src/support/repeatedFailures.ts).
    const runnerErrors = new Counter({
      name: PREFIX + 'runner_errors_total',
      help: "Failures of the runner's own work (claims, outcome writes, lease renewals, sweeps), by what failed.",
      labelNames: ['during'],
      registers,
    })
    this.httpRequests = new Counter({
      name: PREFIX + 'http_requests_total',
      help: 'HTTP requests answered, by route pattern and status.',
      labelNames: ['method', 'route', 'status'],
      registers,
      collect() {
        PendingCounts.of(this)?.flush()
      },
    })
    this.httpDuration = new Histogram({
      name: PREFIX + 'http_request_duration_seconds',
      help: 'HTTP request latency, by route pattern and status (long-polls included).',
      labelNames: ['method', 'route', 'status'],
      buckets: HTTP_BUCKETS,
      registers,
      // Adds what requests observed since the last read (`PendingObservations`).
      collect() {
        PendingObservations.of(this)?.flush()
      },
    })
    this.pendingRequests = new PendingCounts(this.httpRequests)
    this.pendingDurations = new PendingObservations(this.httpDuration, HTTP_BUCKETS)

    const { runner, lifecycle, jobs, log } = sources
    // One query per scrape, shared by the two gauges that need it (prom-client collects them concurrently).
    let depthQuery: Promise<readonly { queue: string | null; state: JobState; count: number }[] | undefined> | undefined
    const readDepth = () =>
      (depthQuery ??= withTimeout(sources.queueDepth(), queueDepthTimeoutMs)
        .catch((error: unknown) => {
          log.warn({ err: coerceError(error) }, 'metrics: the queue-depth query failed')
          return undefined
        })
        .finally(() => (depthQuery = undefined)))
    new Gauge({
      name: PREFIX + 'database_up',
      help: '1 when the queue-depth query of this scrape succeeded.',
      registers,
      async collect() {
        this.set((await readDepth()) === undefined ? 0 : 1)
      },
    })
    new Gauge({
      name: PREFIX + 'queue_jobs',
      help: 'Jobs in each queue and state, across every instance (read from the database at scrape time).',
      labelNames: ['queue', 'state'],
      registers,
      async collect() {
        const counts = await readDepth()
        this.reset()
        // Unknown is not zero: with the database down the series are left out, and database_up says why.
        if (counts === undefined) return
        for (const queue of [...sources.labels.queues, OTHER_LABEL]) {
          for (const state of JOB_STATES) this.set({ queue, state }, 0)
        }
        // inc, not set: a declared queue named like the `other` label adds to it rather than hiding it.
        for (const { queue, state, count } of counts) {
          this.inc({ queue: sources.labels.queue(queue ?? OTHER_LABEL), state }, count)
        }
      },
    })
    new Gauge({
      name: PREFIX + 'running_jobs',
      help: 'Jobs running in this instance now.',
      registers,
      collect() {
        this.set(runner.runningJobs)
      },
    })
    new Gauge({ name: PREFIX + 'concurrency', help: 'Jobs this instance runs at once at most.', registers }).set(
      sources.concurrency,
    )
    new Gauge({
      name: PREFIX + 'lifecycle_state',
      help: "This instance's lifecycle state: 1 for the current one.",
      labelNames: ['state'],
      registers,
      collect() {
        for (const state of LIFECYCLE_STATES) this.set({ state }, lifecycle.state === state ? 1 : 0)
      },
    })
    if (defaultMetrics) collectDefaultMetrics({ register: this.registry })
    const scheduleCounter = (name: string, help: string) =>
      new Counter({ name: PREFIX + name, help, labelNames: ['schedule', 'type'], registers })
    const scheduleFires = scheduleCounter('schedule_fires_total', 'Schedule slots whose job this instance enqueued.')
    const scheduleSkips = scheduleCounter(
      'schedule_skips_total',
      'Schedule slots not enqueued: the previous job still active (overlap), or a template its type refuses.',
    )
    const scheduleMisses = scheduleCounter(
      'schedule_misses_total',
      'Schedule slots missed while no instance fired them, beyond the backfill.',
    )

    const labelSets = new JobLabelSets(sources.labels)
    const labels = (job: Pick<OwnedJob, 'type' | 'queue'>) => labelSets.of(job)
    // Counted here and added to prom-client's counters and histograms when they are read (a
    // scrape): each `inc` or `observe` of prom-client hashes and checks its labels, four times a job
    // on the runner's hot path.
    const pendingEnqueued = new PendingCounts(enqueued)
    const pendingStarts = new PendingCounts(started)
    const pendingWaits = new PendingObservations(queueWait, WAIT_BUCKETS)
    const pendingRuns = new PendingObservations(runDuration, RUN_BUCKETS)
    const pendingOutcomes = new Map<JobOutcome, PendingCounts>()
    const runAtMs = new LastParsedTime()
    const outcomeCount = (outcome: JobOutcome) => {
      let pending = pendingOutcomes.get(outcome)
      if (!pending) {
        const counter = byOutcome[outcome]
        if (!counter) return undefined
        pendingOutcomes.set(outcome, (pending = new PendingCounts(counter)))
      }
      return pending
    }
    this.unsubscribe.push(
      jobs.events.on('jobs:enqueued', ({ jobs: fresh }) => {
        for (const job of fresh) pendingEnqueued.add(labels(job))
      }),
      jobs.events.on('job:cancelled', ({ job }) => byOutcome.cancelled?.inc(labels(job))),
      runner.events.on('job:start', ({ job, startedAt }) => {
        const jobLabels = labels(job)
        pendingStarts.add(jobLabels)
        // The start on this instance's clock against the stored `runAt`: skew between the two
        // clocks shows here, as it would in any wait measured across machines.
        pendingWaits.observe(jobLabels, Math.max(0, (startedAt - runAtMs.of(job.runAt)) / 1000))
      }),
      runner.events.on('job:settled', ({ job, outcome, ranMs }) => {
        outcomeCount(outcome)?.add(labels(job))
        // The code's own time: the outcome's write after it is not the job's (and waits with the
        // database when it is slow).
        if (ranMs !== undefined) pendingRuns.observe(labelSets.withOutcome(job, outcome), ranMs / 1000)
      }),
      runner.events.on('job:checkpoint', ({ ids }) => checkpointWrites.inc(ids.length)),
      runner.events.on('runner:error', ({ during }) => runnerErrors.inc({ during })),
      runner.events.on('jobs:expired', ({ jobs: expiredJobs }) => {
        for (const job of expiredJobs) expired.inc(labels(job))
      }),
      sources.scheduler?.events.on('schedule:fired', ({ schedule }) => {
        const labels = { schedule: sources.labels.schedule(schedule.id), type: sources.labels.type(schedule.jobType) }
        if (schedule.slots.length > 0) scheduleFires.inc(labels, schedule.slots.length)
        if (schedule.skipped > 0) scheduleSkips.inc(labels, schedule.skipped)
        if (schedule.missed > 0) scheduleMisses.inc(labels, schedule.missed)
      }) ?? (() => {}),
      runner.events.on('leases:recovered', ({ ids }) => {
        void Promise.all(ids.map((id) => jobs.get({ id, owner: undefined }).catch(() => undefined))).then((found) => {
          for (const job of found) if (job) recovered.inc(labels(job))
        })
      }),
    )
  }

  get contentType(): string {
    return this.registry.contentType
  }

  /** The Prometheus text exposition of every metric. */
  render(): Promise<string> {
    return this.registry.metrics()
  }

  observeRequest({ method, route, status, seconds }: RequestObservation): void {
    const labels = this.requestLabels.of(method, route, status)
    this.pendingRequests.add(labels)
    this.pendingDurations.observe(labels, seconds)
  }

  /** Stops listening to events; safe to call twice. */
  stop(): void {
    for (const off of this.unsubscribe.splice(0)) off()
  }
}

type JobLabels = { type: string; queue: string }
type JobOutcomeLabels = JobLabels & { outcome: JobOutcome }

/**
 * The label sets of job metrics, bounded (labelBounds.ts) once per type and queue and then reused:
 * the runner reports every start and every outcome, and a fresh object with two set lookups each
 * time was a measurable share of its CPU. They are found by type, then queue, so a lookup hashes
 * the job's own strings (their hash kept in them after the first) where a key built from both was
 * a new string to hash three or four times a job. At most `MAX_KEPT` pairs are kept (queue names
 * come from clients): past that the cache starts over.
 */
class JobLabelSets {
  private static readonly MAX_KEPT = 1000
  private readonly byType = new Map<string, Map<string, JobLabelEntry>>()
  private kept = 0

  constructor(private readonly bounds: LabelBounds) {}

  of(job: Pick<OwnedJob, 'type' | 'queue'>): JobLabels {
    return this.entry(job).labels
  }

  withOutcome(job: Pick<OwnedJob, 'type' | 'queue'>, outcome: JobOutcome): JobOutcomeLabels {
    const { labels, byOutcome } = this.entry(job)
    let set = byOutcome.get(outcome)
    if (!set) byOutcome.set(outcome, (set = { ...labels, outcome }))
    return set
  }

  private entry(job: Pick<OwnedJob, 'type' | 'queue'>): JobLabelEntry {
    return this.byType.get(job.type)?.get(job.queue) ?? this.add(job)
  }

  private add({ type, queue }: Pick<OwnedJob, 'type' | 'queue'>): JobLabelEntry {
    if (this.kept >= JobLabelSets.MAX_KEPT) {
      this.byType.clear()
      this.kept = 0
    }
    let byQueue = this.byType.get(type)
    if (!byQueue) this.byType.set(type, (byQueue = new Map()))
    const entry = { labels: { type: this.bounds.type(type), queue: this.bounds.queue(queue) }, byOutcome: new Map() }
    byQueue.set(queue, entry)
    this.kept += 1
    return entry
  }
}

type JobLabelEntry = { labels: JobLabels; byOutcome: Map<JobOutcome, JobOutcomeLabels> }

type RequestLabels = Readonly<{ method: string; route: string; status: string }>

/**
 * The label sets of the HTTP metrics, made once per method, route pattern and status and then
 * reused, found without building a key: every request is observed. Methods are bounded
 * (labelBounds.ts), routes are the app's patterns, statuses a few dozen; at most `MAX_KEPT` are kept
 * all the same, and past that the cache starts over.
 */
class RequestLabelSets {
  private static readonly MAX_KEPT = 1000
  private readonly byMethod = new Map<string, Map<string, Map<number, RequestLabels>>>()
  private kept = 0

  constructor(private readonly bounds: LabelBounds) {}

  of(method: string, route: string, status: number): RequestLabels {
    return this.byMethod.get(method)?.get(route)?.get(status) ?? this.add(method, route, status)
  }

  private add(method: string, route: string, status: number): RequestLabels {
    if (this.kept >= RequestLabelSets.MAX_KEPT) {
      this.byMethod.clear()
      this.kept = 0
    }
    let byRoute = this.byMethod.get(method)
    if (!byRoute) this.byMethod.set(method, (byRoute = new Map()))
    let byStatus = byRoute.get(route)
    if (!byStatus) byRoute.set(route, (byStatus = new Map()))
    const labels = { method: this.bounds.method(method), route, status: String(status) }
    byStatus.set(status, labels)
    this.kept += 1
    return labels
  }
}

/**
 * `Date.parse`, remembering the last text parsed: jobs enqueued together share their `runAt`, and
 * a drain starts tens of thousands a second.
 */
class LastParsedTime {
  private text = ''
  private ms = NaN

  of(text: string): number {
    if (text !== this.text) {
      this.text = text
      this.ms = Date.parse(text)
    }
    return this.ms
  }
}
