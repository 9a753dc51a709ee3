/**
 * /v1/admin pauses: stop every instance from claiming a queue's or a job type's work, and let it go
 * again. `POST /queues/{queue}/pause` and `/job-types/{type}/pause` take `{ "mode": "finish" |
 * "checkpoint" }` (default `finish`): `finish` lets running jobs end, `checkpoint` stops them with
 * the token reason `paused` and puts them back with their checkpoint, attempt refunded. Enqueues go
 * on being accepted. Stored: a pause outlives restarts (src/queue/pauseService.ts).
 */
import { Hono, type Context } from 'hono'
import type { TokenVerifier } from '../src/auth/tokenVerifier.js'
import { authenticate } from '../src/http/authenticate.js'
import { readJsonBody } from '../src/http/jsonBody.js'
import type { OpenApiSpec } from '../src/http/openapi.js'
import { HttpProblem } from '../src/http/problem.js'
import { UnknownPauseTargetError, type PauseService } from '../src/queue/pauseService.js'
import type { PauseKind, PauseMode } from '../src/queue/pauseStore.js'

export interface PausesRoutesOptions {
  pauses: PauseService
  spec: OpenApiSpec
  verifyToken: TokenVerifier
}

export function pausesRoutes({ pauses, spec, verifyToken }: PausesRoutesOptions): Hono {
  const app = new Hono()
  const admin = authenticate(verifyToken, 'admin')
  const validatePause = spec.schema('PauseRequest')
  const validName: Record<PauseKind, ReturnType<OpenApiSpec['schema']>> = {
    queue: spec.schema('QueueName'),
    type: spec.schema('JobType'),
  }

  /** The path's queue or type; a name no queue or type could have is as unknown as any other. */
  const target = (c: Context, kind: PauseKind, param: string): string => {
    const name: string = c.req.param(param) ?? ''
    if (!validName[kind](name)) throw unknown(new UnknownPauseTargetError(kind, String(name).slice(0, 100)))
    return name
  }
  const readMode = async (c: Context): Promise<PauseMode> => {
    // An empty body is `finish`, the mode that disturbs nothing.
    if ((c.req.header('content-length') ?? '0') === '0' && !c.req.header('transfer-encoding')) return 'finish'
    const { mode } = await readJsonBody<{ mode?: PauseMode }>(c, validatePause)
    return mode ?? 'finish'
  }

  app.get('/pauses', admin, async (c) => c.json({ pauses: await pauses.list() }))

  for (const [segment, kind, param] of [
    ['queues', 'queue', 'queue'],
    ['job-types', 'type', 'type'],
  ] as const) {
    app.post(`/${segment}/:${param}/pause`, admin, async (c) => {
      const name = target(c, kind, param)
      const mode = await readMode(c)
      return c.json(await pauses.pause({ kind, name, mode }).catch(rethrow))
    })
    app.post(`/${segment}/:${param}/resume`, admin, async (c) => {
      const name = target(c, kind, param)
      return c.json(await pauses.resume({ kind, name }).catch(rethrow))
    })
  }
  return app
}

function unknown(error: UnknownPauseTargetError): HttpProblem {
  return new HttpProblem('not-found', error.message)
}

function rethrow(error: unknown): never {
  if (error instanceof UnknownPauseTargetError) throw unknown(error)
  throw error
}
