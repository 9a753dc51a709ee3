/**
 * How another service calls this app's job-runner: mint a token with the shared secret, enqueue,
 * and wait for the result.
 *
 *   JOB_RUNNER_URL=http://127.0.0.1:3000 JWT_SECRET=… node scripts/enqueue.js import-rows '{"rows":500}'
 */
import { createClient, mintToken } from 'job-runner/client'

const [type = 'welcome-email', payload = '{"to":"ada@example.com","name":"Ada"}'] = process.argv.slice(2)
const secret = process.env.JWT_SECRET
if (!secret) throw new Error('set JWT_SECRET to the secret the service verifies tokens with')

const jobs = createClient({
  url: process.env.JOB_RUNNER_URL ?? 'http://127.0.0.1:3000',
  token: () => mintToken({ secret, sub: 'example-caller', scopes: ['jobs:write', 'jobs:read'], ttl: 300 }),
})
const job = await jobs.enqueue(type, JSON.parse(payload))
console.log(`enqueued job ${job.id} (${job.type}); waiting…`)
const done = await jobs.wait(job.id, { signal: AbortSignal.timeout(10 * 60_000) })
console.log(done.state, JSON.stringify(done.result ?? done.error))
