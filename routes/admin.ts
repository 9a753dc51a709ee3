/**
 * /v1/admin: what an orchestrator needs to drain an instance without a signal, watch it reach
 * `drained`, and resume it, and the queues across the cluster (src/observability/queueOverview.ts).
 * These routes keep answering during a drain (not during a shutdown).
 */
import { Hono } from 'hono'
import { authenticate } from '../src/http/authenticate.js'
import type { TokenVerifier } from '../src/auth/tokenVerifier.js'
import type { Lifecycle } from '../src/lifecycle.js'
import type { QueueOverview } from '../src/observability/queueOverview.js'

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
  /** Every known queue, its jobs per state across every instance, and whether one serves it. */
  queueOverview: () => Promise<QueueOverview>
}

export function adminRoutes({ lifecycle, instance, verifyToken, queueOverview }: AdminRoutesOptions): Hono {
  const app = new Hono()
  const admin = authenticate(verifyToken, 'admin')

  app.post('/drain', admin, (c) => {
    // The drain goes on in the background; the caller watches /v1/admin/status.
    void lifecycle.drain('http drain')
    return c.json(
      { state: lifecycle.state === 'drained' ? 'drained' : 'draining', runningJobs: instance.runningJobIds().length },
      202,
    )
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

  app.get('/queues', admin, async (c) => c.json(await queueOverview()))

  return app
}
