/**
 * P3users: the authenticated enqueue endpoint a user would build without job-runner, on pg-boss:
 * Hono on @hono/node-server, the bearer token verified with jose (HS256 pinned, the audience
 * checked, the scope read), and one durable insert per request through `boss.send` (pg-boss's own
 * pool, one insert and commit per job). Written as plainly as its README shows, not tuned. Prints
 * `READY <port>`; DATABASE_URL names a database with pg-boss's schema, JWT_SECRET the secret tokens
 * are signed with.
 */
import { serve } from '@hono/node-server'
import { Hono } from 'hono'
import { jwtVerify } from 'jose'
import { PgBoss } from 'pg-boss'

const secret = new TextEncoder().encode(process.env.JWT_SECRET)
const boss = new PgBoss(process.env.DATABASE_URL)
boss.on('error', (error) => console.error('pg-boss error', error))
await boss.start()
await boss.createQueue('echo')

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
  const id = await boss.send(body.type, body.payload ?? {})
  return c.json({ id, type: body.type }, 202)
})
serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, (info) => process.stdout.write(`READY ${info.port}\n`))
