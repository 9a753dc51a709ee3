/**
 * Assembles the service's signals about jobs and queues in one place, so that `startService` wires
 * them with a few lines: the bounded metric labels, the served-queues cache, the live progress
 * board with its relay to other instances, the job view that merges them into every read, and the
 * queue overview of `GET /v1/admin/queues`.
 */
import type { JobRegistry } from '../../jobs/registry.js'
import type { Database } from '../db/database.js'
import type { OwnedJob } from '../queue/job.js'
import type { Notifier } from '../queue/notifier.js'
import type { JobStore } from '../queue/store.js'
import type { PauseBoard } from '../queue/pauses.js'
import type { PauseStore } from '../queue/pauseStore.js'
import type { RunnerEvents, TypedEmitter } from '../runner/events.js'
import type { JobExecution } from '../runner/jobExecution.js'
import { ConcurrencyUsage } from './concurrencyUsage.js'
import type { LimitedQueue } from '../queue/limitedClaim.js'
import { JobSignals } from './jobSignals.js'
import { declaredQueues, LabelBounds } from './labelBounds.js'
import { LiveProgress } from './liveProgress.js'
import { ProgressRelay } from './progressRelay.js'
import { readQueueOverview, type QueueOverview } from './queueOverview.js'
import { ServedQueues } from './servedQueues.js'

export interface SignalsOptions {
  db: Pick<Database, 'session' | 'capabilities' | 'schema'>
  store: JobStore
  notifier: Pick<Notifier, 'publishLocal' | 'watches'>
  registry: Pick<JobRegistry, 'names' | 'get' | 'concurrencyLimits'>
  /** This instance's `QUEUES`. */
  queues: readonly string[]
  /** Limits per queue (`QUEUE_LIMITS`): a queued job of such a queue may wait `concurrency` or `rate-limit`. */
  queueLimits?: readonly LimitedQueue[]
  /** An instance whose heartbeat is older than a lease is not live. */
  leaseMs: number
  /** The cluster's pauses: a queued job of a paused queue or type waits `paused`; the overview shows them. */
  pauses?: Pick<PauseBoard, 'modeFor' | 'pausedQueues'>
  onError: (error: unknown, during: string) => void
}

export class Signals {
  readonly labels: LabelBounds
  readonly served: ServedQueues
  readonly progress: LiveProgress
  private readonly relay: ProgressRelay
  private readonly jobSignals: JobSignals
  private readonly declared: readonly string[]
  private readonly unsubscribe: (() => void)[] = []

  constructor(private readonly options: SignalsOptions) {
    const { db, store, notifier, registry, onError } = options
    this.declared = declaredQueues(registry, options.queues)
    const schedules = registry.names().flatMap((name) => (registry.get(name)?.schedules ?? []).map((s) => s.id))
    this.labels = new LabelBounds({ queues: this.declared, types: registry.names(), schedules })
    const onServedError = (error: unknown) => onError(error, 'served-queues read')
    this.served = new ServedQueues({ liveWithinMs: options.leaseMs }, store, onServedError)
    this.relay = new ProgressRelay({
      db,
      store,
      watches: notifier.watches,
      onRemote: (id, progress) => this.progress.accept(id, progress),
      onRemoteSettled: (id) => this.progress.forget(id),
      onError: (error) => onError(error, 'progress relay'),
    })
    // A change wakes this job's long-polls here; other instances hear it through the relay.
    this.progress = new LiveProgress({
      onChange: (id) => notifier.publishLocal('jobChanged', id),
      onPublish: (id, progress) => this.relay.publish(id, progress),
    })
    this.jobSignals = new JobSignals({
      served: this.served,
      progress: this.progress,
      ...(options.pauses ? { pauses: options.pauses } : {}),
      usage: new ConcurrencyUsage(registry.concurrencyLimits(), store, { queueLimits: options.queueLimits ?? [] }),
      onError: onServedError,
    })
  }

  /** The runner's progress hook (`RunnerDependencies.onProgress`). */
  readonly onProgress = (execution: JobExecution): void => {
    const { id, progress } = execution.currentState()
    if (progress) this.progress.report(id, progress)
  }

  /** The job service's view (`JobService`'s last argument). */
  readonly view = (jobs: readonly OwnedJob[]): Promise<OwnedJob[]> => this.jobSignals.view(jobs)

  /**
   * Listens to other instances' progress, sends the latest report of a job running here when another
   * instance begins watching it, and forgets a job's live progress once it settles here.
   */
  async start(runnerEvents: TypedEmitter<RunnerEvents>): Promise<void> {
    this.unsubscribe.push(
      this.options.notifier.watches.onRemoteWatch((watch) => {
        const reports =
          watch === 'all'
            ? [...this.progress.reportsHere()]
            : watch.ids.flatMap((id) => {
                const progress = this.progress.reportedHere(id)
                return progress ? [[id, progress] as const] : []
              })
        for (const [id, progress] of reports) this.relay.publish(id, progress)
      }),
      runnerEvents.on('job:settled', ({ job }) => {
        // Only a job that reported progress here has entries elsewhere.
        if (this.progress.get(job.id) === undefined) return
        this.progress.forget(job.id)
        this.relay.publishSettled(job.id)
      }),
    )
    await this.relay.start()
  }

  async stop(): Promise<void> {
    for (const off of this.unsubscribe.splice(0)) off()
    this.progress.clear()
    await this.relay.stop()
  }

  /** Queue depth for /metrics: undeclared queues summed by the store under a null queue. */
  queueDepth(): ReturnType<JobStore['countJobsByQueueBounded']> {
    return this.options.store.countJobsByQueueBounded({ named: this.declared, undeclaredLimit: 0 })
  }

  queueOverview(): Promise<QueueOverview> {
    const { store, pauses } = this.options
    return readQueueOverview({
      store,
      served: this.served,
      declared: this.declared,
      pausedQueues: pauses?.pausedQueues ?? new Set(),
    })
  }

  /** A queue is known when declared (job types, `QUEUES`), served by a live instance, or holding queued jobs. */
  async isKnownQueue(queue: string, store: Pick<PauseStore, 'queueHasQueuedJobs'>): Promise<boolean> {
    if (this.declared.includes(queue) || this.options.pauses?.pausedQueues.has(queue)) return true
    if ((await this.served.get()).has(queue)) return true
    return store.queueHasQueuedJobs(queue)
  }
}
