/**
 * What a stream tells a client about one job, derived from the job as stored (plus its live
 * progress) and what the client was last told: `state` when the state changed (the whole job as
 * data), `retry` when a run went back to the queue with a new error (seen queued, or found in the
 * error history once the job has moved on), `checkpoint` when the row was written again with another
 * checkpoint, `progress` when the live progress moved, and `log` for each of the job's stored log
 * lines (src/queue/jobLogStore.ts) the client has not had.
 *
 * Every event's id is `{version}.{jobId}.{state}`: the version of the row (its last write, to the
 * microsecond: `JobStore.getVersionedJobs`) and the state it showed, followed by `.{logId}` once
 * the stream has sent log lines: the id of the last line sent (of this job on a job's stream; the
 * highest on a stream of many jobs). A client reconnecting with `Last-Event-ID` is compared with
 * the stored row: the state again only if it changed, a checkpoint only if the row was written
 * since, the log lines stored after its line id; nothing is replayed from memory, so a restart of
 * the instance it was connected to loses nothing.
 */
import { FINISHED_STATES, JOB_STATES, type JobError, type JobState, type OwnedJob } from '../queue/job.js'
import type { StreamedJobLogLine } from '../queue/jobLogStore.js'
import type { VersionedJob } from '../queue/store.js'
import type { SseEvent } from './sseStream.js'

/** What a client was last told of one job. Unknown fields (after a reconnect) compare as changed. */
export interface SeenJob {
  state: JobState
  version: string
  checkpoint?: string
  progress?: string
  lastErrorAt?: string | null
  /** The start of the run it saw (a running job that started again ran again: a new state). */
  startedAt?: string | null
  /** From a `Last-Event-ID`: the id of the last log line the client had (`.{logId}`). */
  logId?: string
  /** The cancel and pause requests it saw: a request to a running job is sent as its `state` again. */
  cancelRequestedAt?: string | null
  pauseRequested?: boolean
}

export const JOB_EVENT_TYPES = ['state', 'progress', 'checkpoint', 'retry', 'log'] as const

/** `{version}.{jobId}.{state}`, and `.{logId}` when log lines were sent. */
export function eventId(version: string, job: Pick<OwnedJob, 'id' | 'state'>, logId?: string): string {
  return `${version}.${job.id}.${job.state}${logId === undefined || logId === '0' ? '' : `.${logId}`}`
}

/** A `Last-Event-ID` this service issued, or undefined for anything else (then the stream starts afresh). */
export function parseEventId(
  raw: string | undefined,
): { version: string; jobId: string; state: JobState; logId?: string } | undefined {
  const match =
    raw === undefined ? null : /^([0-9]{20})\.([1-9][0-9]{0,17})\.([a-z]+)(?:\.([1-9][0-9]{0,17}))?$/.exec(raw)
  if (!match || !(JOB_STATES as readonly string[]).includes(match[3]!)) return undefined
  const parsed = { version: match[1]!, jobId: match[2]!, state: match[3] as JobState }
  return match[4] === undefined ? parsed : { ...parsed, logId: match[4] }
}

/** A stored log line as an event: the line as `GET /v1/jobs/{id}/logs` shows it, with its job's id. */
export function logEvent(line: StreamedJobLogLine, id: string): SseEvent {
  const { job: _job, jobId, ...shownLine } = line
  return { event: 'log', id, data: { jobId, ...shownLine } }
}

/** Compares two line ids (decimal bigint text). */
export function compareLogIds(a: string, b: string): number {
  return a.length !== b.length ? a.length - b.length : a < b ? -1 : a > b ? 1 : 0
}

export function isFinished(state: JobState): boolean {
  return FINISHED_STATES.includes(state)
}

/** The events that take a client from `seen` (undefined: told nothing yet) to `current`, and what it has then seen. */
export function eventsSince(
  seen: SeenJob | undefined,
  { job, version }: VersionedJob,
  logId = seen?.logId,
): { events: SseEvent[]; seen: SeenJob } {
  const id = eventId(version, job, logId)
  const checkpoint = JSON.stringify(job.checkpoint)
  const progress = JSON.stringify(job.progress)
  const lastErrorAt = job.errors.at(-1)?.at ?? null
  const now: SeenJob = {
    state: job.state,
    version,
    checkpoint,
    progress,
    lastErrorAt,
    startedAt: job.startedAt,
    cancelRequestedAt: job.cancelRequestedAt,
    pauseRequested: job.pauseRequested,
  }
  const events: SseEvent[] = []
  if (seen === undefined || seen.state !== job.state || isAnotherRun(seen, job) || isNewRequest(seen, job)) {
    const retried = seen === undefined ? undefined : retriedSince(seen, job, lastErrorAt)
    if (retried) {
      const error = job.state === 'queued' ? job.error : retried.message
      events.push({ event: 'retry', id, data: { jobId: job.id, attempts: retried.attempt, error, runAt: job.runAt } })
    }
    events.push({ event: 'state', id, data: shown(job) })
    return { events, seen: now }
  }
  if (seen.version !== version && seen.checkpoint !== checkpoint && job.checkpoint !== null) {
    events.push({ event: 'checkpoint', id, data: { jobId: job.id, checkpoint: job.checkpoint } })
  }
  if (seen.progress !== progress && job.progress !== null && job.state === 'running') {
    events.push({ event: 'progress', id, data: { jobId: job.id, ...job.progress } })
  }
  return { events, seen: now }
}

/**
 * The failed attempt that sent a run the client saw back to the queue, if one did: a new entry of
 * the error history (an interruption writes none) whose job went on. The stream reads the job when
 * it changes, a few times a second, so a retry due at once may already be running again, or have
 * ended, when it reads: the queued state between is not seen, the history is. A new entry of a job
 * that is now `failed` is its last attempt's, not a retry, unless there are two.
 */
function retriedSince(seen: SeenJob, job: OwnedJob, lastErrorAt: string | null): JobError | undefined {
  if (seen.state !== 'running' || seen.lastErrorAt === undefined || seen.lastErrorAt === lastErrorAt) return undefined
  const since = seen.lastErrorAt
  const fresh = since === null ? job.errors : job.errors.filter((entry) => entry.at > since)
  return (job.state === 'failed' ? fresh.slice(0, -1) : fresh).at(-1)
}

/**
 * A cancel or pause asked of the job since the client's last event (known only within one
 * connection: after a reconnect the stored row's state is what the client gets).
 */
function isNewRequest(seen: SeenJob, job: OwnedJob): boolean {
  return (
    (seen.cancelRequestedAt !== undefined && seen.cancelRequestedAt !== job.cancelRequestedAt) ||
    (seen.pauseRequested !== undefined && seen.pauseRequested !== job.pauseRequested)
  )
}

/**
 * A job running now in a run the client has not seen: it was interrupted (or retried) and claimed
 * again while the client was away. Known from the run's start, or, after a reconnect, from a start
 * later than the client's last event.
 */
function isAnotherRun(seen: SeenJob, job: OwnedJob): boolean {
  if (job.state !== 'running' || job.startedAt === null) return false
  if (seen.startedAt !== undefined) return seen.startedAt !== job.startedAt
  return versionOfIso(job.startedAt) > seen.version
}

/** An ISO timestamp (milliseconds) as a version (`YYYYMMDDHHMISSUS`): the same instant compares the same. */
function versionOfIso(iso: string): string {
  return `${iso.replace(/[-T:.Z]/g, '').slice(0, 17)}000`
}

/** The job as the API shows it: without its owner (the caller, or for an admin beside the point). */
function shown({ owner: _owner, ...job }: OwnedJob): Omit<OwnedJob, 'owner'> {
  return job
}
