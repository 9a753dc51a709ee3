/**
 * The live progress board: the latest progress each running job reported, kept in memory so that
 * readers see it within a fraction of a second, while the table only learns it at checkpoint
 * flushes and at the outcome (a write per `progress()` call would cost a statement per report).
 *
 * A job's entry is set at once on every report; the announcement of a change (which wakes the
 * job's `?wait` long-polls here, and, through `onPublish`, other instances) goes out at most once
 * per `throttleMs` per job, the last report of a burst always included (a trailing publish).
 * Entries from other instances arrive through `accept`. An entry is dropped when its job settles
 * (here, or on the instance that ran it: `forget`), or, oldest first, past `maxEntries`, so the
 * board stays bounded whatever other instances send (or fail to send).
 */
import type { JobProgress } from '../queue/job.js'

export interface LiveProgressConfig {
  throttleMs?: number
  maxEntries?: number
}

export interface LiveProgressEvents {
  /** A job's progress changed: wake its watchers here. */
  onChange: (id: string) => void
  /** Progress reported by a job running here, throttled: tell the other instances. */
  onPublish?: (id: string, progress: JobProgress) => void
}

interface Entry {
  progress: JobProgress
  /** Only for reports of jobs running here. */
  publishedAt?: number
  timer?: NodeJS.Timeout | undefined
}

export class LiveProgress {
  private readonly entries = new Map<string, Entry>()
  private readonly throttleMs: number
  private readonly maxEntries: number

  constructor(
    private readonly events: LiveProgressEvents,
    { throttleMs = 100, maxEntries = 10_000 }: LiveProgressConfig = {},
  ) {
    this.throttleMs = throttleMs
    this.maxEntries = maxEntries
  }

  /** The latest progress known for a job, if it is live somewhere. */
  get(id: string): JobProgress | undefined {
    return this.entries.get(id)?.progress
  }

  get size(): number {
    return this.entries.size
  }

  /** The latest report of job `id` if it runs here (not one relayed from another instance). */
  reportedHere(id: string): JobProgress | undefined {
    const entry = this.entries.get(id)
    return entry?.publishedAt === undefined ? undefined : entry.progress
  }

  /** The latest report of each job running here. */
  *reportsHere(): Iterable<[string, JobProgress]> {
    for (const [id, entry] of this.entries) if (entry.publishedAt !== undefined) yield [id, entry.progress]
  }

  /** A report from a job running here. */
  report(id: string, progress: JobProgress): void {
    const entry = this.entries.get(id)
    if (!entry) {
      this.add(id, { progress })
      this.publish(id)
      return
    }
    entry.progress = progress
    if (entry.timer) return
    const waitMs = (entry.publishedAt ?? 0) + this.throttleMs - Date.now()
    if (waitMs <= 0) return this.publish(id)
    entry.timer = setTimeout(() => {
      entry.timer = undefined
      if (this.entries.get(id) === entry) this.publish(id)
    }, waitMs)
    entry.timer.unref()
  }

  /** A report relayed from another instance. */
  accept(id: string, progress: JobProgress): void {
    const entry = this.entries.get(id)
    if (entry) {
      entry.progress = progress
      // Kept in arrival order, so the oldest entries are the first to go past `maxEntries`.
      this.entries.delete(id)
      this.entries.set(id, entry)
    } else {
      this.add(id, { progress })
    }
    this.events.onChange(id)
  }

  /** The job settled, or is no longer running: its entry goes. */
  forget(id: string): void {
    const entry = this.entries.get(id)
    if (!entry) return
    if (entry.timer) clearTimeout(entry.timer)
    this.entries.delete(id)
  }

  /** Drops every entry and pending publish; safe to call twice. */
  clear(): void {
    for (const entry of this.entries.values()) if (entry.timer) clearTimeout(entry.timer)
    this.entries.clear()
  }

  private add(id: string, entry: Entry): void {
    this.entries.set(id, entry)
    if (this.entries.size <= this.maxEntries) return
    const oldest = this.entries.keys().next().value
    if (oldest !== undefined) this.forget(oldest)
  }

  private publish(id: string): void {
    const entry = this.entries.get(id)
    if (!entry) return
    entry.publishedAt = Date.now()
    this.events.onChange(id)
    this.events.onPublish?.(id, entry.progress)
  }
}
