/**
 * P3users: the authenticated enqueue endpoint a user would build without job-runner, on
 * graphile-worker: Hono on @hono/node-server, the bearer token verified with jose (HS256 pinned, the
 * audience checked, the scope read), and one durable insert per request through a WorkerUtils
 * `addJob` (graphile-worker's pooled helper: its own pg pool, one `add_job` call and commit per job).
 * Written as plainly as its README shows, not tuned. Prints `READY <port>`; DATABASE_URL names a
 * database with graphile-worker's schema, JWT_SECRET the secret tokens are signed with.
 */
import { serve } from '@hono/node-server'
import { Hono } from 'hono'
import { jwtVerify } from 'jose'
import { makeWorkerUtils } from 'graphile-worker'

const secret = new TextEncoder().encode(process.env.JWT_SECRET)
const utils = await makeWorkerUtils({ connectionString: process.env.DATABASE_URL })

const app = new Hono()
app.post('/v1/jobs', async (c) => {
  const token = /^Bearer (.+)$/.exec(c.req.header('authorization') ?? '')?.[1]
  if (!token) return c.json({ error: 'missing token' }, 401)
  let claims
  try {
    ;({ payload: claims } = await jwtVerify(token, secret, { algorithms: ['HS256'], audience: 'job-runner' }))
  } catch {
    return c.json({ error: 'invalid_token' }, 401)
  }
  if (
    !String(claims.scope ?? '')
      .split(' ')
      .includes('jobs:write')
  )
    return c.json({ error: 'insufficient_scope' }, 403)
  const body = await c.req.json()
  if (typeof body.type !== 'string') return c.json({ error: 'type is required' }, 422)
  const job = await utils.addJob(body.type, body.payload ?? {})
  return c.json({ id: job.id, type: job.task_identifier, runAt: job.run_at }, 202)
})
serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, (info) => process.stdout.write(`READY ${info.port}\n`))
