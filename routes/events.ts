/**
 * Event streams (Server-Sent Events): `GET /v1/jobs/{id}/events` follows one job until its terminal
 * state; `GET /v1/events?queue=&type=&state=` follows the caller's jobs (an admin's: everyone's).
 * Event ids come from the stored rows and log lines (src/events/jobEvents.ts), so a client
 * reconnecting with `Last-Event-ID`, to this instance or another, is brought up to the stored state
 * and gets the stored lines it missed. Each caller may hold `streamsPerOwner` streams at once on an
 * instance; more get 429, like long-polls.
 */
import { Hono } from 'hono'
import type { Context } from 'hono'
import { authenticate, ownerScope } from '../src/http/authenticate.js'
import type { OpenApiSpec } from '../src/http/openapi.js'
import { HttpProblem } from '../src/http/problem.js'
import type { TokenVerifier } from '../src/auth/tokenVerifier.js'
import { isFinished, parseEventId, type SeenJob } from '../src/events/jobEvents.js'
import type { JobEventHub } from '../src/events/jobEventHub.js'
import { JobStream } from '../src/events/jobStream.js'
import { JOB_STATES } from '../src/queue/job.js'
import type { JobService } from '../src/queue/jobService.js'
import type { StreamFilterJob } from '../src/events/jobEventHub.js'

export interface EventsRoutesOptions {
  jobs: Pick<JobService, 'getVersioned' | 'writtenSince' | 'logsAfter' | 'ownerLogsAfter' | 'eventStreamStart'>
  hub: JobEventHub
  spec: OpenApiSpec
  verifyToken: TokenVerifier
  /** Streams one owner may hold open at once on this instance (EVENT_STREAMS_PER_OWNER). */
  streamsPerOwner: number
  /** Between two comment lines of a stream (EVENT_HEARTBEAT_SECONDS; default 15 s). */
  heartbeatMs?: number
}

/** Jobs a reconnecting stream of many jobs is sent from the table at most; the rest it has missed. */
const MAX_CATCH_UP_JOBS = 1000
/** Log lines a reconnecting stream of many jobs is sent from the table at most. */
const MAX_CATCH_UP_LINES = 1000
/** A finished job's stored log sent before its last state (the whole log is 1,000 lines at most). */
const MAX_FINISHED_JOB_LINES = 1000

export function eventsRoutes({
  jobs,
  hub,
  spec,
  verifyToken,
  streamsPerOwner,
  heartbeatMs,
}: EventsRoutesOptions): Hono {
  const app = new Hono()
  const read = authenticate(verifyToken, 'jobs:read')
  const openStreams = new Map<string, number>()
  const filterSchemas = { type: spec.schema('JobType'), queue: spec.schema('QueueName') }

  /** Takes one of the caller's stream slots, or refuses with 429; the answer frees it when the stream ends. */
  const reserve = (owner: string): (() => void) => {
    const held = openStreams.get(owner) ?? 0
    if (held >= streamsPerOwner) {
      throw new HttpProblem(
        'too-many-requests',
        `at most ${streamsPerOwner} event streams may be open at once per caller`,
        {
          headers: { 'retry-after': '1' },
        },
      )
    }
    openStreams.set(owner, held + 1)
    let freed = false
    return () => {
      if (freed) return
      freed = true
      const left = (openStreams.get(owner) ?? 1) - 1
      if (left > 0) openStreams.set(owner, left)
      else openStreams.delete(owner)
    }
  }

  app.get('/v1/jobs/:id{[0-9]+}/events', read, async (c) => {
    const id = c.req.param('id')
    const { owner } = ownerScope(c.get('principal'))
    const [current] = await jobs.getVersioned([id])
    if (!current || (owner !== undefined && current.job.owner !== owner)) {
      throw new HttpProblem('not-found', `no job ${JSON.stringify(id.slice(0, 100))} for this caller`)
    }
    const last = parseEventId(lastEventId(c))
    const seen = last?.jobId === id ? new Map<string, SeenJob>([[id, last]]) : undefined
    // WHATWG HTML §9.2: a 204 tells an EventSource to stop reconnecting. A client that saw the
    // terminal state it would be told again has nothing left to hear.
    if (seen && isFinished(current.job.state) && last!.state === current.job.state) return c.body(null, 204)
    const free = reserve(c.get('principal').sub)
    let stream: JobStream
    try {
      const logFloor = last?.jobId === id ? (last.logId ?? '0') : '0'
      // A finished job's stream ends with its last state: its lines are sent first, from here. A
      // running job's come from the hub, which reads the lines a new stream lacks at once.
      const lines = isFinished(current.job.state)
        ? await jobs.logsAfter({ after: [{ jobId: id, afterId: logFloor }], limitPerJob: MAX_FINISHED_JOB_LINES })
        : []
      stream = new JobStream({
        hub,
        jobId: id,
        logFloor,
        onEnd: free,
        ...(heartbeatMs === undefined ? {} : { heartbeatMs }),
        ...(seen ? { seen } : {}),
      })
      stream.deliverLogs(lines)
    } catch (error) {
      free()
      throw error
    }
    stream.deliver(current)
    return stream.response
  })

  app.get('/v1/events', read, async (c) => {
    const { owner } = ownerScope(c.get('principal'))
    const state = c.req.query('state')
    if (state !== undefined && !(JOB_STATES as readonly string[]).includes(state)) {
      throw new HttpProblem('invalid-parameter', `state must be one of ${JOB_STATES.join(', ')}`)
    }
    const type = readFilter(c.req.query('type'), 'type', filterSchemas.type)
    const queue = readFilter(c.req.query('queue'), 'queue', filterSchemas.queue)
    const wants = (job: StreamFilterJob) =>
      (owner === undefined || job.owner === owner) &&
      (type === undefined || job.type === type) &&
      (queue === undefined || job.queue === queue) &&
      (state === undefined || job.state === state)
    const last = parseEventId(lastEventId(c))
    const free = reserve(c.get('principal').sub)
    let stream: JobStream
    try {
      // What the client missed, from the table: each job written since its last event, as it is
      // now, and the lines stored after the last it had. A new stream starts at the newest line.
      const missed = last ? await jobs.writtenSince({ owner, since: last.version, limit: MAX_CATCH_UP_JOBS }) : []
      const start = await jobs.eventStreamStart()
      const logFloor = last?.logId ?? start.logId
      const lines = last?.logId
        ? await jobs.ownerLogsAfter({ owner, afterId: logFloor, limit: MAX_CATCH_UP_LINES })
        : []
      stream = new JobStream({
        hub,
        wants,
        logFloor,
        startVersion: last?.version ?? start.version,
        onEnd: free,
        ...(heartbeatMs === undefined ? {} : { heartbeatMs }),
      })
      stream.deliverLogs(lines)
      for (const versioned of missed) if (wants(versioned.job)) stream.deliver(versioned)
    } catch (error) {
      free()
      throw error
    }
    return stream.response
  })

  return app
}

/** openapi.yaml's `maxLength` of an event id; none this service sends is half as long. */
const MAX_EVENT_ID_LENGTH = 100

/** The id the client last saw; one over `MAX_EVENT_ID_LENGTH` is refused, not ignored as unknown. */
function lastEventId(c: Context): string | undefined {
  const header = c.req.header('last-event-id')
  const [name, id] = header === undefined ? ['lastEventId', c.req.query('lastEventId')] : ['Last-Event-ID', header]
  if (id !== undefined && id.length > MAX_EVENT_ID_LENGTH) {
    throw new HttpProblem('invalid-parameter', `${name} must be at most ${MAX_EVENT_ID_LENGTH} characters`)
  }
  return id
}

function readFilter(raw: string | undefined, name: string, validate: (value: unknown) => boolean): string | undefined {
  if (raw !== undefined && !validate(raw))
    throw new HttpProblem('invalid-parameter', `${name} is not a valid ${name} name`)
  return raw
}
