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
  /** When each running job started here (monotonic clock), for the run-duration histogram. */
  private readonly startedAt = new Map<string, number>()
  private readonly httpRequests: Counter<'method' | 'route' | 'status'>
  private readonly httpDuration: Histogram<'method' | 'route' | 'status'>
  private readonly labelBounds: LabelBounds

  constructor(sources: MetricsSources, { defaultMetrics = true, queueDepthTimeoutMs = 2000 }: MetricsOptions = {}) {
    this.labelBounds = sources.labels
    const registers = [this.registry]
    const jobLabels = ['type', 'queue'] as const
    const counter = (name: string, help: string) =>
      new Counter({
        name: PREFIX + name,
        help,
        labelNames: jobLabels,
        registers,
        // Adds what the runner counted since the last read (`PendingCounts`).
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
        'Runs that ignored their shutdown token until the grace deadline: requeued anyway.',
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
    this.httpRequests = new Counter({
      name: PREFIX + 'http_requests_total',
      help: 'HTTP requests answered, by route pattern and status.',
      labelNames: ['method', 'route', 'status'],
      registers,
    })
    this.httpDuration = new Histogram({
      name: PREFIX + 'http_request_duration_seconds',
      help: 'HTTP request latency, by route pattern and status (long-polls included).',
      labelNames: ['method', 'route', 'status'],
      buckets: HTTP_BUCKETS,
      registers,
    })

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
    const pendingStarts = new PendingCounts(started)
    const pendingWaits = new PendingObservations(queueWait, WAIT_BUCKETS)
    const pendingRuns = new PendingObservations(runDuration, RUN_BUCKETS)
    const pendingOutcomes = new Map<JobOutcome, PendingCounts>()
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
        for (const job of fresh) enqueued.inc(labels(job))
      }),
      jobs.events.on('job:cancelled', ({ job }) => byOutcome.cancelled?.inc(labels(job))),
      runner.events.on('job:start', ({ job }) => {
        const jobLabels = labels(job)
        pendingStarts.add(jobLabels)
        this.startedAt.set(job.id, performance.now())
        if (job.startedAt !== null) {
          // Both times come from the database clock, so instance clock skew does not matter.
          const waited = (Date.parse(job.startedAt) - Date.parse(job.runAt)) / 1000
          pendingWaits.observe(jobLabels, Math.max(0, waited))
        }
      }),
      runner.events.on('job:settled', ({ job, outcome }) => {
        outcomeCount(outcome)?.add(labels(job))
        const startedAt = this.startedAt.get(job.id)
        this.startedAt.delete(job.id)
        if (startedAt !== undefined)
          pendingRuns.observe(labelSets.withOutcome(job, outcome), (performance.now() - startedAt) / 1000)
      }),
      runner.events.on('job:checkpoint', ({ ids }) => checkpointWrites.inc(ids.length)),
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
    const labels = { method: this.labelBounds.method(method), route, status: String(status) }
    this.httpRequests.inc(labels)
    this.httpDuration.observe(labels, seconds)
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

/**
 * Increments of one counter by label set, added to it when it is read (its `collect`): what
 * Prometheus scrapes is the same, and the hot path adds to a number in a map.
 */
class PendingCounts {
  private static readonly byCounter = new WeakMap<Counter<string>, PendingCounts>()
  private readonly counts = new Map<JobLabels, number>()

  constructor(private readonly counter: Counter<'type' | 'queue'>) {
    PendingCounts.byCounter.set(counter, this)
  }

  static of(counter: Counter<string>): PendingCounts | undefined {
    return PendingCounts.byCounter.get(counter)
  }

  add(labels: JobLabels): void {
    this.counts.set(labels, (this.counts.get(labels) ?? 0) + 1)
  }

  flush(): void {
    for (const [labels, count] of this.counts) this.counter.inc(labels, count)
    this.counts.clear()
  }
}

/** Observations of one label set since the last read: per bucket (not cumulative), then in all. */
interface Observed {
  readonly buckets: Float64Array
  count: number
  sum: number
}

/**
 * What prom-client's Histogram (15.1, lib/histogram.js) keeps per label set, and reads for the
 * scrape right after its `collect`. Its public API adds one observation per call, hashing the labels each time; nothing
 * public adds many, so `PendingObservations.flush` adds to these (the scrape test compares the output
 * with a histogram fed one `observe` at a time, and would catch a release that keeps them otherwise).
 */
interface HistogramSeries {
  labels: Record<string, string | number>
  bucketValues: Record<number, number>
  sum: number
  count: number
}

/**
 * Observations of one histogram by label set, added to it when it is read (its `collect`), as
 * `PendingCounts` does for counters: the hot path finds the bucket and adds to three numbers.
 * What Prometheus scrapes is the same buckets and counts; the sum is the same but for the order of
 * the additions, which a double may round differently in its last bits.
 */
class PendingObservations {
  private static readonly byHistogram = new WeakMap<Histogram<string>, PendingObservations>()
  private readonly observed = new Map<Readonly<Record<string, string>>, Observed>()

  constructor(
    private readonly histogram: Histogram<string>,
    private readonly bounds: readonly number[],
  ) {
    PendingObservations.byHistogram.set(histogram, this)
  }

  static of(histogram: Histogram<string>): PendingObservations | undefined {
    return PendingObservations.byHistogram.get(histogram)
  }

  observe(labels: Readonly<Record<string, string>>, value: number): void {
    // prom-client refuses these the same way, in the listener that observed them.
    if (!Number.isFinite(value)) throw new TypeError(`Value is not a valid number: ${value}`)
    let observed = this.observed.get(labels)
    if (!observed)
      this.observed.set(labels, (observed = { buckets: new Float64Array(this.bounds.length), count: 0, sum: 0 }))
    // Above the last bound, prom-client counts a value in `+Inf` (the count) alone.
    const bucket = this.bucketOf(value)
    if (bucket >= 0) observed.buckets[bucket]! += 1
    observed.count += 1
    observed.sum += value
  }

  flush(): void {
    if (this.observed.size === 0) return
    let series = this.seriesByLabels()
    const unseen = [...this.observed.keys()].filter((labels) => !series.has(valuesOf(labels)))
    if (unseen.length > 0) {
      // Made by prom-client's own `zero`, in the order its `observe` would have made them.
      for (const labels of unseen) this.histogram.zero(labels)
      series = this.seriesByLabels()
    }
    for (const [labels, observed] of this.observed) {
      const into = series.get(valuesOf(labels))
      if (!into) throw new Error(`prom-client keeps no series for ${JSON.stringify(labels)} where expected`)
      observed.buckets.forEach((count, i) => {
        const bound = this.bounds[i]!
        if (count > 0) into.bucketValues[bound] = (into.bucketValues[bound] ?? 0) + count
      })
      into.count += observed.count
      into.sum += observed.sum
    }
    this.observed.clear()
  }

  /** prom-client's rule: the first bound the value does not exceed. */
  private bucketOf(value: number): number {
    const bounds = this.bounds
    for (let i = 0; i < bounds.length; i++) if (value <= bounds[i]!) return i
    return -1
  }

  /** The histogram's series by label values (two label objects alike after `JobLabelSets` started over). */
  private seriesByLabels(): Map<string, HistogramSeries> {
    const { hashMap } = this.histogram as unknown as { hashMap: Record<string, HistogramSeries> }
    return new Map(Object.values(hashMap).map((series) => [valuesOf(series.labels), series]))
  }
}

/** A key for a label set by its values, whatever the order of its names (no job label holds a newline). */
function valuesOf(labels: Readonly<Record<string, string | number>>): string {
  return Object.keys(labels)
    .sort()
    .map((name) => `${name}=${labels[name]}`)
    .join('\n')
}
