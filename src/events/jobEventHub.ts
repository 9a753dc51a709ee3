/**
 * Feeds every open event stream of this instance from one place. It hears which jobs changed (the
 * notifier's change notices: this instance's writes, other instances' outcomes over LISTEN/NOTIFY,
 * and live progress, relayed between instances within a fraction of a second), gathers the ids for
 * `flushDelayMs`, reads them all in ONE statement with their row versions, and hands each job to
 * the streams that follow it. A thousand streams on one job cost one read, not a thousand.
 *
 * Log lines travel the same way, from the table: the store announces the jobs whose lines it just
 * wrote (`jobLogged`: a checkpoint flush, a job's `flush()`, the outcome, on whichever instance runs
 * it), and the flush reads the lines after each stream's cursor in one more statement, at most
 * `logLinesPerRead` of each job. Lines reach a stream when they are stored, not when they are
 * logged: an id a client can resume from (`Last-Event-ID`) is a stored line's, so a line is sent
 * once and never lost to a restart. A job that finished is read for lines too, and its lines go
 * before its terminal state, which ends a job's stream.
 *
 * Notices are hints: streams of one job also have their job and its lines re-read every `pollMs`,
 * which catches what no notice announced (a start on another instance is announced only there).
 * Other instances send a job's notices here only while it is watched here (src/queue/watchRegistry.ts):
 * each stream of one job watches its job, and a stream of many jobs watches them all. When the
 * LISTEN connection comes back after a loss, streams of many jobs, which have no poll, are caught
 * up from the table (the jobs written since the oldest version they sent, as a reconnecting client
 * would be).
 *
 *   notice(id) ──▶ pending ids ──(flushDelayMs)──▶ one read ──▶ each follower of the job, each
 *   jobLogged(id) ─▶ pending log ids ──┘   (+ one read of lines)   stream of many jobs whose filter matches
 */
import type { OwnedJob } from '../queue/job.js'
import type { StreamedJobLogLine } from '../queue/jobLogStore.js'
import type { JobService } from '../queue/jobService.js'
import type { Notifier } from '../queue/notifier.js'
import type { VersionedJob } from '../queue/store.js'
import { compareLogIds, isFinished } from './jobEvents.js'

/** What a stream of many jobs filters on. */
export type StreamFilterJob = Pick<OwnedJob, 'owner' | 'type' | 'queue'> & { readonly state: string }

/** A stream as the hub sees it. */
export interface JobFollower {
  /** The one job it follows; undefined for a stream of many jobs. */
  readonly jobId?: string
  /** For a stream of many jobs: whether it wants this job (owner and filters). */
  wants?(job: StreamFilterJob): boolean
  deliver(versioned: VersionedJob): void
  /** The line id after which it wants the lines of job `jobId`. */
  logCursor(jobId: string): string
  /** Lines of any jobs, oldest first; it sends those it shows and lacks. Whether it sent any. */
  deliverLogs(lines: readonly StreamedJobLogLine[]): boolean
  /** The instance drains or stops: end with a reconnect hint. */
  end(retryMs: number): void
  /**
   * For a stream of many jobs: this instance cannot read the changes as fast as they come; end as a
   * client too slow to read is ended (it reconnects with `Last-Event-ID` and catches up from the table).
   */
  drop?(): void
  /** For a stream of many jobs: the newest row version it sent (or started from), to catch up after. */
  catchUpVersion?(): string
}

export interface JobEventHubConfig {
  flushDelayMs?: number
  pollMs?: number
  /** Most ids read per statement; more wait for the next flush. */
  maxBatch?: number
  /**
   * Most job ids waiting to be read while streams of many jobs are open (default 20 × `maxBatch`):
   * past it those streams are dropped (`JobFollower.drop`), and the ids only they wanted forgotten.
   */
  maxPending?: number
  /** Most log lines of one job read per flush; a job with more is read again at the next. */
  logLinesPerRead?: number
}

export interface JobEventHubDependencies {
  jobs: Pick<JobService, 'getVersioned' | 'events' | 'logsAfter' | 'writtenSince'>
  notifier: Pick<Notifier, 'subscribe' | 'watches' | 'onResync'>
  onError: (error: unknown) => void
}

/** Jobs a catch-up of the streams of many jobs reads at most (as a reconnecting client gets). */
const MAX_CATCH_UP_JOBS = 1000

export class JobEventHub {
  private readonly oneJob = new Map<string, Set<JobFollower>>()
  private readonly manyJobs = new Set<JobFollower>()
  private readonly pending = new Set<string>()
  /** Jobs whose stored lines to read at the next flush. */
  private readonly pendingLogs = new Set<string>()
  private flushTimer: NodeJS.Timeout | undefined
  private pollTimer: NodeJS.Timeout | undefined
  private flushing = false
  private readonly unsubscribe: (() => void)[] = []
  /** Each stream's watch (src/queue/watchRegistry.ts), ended with the stream. */
  private readonly unwatch = new Map<JobFollower, () => void>()
  private readonly flushDelayMs: number
  private readonly pollMs: number
  private readonly maxBatch: number
  private readonly maxPending: number
  private readonly logLinesPerRead: number

  constructor(
    config: JobEventHubConfig,
    private readonly deps: JobEventHubDependencies,
  ) {
    this.flushDelayMs = config.flushDelayMs ?? 25
    this.pollMs = config.pollMs ?? 1000
    this.maxBatch = config.maxBatch ?? 500
    this.maxPending = config.maxPending ?? 20 * this.maxBatch
    this.logLinesPerRead = config.logLinesPerRead ?? 200
    this.unsubscribe.push(
      deps.notifier.subscribe('jobChanged', (id) => this.changed(id)),
      deps.notifier.subscribe('jobLogged', (id) => this.logged(id)),
      // An enqueue announces its queue, not its jobs: streams of many jobs hear of new jobs here.
      deps.jobs.events.on('jobs:enqueued', ({ jobs }) => {
        if (this.manyJobs.size > 0) for (const job of jobs) this.changed(job.id)
      }),
      deps.notifier.onResync(() => void this.catchUp()),
    )
  }

  /** Streams open on this instance. */
  get size(): number {
    let size = this.manyJobs.size
    for (const followers of this.oneJob.values()) size += followers.size
    return size
  }

  add(follower: JobFollower): void {
    const { watches } = this.deps.notifier
    this.unwatch.set(follower, follower.jobId === undefined ? watches.watchAll() : watches.watch(follower.jobId))
    if (follower.jobId === undefined) {
      this.manyJobs.add(follower)
      return
    }
    let followers = this.oneJob.get(follower.jobId)
    if (!followers) this.oneJob.set(follower.jobId, (followers = new Set()))
    followers.add(follower)
    this.pollTimer ??= setInterval(() => this.poll(), this.pollMs).unref()
    // A new stream of one job gets the job's stored lines it lacks at once.
    this.logged(follower.jobId)
  }

  remove(follower: JobFollower): void {
    this.unwatch.get(follower)?.()
    this.unwatch.delete(follower)
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
    for (const unwatch of this.unwatch.values()) unwatch()
    this.unwatch.clear()
    if (this.flushTimer) clearTimeout(this.flushTimer)
    if (this.pollTimer) clearInterval(this.pollTimer)
    this.flushTimer = this.pollTimer = undefined
    this.pending.clear()
    this.pendingLogs.clear()
  }

  /**
   * Notices other instances sent while the LISTEN connection was down are lost: the streams of many
   * jobs get the jobs written since the oldest version any of them sent, at most `MAX_CATCH_UP_JOBS`
   * (each stream sends only what it has not: src/events/jobStream.ts).
   */
  private async catchUp(): Promise<void> {
    const since = [...this.manyJobs].reduce<string | undefined>((low, follower) => {
      const version = follower.catchUpVersion?.()
      return version !== undefined && (low === undefined || version < low) ? version : low
    }, undefined)
    if (since === undefined) return
    try {
      const missed = await this.deps.jobs.writtenSince({ owner: undefined, since, limit: MAX_CATCH_UP_JOBS })
      for (const versioned of missed) this.dispatch(versioned)
    } catch (error) {
      this.deps.onError(error)
    }
  }

  private changed(id: string): void {
    if (this.manyJobs.size === 0 && !this.oneJob.has(id)) return
    this.pending.add(id)
    if (this.pending.size > this.maxPending) this.fellBehind()
    this.schedule()
  }

  private logged(id: string): void {
    if (this.manyJobs.size === 0 && !this.oneJob.has(id)) return
    this.pendingLogs.add(id)
    if (this.pendingLogs.size > this.maxPending) this.fellBehind()
    this.schedule()
  }

  /**
   * More jobs changed than this instance reads (a stream of many jobs open beside a drain of 20,000
   * jobs a second): the ids waiting grew about 60 bytes a job, without bound (bench/RESULTS.md, P8
   * with the new features). The streams of many jobs are dropped as clients too slow to read are,
   * and reconnect with `Last-Event-ID`, caught up from the table; streams of one job keep their ids.
   */
  private fellBehind(): void {
    const dropped = [...this.manyJobs].filter((follower) => follower.drop !== undefined)
    if (dropped.length === 0) return
    for (const follower of dropped) {
      this.remove(follower)
      follower.drop!()
    }
    if (this.manyJobs.size > 0) return
    for (const id of this.pending) if (!this.oneJob.has(id)) this.pending.delete(id)
    for (const id of this.pendingLogs) if (!this.oneJob.has(id)) this.pendingLogs.delete(id)
  }

  private poll(): void {
    for (const id of this.oneJob.keys()) {
      this.pending.add(id)
      this.pendingLogs.add(id)
    }
    this.schedule()
  }

  private schedule(): void {
    if (this.flushTimer || this.flushing || this.pending.size + this.pendingLogs.size === 0) return
    this.flushTimer = setTimeout(() => {
      this.flushTimer = undefined
      void this.flush()
    }, this.flushDelayMs)
    this.flushTimer.unref()
  }

  private async flush(): Promise<void> {
    this.flushing = true
    const ids = [...takeFirst(this.pending, this.maxBatch)]
    const logIds = takeFirst(this.pendingLogs, this.maxBatch)
    try {
      const read = ids.length === 0 ? [] : await this.deps.jobs.getVersioned(ids)
      // Oldest write first, so that a stream of many jobs sends its events in version order.
      read.sort((a, b) => (a.version < b.version ? -1 : a.version > b.version ? 1 : 0))
      // A finished job's last lines were stored before its outcome: they go before its last state.
      for (const { job } of read) if (isFinished(job.state) && logIds.size < this.maxBatch) logIds.add(job.id)
      const more = await this.flushLogs([...logIds])
      for (const versioned of read) {
        // Lines still to read come before the end: the state waits for the next flush.
        if (more.has(versioned.job.id) && isFinished(versioned.job.state)) this.pending.add(versioned.job.id)
        else this.dispatch(versioned)
      }
    } catch (error) {
      this.deps.onError(error)
    } finally {
      this.flushing = false
      this.schedule()
    }
  }

  /**
   * Reads the lines the followers of `ids` lack, from the lowest cursor of each job, and hands them
   * out. Answers the jobs read in full that streams took lines of: they have more to read.
   */
  private async flushLogs(ids: readonly string[]): Promise<Set<string>> {
    const more = new Set<string>()
    const after: { jobId: string; afterId: string }[] = []
    for (const jobId of ids) {
      const followers = [...(this.oneJob.get(jobId) ?? []), ...this.manyJobs]
      if (followers.length === 0) continue
      const cursors = followers.map((follower) => follower.logCursor(jobId))
      after.push({ jobId, afterId: cursors.reduce((low, c) => (compareLogIds(c, low) < 0 ? c : low)) })
    }
    if (after.length === 0) return more
    const lines = await this.deps.jobs.logsAfter({ after, limitPerJob: this.logLinesPerRead })
    if (lines.length === 0) return more
    const byJob = new Map<string, StreamedJobLogLine[]>()
    for (const line of lines) {
      let of = byJob.get(line.jobId)
      if (!of) byJob.set(line.jobId, (of = []))
      of.push(line)
    }
    for (const [jobId, of] of byJob) {
      let sent = false
      for (const follower of this.oneJob.get(jobId) ?? []) sent = follower.deliverLogs(of) || sent
      for (const follower of this.manyJobs) sent = follower.deliverLogs(of) || sent
      // A full read may have left lines behind: read on from where the streams got to, as long as
      // they take them (a client that stopped reading gets the rest when it catches up, or never).
      if (of.length >= this.logLinesPerRead && sent) {
        this.pendingLogs.add(jobId)
        more.add(jobId)
      }
    }
    return more
  }

  private dispatch(versioned: VersionedJob): void {
    for (const follower of this.oneJob.get(versioned.job.id) ?? []) follower.deliver(versioned)
    for (const follower of this.manyJobs) if (follower.wants?.(versioned.job)) follower.deliver(versioned)
  }
}

/**
 * Removes and returns the first `most` ids of `set`, in insertion order: without copying the rest,
 * which, with a backlog of ids waiting, made each flush cost as much as the backlog.
 */
function takeFirst(set: Set<string>, most: number): Set<string> {
  const taken = new Set<string>()
  for (const id of set) {
    if (taken.size >= most) break
    taken.add(id)
  }
  for (const id of taken) set.delete(id)
  return taken
}
