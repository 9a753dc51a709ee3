/**
 * P3's second yardstick: what the durable insert alone costs. A bare Hono JSON POST route on
 * @hono/node-server that stores each body as a job through the service's own group commit
 * (`EnqueueBatches` over `JobStore`: the same statement, answered after its commit) and answers 202
 * with the job — no token, no validation, no request id, no metrics, no lifecycle. Ours is this plus
 * everything a real endpoint does; bare Hono is this minus PostgreSQL. Prints `READY <port>` once
 * listening; DATABASE_URL names the (migrated) database.
 *
 * STORE takes the insert apart for `--p3-steps`, each step adding one cost to the one before:
 * - `none`: each batch is answered on the next turn of the event loop, no database (holding the
 *   answers across a wait, batched as the group commit batches them);
 * - `round-trip`: one postgres.js statement per batch that reads the rows' JSON and writes nothing;
 * - `async-commit`: the real insert, its connections with `synchronous_commit = off` (everything but
 *   waiting for the WAL flush: not durable, a step only);
 * - `durable` (the default): the real insert, committed.
 *
 * GUARDED=1 puts ours' own guards in front of the insert, and nothing else of ours: the bearer token
 * checked by the service's verifier and its cache (JWT_SECRET, audience `job-runner`, scope
 * `jobs:write`), and the body read and validated against openapi.yaml's `EnqueueRequest` as
 * `POST /v1/jobs` reads it. An endpoint must do that much before it is safe to expose, so ours ÷ this
 * is what the rest of ours (ids, logs, metrics, tracing, the lifecycle's gate, wait reasons) costs.
 */
import type { AddressInfo } from 'node:net'
import { serve } from '@hono/node-server'
import { Hono, type Context } from 'hono'
import postgres from 'postgres'
import { DEFAULT_DATABASE_SCHEMA } from '../src/config.js'
import { connectDatabase } from '../src/db/connect.js'
import { toJob, type Json } from '../src/queue/job.js'
import { EnqueueBatches } from '../src/queue/enqueueBatches.js'
import { insertedJobRow, JobStore, type EnqueuedJob, type NewJob } from '../src/queue/store.js'
import { cachedTokenVerifier } from '../src/auth/tokenCache.js'
import { createTokenVerifier } from '../src/auth/tokenVerifier.js'
import { authenticate } from '../src/http/authenticate.js'
import { readJsonBody } from '../src/http/jsonBody.js'
import { OpenApiSpec } from '../src/http/openapi.js'
import '../src/http/context.js'

type Store = Pick<JobStore, 'enqueueJobs'>
const STORES: Record<string, (databaseUrl: string) => Promise<Store>> = {
  async none() {
    return {
      enqueueJobs: ({ owner, jobs }) => new Promise((resolve) => setImmediate(() => resolve(answered(owner, jobs)))),
    }
  },
  async 'round-trip'(databaseUrl) {
    const sql = connect(databaseUrl)
    return {
      async enqueueJobs({ owner, jobs }) {
        const rows = jobs.map((job, ord) => ({ ord, type: job.type, queue: job.queue, payload: job.payload }))
        // As many rows and columns back as the insert's answer has.
        const read = await sql<{ id: string }[]>`
          select (x.ord + 1)::text as id, to_char(now(), 'YYYY') as run_at, to_char(now(), 'YYYY') as created_at
          from jsonb_to_recordset(${sql.json(rows as unknown as Json)}) as x(ord int, type text, queue text, payload jsonb)`
        return answered(
          owner,
          jobs,
          read.map((r) => r.id),
        )
      },
    }
  },
  async 'async-commit'(databaseUrl) {
    return new JobStore(connect(databaseUrl, { synchronous_commit: 'off' }), DEFAULT_DATABASE_SCHEMA)
  },
  async durable(databaseUrl) {
    const db = await connectDatabase({ databaseUrl, dataDir: '' })
    return new JobStore(db.sql, db.schema)
  },
}

/**
 * A pool as `connectDatabase` opens one (src/db/connect.ts): the service's schema on the search path
 * (since migration 015 the tables live there), with startup settings of the step's own.
 */
function connect(databaseUrl: string, connection: Record<string, string> = {}) {
  return postgres(databaseUrl, {
    max: 10,
    fetch_types: false,
    onnotice: () => {},
    transform: { undefined: null },
    connection: { search_path: DEFAULT_DATABASE_SCHEMA, ...connection },
  })
}

let lastId = 0
/** The answer the insert's fast path builds, for the steps that insert nothing. */
function answered(owner: string, jobs: readonly NewJob[], ids?: readonly string[]): EnqueuedJob[] {
  const now = new Date().toISOString()
  return jobs.map((job, i) => ({
    replayed: false,
    job: toJob(insertedJobRow(owner, job, { id: ids?.[i] ?? String(++lastId), run_at: now, created_at: now })),
  }))
}

const databaseUrl = process.env.DATABASE_URL
const storeName = process.env.STORE ?? 'durable'
const openStore = STORES[storeName]
if (openStore === undefined) throw new Error(`STORE is one of ${Object.keys(STORES).join(', ')}`)
if (databaseUrl === undefined && storeName !== 'none') throw new Error('set DATABASE_URL')
const batches = new EnqueueBatches(await openStore(databaseUrl ?? ''))

type Body = { type: string; payload?: Json }
const app = new Hono()
const guards = process.env.GUARDED === '1' ? guarded() : undefined
const enqueue = async (c: Context) => {
  const body = guards ? await readJsonBody<Body>(c, guards.validate) : await c.req.json<Body>()
  const { job } = await batches.enqueue(guards ? c.get('principal').sub : 'bench', {
    type: body.type,
    queue: 'default',
    payload: body.payload ?? {},
    priority: 0,
    maxAttempts: 5,
    maxInterruptions: 20,
    timeoutSeconds: null,
    runAt: null,
    idempotencyKey: null,
    requestHash: null,
  })
  const { owner: _owner, ...shown } = job
  return c.json(shown, 202)
}
if (guards) app.post('/v1/jobs', guards.authenticate, enqueue)
else app.post('/v1/jobs', enqueue)

function guarded() {
  const secret = process.env.JWT_SECRET
  if (secret === undefined) throw new Error('GUARDED=1 needs JWT_SECRET')
  const verifyToken = cachedTokenVerifier(createTokenVerifier({ secret, audience: 'job-runner' }))
  return {
    authenticate: authenticate(verifyToken, 'jobs:write'),
    validate: OpenApiSpec.load().schema('EnqueueRequest'),
  }
}

serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, (info: AddressInfo) => {
  process.stdout.write(`READY ${info.port}\n`)
})
