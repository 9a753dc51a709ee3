/**
 * P3's second yardstick: what the durable insert alone costs. A bare Hono JSON POST route on
 * @hono/node-server that stores each body as a job through the service's own group commit
 * (`EnqueueBatches` over `JobStore`: the same statement, answered after its commit) and answers 202
 * with the job — no token, no validation, no request id, no metrics, no lifecycle. Ours is this plus
 * everything a real endpoint does; bare Hono is this minus PostgreSQL. Prints `READY <port>` once
 * listening; DATABASE_URL names the (migrated) database.
 */
import type { AddressInfo } from 'node:net'
import { serve } from '@hono/node-server'
import { Hono } from 'hono'
import { connectDatabase } from '../src/db/connect.js'
import type { Json } from '../src/queue/job.js'
import { EnqueueBatches } from '../src/queue/enqueueBatches.js'
import { JobStore } from '../src/queue/store.js'

const databaseUrl = process.env.DATABASE_URL
if (databaseUrl === undefined) throw new Error('set DATABASE_URL')
const db = await connectDatabase({ databaseUrl, dataDir: '' })
const batches = new EnqueueBatches(new JobStore(db.sql))

const app = new Hono()
app.post('/v1/jobs', async (c) => {
  const body = await c.req.json<{ type: string; payload?: Json }>()
  const { job } = await batches.enqueue('bench', {
    type: body.type, queue: 'default', payload: body.payload ?? {}, priority: 0, maxAttempts: 5,
    timeoutSeconds: null, runAt: null, idempotencyKey: null, requestHash: null,
  })
  const { owner: _owner, ...shown } = job
  return c.json(shown, 202)
})
serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, (info: AddressInfo) => {
  process.stdout.write(`READY ${info.port}\n`)
})
