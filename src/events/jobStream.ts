/**
 * One client's event stream: of one job (`GET /v1/jobs/{id}/events`, ended after the job's terminal
 * state) or of many (`GET /v1/events`, an owner's jobs matching a filter). It remembers what it told
 * the client of each job (`SeenJob`: bounded for a stream of many jobs), turns each job the hub hands
 * it into the events the client has not had (src/events/jobEvents.ts), and frees its place in the hub
 * and its caller's stream quota however it ends.
 */
import type { OwnedJob } from '../queue/job.js'
import type { VersionedJob } from '../queue/store.js'
import { eventsSince, isFinished, type SeenJob } from './jobEvents.js'
import type { JobEventHub, JobFollower } from './jobEventHub.js'
import { SseStream } from './sseStream.js'

export interface JobStreamOptions {
  hub: Pick<JobEventHub, 'add' | 'remove'>
  heartbeatMs: number
  /** The one job followed; undefined for a stream of many jobs. */
  jobId?: string
  /** For a stream of many jobs: the jobs it shows. */
  wants?: (job: OwnedJob) => boolean
  /** What the client says it saw (from `Last-Event-ID`), by job id. */
  seen?: ReadonlyMap<string, SeenJob>
  /** Called once when the stream ends (frees the caller's quota). */
  onEnd: () => void
}

/** Jobs a stream of many jobs remembers; past it the oldest is forgotten (a later change of it is sent as a state). */
const MAX_REMEMBERED_JOBS = 10_000

export class JobStream implements JobFollower {
  readonly jobId: string | undefined
  readonly wants: ((job: OwnedJob) => boolean) | undefined
  private readonly stream: SseStream
  private readonly seen: Map<string, SeenJob>

  constructor(private readonly options: JobStreamOptions) {
    this.jobId = options.jobId
    this.wants = options.wants
    this.seen = new Map(options.seen)
    this.stream = new SseStream({
      heartbeatMs: options.heartbeatMs,
      onEnd: () => {
        options.hub.remove(this)
        options.onEnd()
      },
    })
    options.hub.add(this)
  }

  get response(): Response {
    return this.stream.response
  }

  deliver(versioned: VersionedJob): void {
    if (!this.stream.isOpen) return
    const { job, version } = versioned
    const before = this.seen.get(job.id)
    // A read that started before an earlier delivery's may arrive after it: never go back.
    if (before && version < before.version) return
    const { events, seen } = eventsSince(before, versioned)
    this.remember(job.id, seen)
    for (const event of events) this.stream.send(event)
    if (this.jobId !== undefined && isFinished(job.state)) this.stream.end()
  }

  end(retryMs: number): void {
    this.stream.end(retryMs)
  }

  private remember(id: string, seen: SeenJob): void {
    this.seen.delete(id)
    this.seen.set(id, seen)
    if (this.seen.size <= MAX_REMEMBERED_JOBS) return
    const oldest = this.seen.keys().next().value
    if (oldest !== undefined) this.seen.delete(oldest)
  }
}
