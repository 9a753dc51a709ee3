/**
 * Feeds every open event stream of this instance from one place. It hears which jobs changed (the
 * notifier's change notices: this instance's writes, other instances' outcomes over LISTEN/NOTIFY,
 * and live progress, relayed between instances within a fraction of a second), gathers the ids for
 * `flushDelayMs`, reads them all in ONE statement with their row versions, and hands each job to
 * the streams that follow it. A thousand streams on one job cost one read, not a thousand.
 *
 * Notices are hints: streams of one job also have their job re-read every `pollMs`, which catches
 * what no notice announced (a start on another instance is announced only there).
 *
 *   notice(id) ──▶ pending ids ──(flushDelayMs)──▶ one read ──▶ each follower of the job, each
 *                                                               stream of many jobs whose filter matches
 */
import type { OwnedJob } from '../queue/job.js'
import type { JobService } from '../queue/jobService.js'
import type { Notifier } from '../queue/notifier.js'
import type { VersionedJob } from '../queue/store.js'

/** A stream as the hub sees it. */
export interface JobFollower {
  /** The one job it follows; undefined for a stream of many jobs. */
  readonly jobId?: string
  /** For a stream of many jobs: whether it wants this job (owner and filters). */
  wants?(job: OwnedJob): boolean
  deliver(versioned: VersionedJob): void
  /** The instance drains or stops: end with a reconnect hint. */
  end(retryMs: number): void
}

export interface JobEventHubConfig {
  flushDelayMs?: number
  pollMs?: number
  /** Most ids read per statement; more wait for the next flush. */
  maxBatch?: number
}

export interface JobEventHubDependencies {
  jobs: Pick<JobService, 'getVersioned' | 'events'>
  notifier: Pick<Notifier, 'subscribe'>
  onError: (error: unknown) => void
}

export class JobEventHub {
  private readonly oneJob = new Map<string, Set<JobFollower>>()
  private readonly manyJobs = new Set<JobFollower>()
  private readonly pending = new Set<string>()
  private flushTimer: NodeJS.Timeout | undefined
  private pollTimer: NodeJS.Timeout | undefined
  private flushing = false
  private readonly unsubscribe: (() => void)[] = []
  private readonly flushDelayMs: number
  private readonly pollMs: number
  private readonly maxBatch: number

  constructor(
    config: JobEventHubConfig,
    private readonly deps: JobEventHubDependencies,
  ) {
    this.flushDelayMs = config.flushDelayMs ?? 25
    this.pollMs = config.pollMs ?? 1000
    this.maxBatch = config.maxBatch ?? 500
    this.unsubscribe.push(
      deps.notifier.subscribe('jobChanged', (id) => this.changed(id)),
      // An enqueue announces its queue, not its jobs: streams of many jobs hear of new jobs here.
      deps.jobs.events.on('jobs:enqueued', ({ jobs }) => {
        if (this.manyJobs.size > 0) for (const job of jobs) this.changed(job.id)
      }),
    )
  }

  /** Streams open on this instance. */
  get size(): number {
    let size = this.manyJobs.size
    for (const followers of this.oneJob.values()) size += followers.size
    return size
  }

  add(follower: JobFollower): void {
    if (follower.jobId === undefined) {
      this.manyJobs.add(follower)
      return
    }
    let followers = this.oneJob.get(follower.jobId)
    if (!followers) this.oneJob.set(follower.jobId, (followers = new Set()))
    followers.add(follower)
    this.pollTimer ??= setInterval(() => this.poll(), this.pollMs).unref()
  }

  remove(follower: JobFollower): void {
    if (follower.jobId === undefined) {
      this.manyJobs.delete(follower)
    } else {
      const followers = this.oneJob.get(follower.jobId)
      followers?.delete(follower)
      if (followers?.size === 0) this.oneJob.delete(follower.jobId)
    }
    if (this.oneJob.size === 0 && this.pollTimer) {
      clearInterval(this.pollTimer)
      this.pollTimer = undefined
    }
  }

  /** Ends every stream with a reconnect hint (a drain, a shutdown); the hub stays usable. */
  endAll(retryMs: number): void {
    const all = [...this.manyJobs, ...[...this.oneJob.values()].flatMap((set) => [...set])]
    for (const follower of all) follower.end(retryMs)
  }

  stop(): void {
    for (const off of this.unsubscribe.splice(0)) off()
    if (this.flushTimer) clearTimeout(this.flushTimer)
    if (this.pollTimer) clearInterval(this.pollTimer)
    this.flushTimer = this.pollTimer = undefined
    this.pending.clear()
  }

  private changed(id: string): void {
    if (this.manyJobs.size === 0 && !this.oneJob.has(id)) return
    this.pending.add(id)
    this.schedule()
  }

  private poll(): void {
    for (const id of this.oneJob.keys()) this.pending.add(id)
    this.schedule()
  }

  private schedule(): void {
    if (this.flushTimer || this.flushing || this.pending.size === 0) return
    this.flushTimer = setTimeout(() => {
      this.flushTimer = undefined
      void this.flush()
    }, this.flushDelayMs)
    this.flushTimer.unref()
  }

  private async flush(): Promise<void> {
    this.flushing = true
    const ids = [...this.pending].slice(0, this.maxBatch)
    for (const id of ids) this.pending.delete(id)
    try {
      const read = await this.deps.jobs.getVersioned(ids)
      // Oldest write first, so that a stream of many jobs sends its events in version order.
      read.sort((a, b) => (a.version < b.version ? -1 : a.version > b.version ? 1 : 0))
      for (const versioned of read) this.dispatch(versioned)
    } catch (error) {
      this.deps.onError(error)
    } finally {
      this.flushing = false
      this.schedule()
    }
  }

  private dispatch(versioned: VersionedJob): void {
    for (const follower of this.oneJob.get(versioned.job.id) ?? []) follower.deliver(versioned)
    for (const follower of this.manyJobs) if (follower.wants?.(versioned.job)) follower.deliver(versioned)
  }
}
