/**
 * /v1/admin: what an orchestrator needs to drain an instance without a signal, watch it reach
 * `drained`, and resume it. These routes keep answering during a drain (not during a shutdown).
 */
import { Hono } from 'hono'
import { authenticate } from '../src/http/authenticate.js'
import type { TokenVerifier } from '../src/auth/tokenVerifier.js'
import type { Lifecycle } from '../src/lifecycle.js'
import { JOB_STATES, type JobState } from '../src/queue/job.js'

export interface InstanceInfo {
  instanceId: string
  concurrency: number
  queues: readonly string[]
  database: 'postgres' | 'embedded'
  runningJobIds(): string[]
}

export interface AdminRoutesOptions {
  lifecycle: Lifecycle
  instance: InstanceInfo
  verifyToken: TokenVerifier
  /** Jobs per queue and state, across every instance (the dashboard's queue table). */
  countJobs: () => Promise<readonly { queue: string; state: JobState; count: number }[]>
}

export function adminRoutes({ lifecycle, instance, verifyToken, countJobs }: AdminRoutesOptions): Hono {
  const app = new Hono()
  const admin = authenticate(verifyToken, 'admin')

  app.post('/drain', admin, (c) => {
    // The drain goes on in the background; the caller watches /v1/admin/status.
    void lifecycle.drain('http drain')
    return c.json({ state: lifecycle.state === 'drained' ? 'drained' : 'draining', runningJobs: instance.runningJobIds().length }, 202)
  })

  app.post('/resume', admin, async (c) => {
    await lifecycle.resume('http resume')
    return c.json({ state: 'running' })
  })

  app.get('/status', admin, (c) => {
    const runningJobIds = instance.runningJobIds()
    return c.json({
      state: lifecycle.state,
      runningJobs: runningJobIds.length,
      runningJobIds,
      instanceId: instance.instanceId,
      startedAt: lifecycle.startedAt.toISOString(),
      concurrency: instance.concurrency,
      queues: instance.queues,
      database: instance.database,
    })
  })

  app.get('/queues', admin, async (c) => {
    // Every served queue shows, empty or not; every state is present, zero included.
    const byQueue = new Map<string, Record<JobState, number>>()
    const row = (queue: string) => {
      let counts = byQueue.get(queue)
      if (!counts) byQueue.set(queue, (counts = Object.fromEntries(JOB_STATES.map((s) => [s, 0])) as Record<JobState, number>))
      return counts
    }
    for (const queue of instance.queues) row(queue)
    for (const { queue, state, count } of await countJobs()) row(queue)[state] = count
    const queues = [...byQueue.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([queue, counts]) => ({ queue, counts }))
    return c.json({ queues })
  })

  return app
}
