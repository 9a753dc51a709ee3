/**
 * P3's yardstick (the issue's): a bare Hono JSON POST route on @hono/node-server, no auth and no
 * database, in a process of its own. Prints `READY <port>` once listening.
 */
import type { AddressInfo } from 'node:net'
import { serve } from '@hono/node-server'
import { Hono } from 'hono'

const app = new Hono()
let next = 0
app.post('/v1/jobs', async (c) => {
  const body = await c.req.json<Record<string, unknown>>()
  next += 1
  return c.json({ id: String(next), state: 'queued', ...body }, 202)
})
serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, (info: AddressInfo) => {
  process.stdout.write(`READY ${info.port}\n`)
})
