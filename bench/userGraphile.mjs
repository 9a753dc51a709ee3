/**
 * P3users: the user-built enqueue endpoint (bench/userEndpoint.mjs) on graphile-worker: one durable
 * insert per request through a WorkerUtils `addJob` (graphile-worker's pooled helper: its own pg
 * pool, one `add_job` call and commit per job). DATABASE_URL names a database with graphile-worker's
 * schema.
 */
import { makeWorkerUtils } from 'graphile-worker'
import { serveUserEndpoint } from './userEndpoint.mjs'

const utils = await makeWorkerUtils({ connectionString: process.env.DATABASE_URL })

serveUserEndpoint(async (type, payload) => {
  const job = await utils.addJob(type, payload)
  return { id: job.id, type: job.task_identifier, runAt: job.run_at }
})
