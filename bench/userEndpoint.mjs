/**
 * P3users' authenticated enqueue endpoint, as a user would build it without job-runner: Hono on
 * @hono/node-server, the bearer token verified with jose (HS256 pinned, the audience checked, the
 * scope read), then `insert(type, payload)`, the peer's one durable insert per request (its file
 * says which). Written as plainly as the peers' READMEs show, not tuned. Prints `READY <port>`;
 * JWT_SECRET is the secret tokens are signed with.
 */
import { serve } from '@hono/node-server'
import { Hono } from 'hono'
import { jwtVerify } from 'jose'

/** Serves `POST /v1/jobs` on a free loopback port; `insert` answers the 202's body. */
export function serveUserEndpoint(insert) {
  const secret = new TextEncoder().encode(process.env.JWT_SECRET)
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
    return c.json(await insert(body.type, body.payload ?? {}), 202)
  })
  serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, (info) => process.stdout.write(`READY ${info.port}\n`))
}
