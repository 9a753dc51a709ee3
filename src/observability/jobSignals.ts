/**
 * What a job read says beyond its row: why a queued job waits (`waitReason`) and the progress a
 * running job reported since its last checkpoint flush (the live progress board). Every job the
 * API answers with passes through `view`; it costs no query of its own beyond the served-queues
 * cache (servedQueues.ts), and none at all when no job in the answer is queued.
 *
 * Wait reasons are checked in the order of `WAIT_REASONS` (src/queue/job.ts); a new reason is a new
 * entry there, a check here, and whatever that check needs in `WaitContext`.
 */
import { WAIT_REASONS, type OwnedJob, type WaitReason } from '../queue/job.js'
import type { PauseBoard } from '../queue/pauses.js'
import type { ConcurrencyUsage } from './concurrencyUsage.js'
import type { LiveProgress } from './liveProgress.js'
import type { ServedQueueMap, ServedQueues } from './servedQueues.js'

export interface WaitContext {
  /** The pause that holds a job, if any (src/queue/pauses.ts). */
  paused?: (job: OwnedJob) => boolean
  /** Its job type's concurrency limits leave no place for it now (src/observability/concurrencyUsage.ts). */
  atLimit?: (job: OwnedJob) => boolean
  /** Its job type's rate limit allows no start now. */
  atRate?: (job: OwnedJob) => boolean
  /** Queues some live instance serves; undefined when they could not be read (then no job is said to have none). */
  served: ServedQueueMap | undefined
  /** Milliseconds since the epoch, the time the reasons are judged at. */
  now: number
}

const WAIT_CHECKS: Readonly<Record<WaitReason, (job: OwnedJob, context: WaitContext) => boolean>> = {
  'no-instance': (job, { served }) => served !== undefined && !served.has(job.queue),
  paused: (job, { paused }) => paused?.(job) ?? false,
  scheduled: (job, { now }) => Date.parse(job.runAt) > now,
  concurrency: (job, { atLimit }) => atLimit?.(job) ?? false,
  'rate-limit': (job, { atRate }) => atRate?.(job) ?? false,
}

/** Why `job` waits, or null when it is not queued or is ready and waits only for a free slot. */
export function waitReasonOf(job: OwnedJob, context: WaitContext): WaitReason | null {
  if (job.state !== 'queued') return null
  for (const reason of WAIT_REASONS) if (WAIT_CHECKS[reason](job, context)) return reason
  return null
}

export interface JobSignalsDependencies {
  served: Pick<ServedQueues, 'get'>
  progress: Pick<LiveProgress, 'get'>
  pauses?: Pick<PauseBoard, 'modeFor'>
  usage?: Pick<ConcurrencyUsage, 'isLimited' | 'get' | 'atLimit' | 'atRate'>
  onError?: (error: unknown) => void
}

export class JobSignals {
  private readonly paused: (job: OwnedJob) => boolean

  constructor(private readonly deps: JobSignalsDependencies) {
    const pauses = deps.pauses
    this.paused = pauses ? (job) => pauses.modeFor(job) !== undefined : () => false
  }

  /**
   * The jobs as the API shows them: live progress merged, wait reasons filled in. Never rejects: an
   * enqueue has committed by the time its answer is viewed. Should the served queues be unknown (a
   * database that has not answered since start-up), `no-instance` is not claimed.
   */
  async view(jobs: readonly OwnedJob[]): Promise<OwnedJob[]> {
    const anyQueued = jobs.some((job) => job.state === 'queued')
    // No await for the limits unless a queued job of a limited type is shown (one fewer per enqueue).
    const context: WaitContext | undefined = anyQueued
      ? {
          served: await this.servedOrUnknown(),
          now: Date.now(),
          paused: this.paused,
          ...(this.anyLimited(jobs) ? await this.limits() : {}),
        }
      : undefined
    return jobs.map((job) => {
      const live = this.liveProgress(job)
      const waitReason = context ? waitReasonOf(job, context) : null
      if (live === undefined && waitReason === job.waitReason) return job
      return { ...job, waitReason, ...(live ? { progress: live } : {}) }
    })
  }

  /** Whether a queued job of a limited type is shown: only then are the limits read. */
  private anyLimited(jobs: readonly OwnedJob[]): boolean {
    const usage = this.deps.usage
    return usage !== undefined && jobs.some((job) => job.state === 'queued' && usage.isLimited(job.type, job.queue))
  }

  /** The concurrency check (`anyLimited`); none when usage is unreadable. */
  private async limits(): Promise<Pick<WaitContext, 'atLimit' | 'atRate'>> {
    const usage = this.deps.usage
    if (!usage) return {}
    try {
      const snapshot = await usage.get()
      return { atLimit: (job) => usage.atLimit(job, snapshot), atRate: (job) => usage.atRate(job, snapshot) }
    } catch (error) {
      this.deps.onError?.(error)
      return {}
    }
  }

  private async servedOrUnknown(): Promise<ServedQueueMap | undefined> {
    try {
      return await this.deps.served.get()
    } catch (error) {
      this.deps.onError?.(error)
      return undefined
    }
  }

  /**
   * Only a running job's row is behind its board entry: a settled or requeued job's row holds its
   * last progress, and a read that began before the job started holds a queued row. (Entries go
   * when their job settles, here or, through the relay, on the instance that ran it.)
   */
  private liveProgress(job: OwnedJob) {
    return job.state === 'running' ? this.deps.progress.get(job.id) : undefined
  }
}
