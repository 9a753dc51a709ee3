/**
 * /v1/schedules: recurring jobs. PUT creates or replaces (idempotent), GET reads one (with its next
 * runs and last job) or lists them (keyset, by id), DELETE removes one, pause/resume/trigger act on
 * one. Owner isolation as for jobs: without `admin` another owner's schedule does not exist, and its
 * id cannot be taken (409: ids are one namespace). Schedules declared in code are changed in code:
 * PUT and DELETE answer 409 for them; pause, resume and trigger work.
 */
import { randomUUID } from 'node:crypto'
import { Hono } from 'hono'
import type { Context } from 'hono'
import { authenticate, ownerScope } from '../src/http/authenticate.js'
import { readJsonBody } from '../src/http/jsonBody.js'
import type { OpenApiSpec } from '../src/http/openapi.js'
import { HttpProblem } from '../src/http/problem.js'
import type { TokenVerifier } from '../src/auth/tokenVerifier.js'
import { InvalidJobError } from '../src/queue/jobService.js'
import { SCHEDULE_ID } from '../src/schedules/schedule.js'
import {
  InvalidScheduleError,
  type ScheduleChange,
  type ScheduleRequest,
  type ScheduleService,
} from '../src/schedules/scheduleService.js'
import { decodeCursor, encodeCursor } from '../src/http/cursor.js'
import { readInteger } from '../src/http/queryInteger.js'
import { publicJob } from './jobs.js'

export interface SchedulesRoutesOptions {
  schedules: ScheduleService
  spec: OpenApiSpec
  verifyToken: TokenVerifier
}

const DEFAULT_LIMIT = 50
const MAX_LIMIT = 100

export function schedulesRoutes({ schedules, spec, verifyToken }: SchedulesRoutesOptions): Hono {
  const app = new Hono()
  const validatePut = spec.schema('ScheduleRequest')
  const write = authenticate(verifyToken, 'jobs:write')
  const read = authenticate(verifyToken, 'jobs:read')

  app.get('/', read, async (c) => {
    const limit = readInteger(c.req.query('limit'), 'limit', { min: 1, max: MAX_LIMIT }) ?? DEFAULT_LIMIT
    const cursor = c.req.query('cursor')
    const afterId = cursor === undefined ? undefined : decodeCursor(cursor, 'after', SCHEDULE_ID)
    const page = await schedules.list({
      ...ownerScope(c.get('principal')),
      ...(afterId === undefined ? {} : { afterId }),
      limit: limit + 1,
    })
    const shown = page.slice(0, limit)
    return c.json({
      schedules: shown,
      nextCursor: page.length > limit ? encodeCursor('after', shown.at(-1)!.id) : null,
    })
  })

  app.get('/:id', read, async (c) => {
    const id = scheduleId(c)
    const schedule = await schedules.get({ ...ownerScope(c.get('principal')), id })
    if (!schedule) throw notFound(id)
    return c.json(schedule)
  })

  app.put('/:id', write, async (c) => {
    const id = c.req.param('id')
    // A PUT names the schedule it would create: an id no schedule may have is the caller's mistake
    // (400), where the other routes answer 404, as it names nothing.
    if (!SCHEDULE_ID.test(id)) {
      throw new HttpProblem(
        'invalid-parameter',
        'id must be 1 to 100 letters, digits, _ . or -, the first a letter or digit',
      )
    }
    const request = await readJsonBody<ScheduleRequest>(c, validatePut)
    const principal = c.get('principal')
    let outcome: Awaited<ReturnType<ScheduleService['put']>>
    try {
      outcome = await schedules.put({ id, owner: principal.sub, admin: principal.scopes.has('admin'), request })
    } catch (error) {
      if (error instanceof InvalidScheduleError) {
        throw new HttpProblem('invalid-schedule', error.message, { errors: error.problems })
      }
      throw error
    }
    const { schedule, created } = done(id, outcome)
    c.header('location', `/v1/schedules/${id}`)
    return c.json(schedule, created ? 201 : 200)
  })

  app.delete('/:id', write, async (c) => {
    const id = scheduleId(c)
    done(id, await schedules.delete({ ...ownerScope(c.get('principal')), id }))
    return c.body(null, 204)
  })

  for (const action of ['pause', 'resume'] as const) {
    app.post(`/:id/${action}`, write, async (c) => {
      const id = scheduleId(c)
      const scope = { ...ownerScope(c.get('principal')), id, paused: action === 'pause' }
      return c.json(done(id, await schedules.setPaused(scope)))
    })
  }

  app.post('/:id/trigger', write, async (c) => {
    const id = scheduleId(c)
    const key = c.req.header('idempotency-key') ?? randomUUID()
    if (key.length < 1 || key.length > 200) {
      throw new HttpProblem('invalid-parameter', 'Idempotency-Key must be 1 to 200 characters')
    }
    let outcome: Awaited<ReturnType<ScheduleService['trigger']>>
    try {
      outcome = await schedules.trigger({ ...ownerScope(c.get('principal')), id, key })
    } catch (error) {
      if (error instanceof InvalidJobError) throw new HttpProblem('invalid-job', error.message)
      throw error
    }
    if (outcome.kind === 'not-found') throw notFound(id)
    c.header('location', `/v1/jobs/${outcome.job.id}`)
    if (outcome.replayed) c.header('idempotent-replayed', 'true')
    return c.json(publicJob(outcome.job), outcome.replayed ? 200 : 202)
  })

  return app
}

function scheduleId(c: Context): string {
  const id = c.req.param('id') ?? ''
  // Not a 400: an id that cannot exist names no schedule.
  if (!SCHEDULE_ID.test(id)) throw notFound(id)
  return id
}

/** The schedule of a change that happened, or the problem of one that did not. */
function done<T>(id: string, outcome: ScheduleChange<T>): T {
  switch (outcome.kind) {
    case 'done':
      return outcome.schedule
    case 'not-found':
      throw notFound(id)
    case 'taken':
      throw new HttpProblem('schedule-conflict', `schedule id ${JSON.stringify(id)} is taken by another owner`)
    case 'declared-in-code':
      throw new HttpProblem(
        'schedule-conflict',
        `schedule ${JSON.stringify(id)} is declared in code (a job definition's schedules); change it there`,
      )
  }
}

function notFound(id: string): HttpProblem {
  return new HttpProblem('not-found', `no schedule ${JSON.stringify(id.slice(0, 100))} for this caller`)
}
