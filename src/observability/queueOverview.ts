/**
 * The answer of `GET /v1/admin/queues`: every known queue with its jobs per state, how many of its
 * queued jobs wait for a future `runAt`, and whether a live instance serves it. Known are the
 * declared queues (job types' defaults, `QUEUES`) and the served ones; queues named only by jobs
 * come after, those with queued or running jobs first, up to `UNDECLARED_QUEUES_SHOWN`, and the
 * rest are summed, so the answer stays bounded whatever queue names clients send.
 */
import { JOB_STATES, type JobState } from '../queue/job.js'
import type { JobStore } from '../queue/store.js'
import type { ServedQueues } from './servedQueues.js'

export const UNDECLARED_QUEUES_SHOWN = 100

export type StateCounts = Record<JobState, number>

export interface QueueSummary {
  queue: string
  declared: boolean
  served: boolean
  instances: number
  /** Paused cluster-wide (src/queue/pauses.ts): no instance claims its jobs. */
  paused: boolean
  counts: StateCounts
  scheduled: number
}

export interface QueueOverview {
  queues: QueueSummary[]
  otherQueues: { queues: number; counts: StateCounts; scheduled: number } | null
}

export interface QueueOverviewDependencies {
  store: Pick<JobStore, 'countJobsByQueueBounded'>
  served: Pick<ServedQueues, 'get'>
  declared: readonly string[]
  /** The queues paused now; a paused queue is listed even when nothing else names it. */
  pausedQueues?: ReadonlySet<string>
}

export async function readQueueOverview({
  store,
  served: servedQueues,
  declared,
  pausedQueues = new Set(),
}: QueueOverviewDependencies): Promise<QueueOverview> {
  const served = await servedQueues.get()
  const declaredSet = new Set(declared)
  const named = [...new Set([...declared, ...served.keys(), ...pausedQueues])]
  const rows = await store.countJobsByQueueBounded({ named, undeclaredLimit: UNDECLARED_QUEUES_SHOWN })
  const zero = (): StateCounts => Object.fromEntries(JOB_STATES.map((s) => [s, 0])) as StateCounts
  const byQueue = new Map<string, QueueSummary>()
  const summary = (queue: string) => {
    let found = byQueue.get(queue)
    if (!found) {
      const instances = served.get(queue) ?? 0
      found = {
        queue,
        declared: declaredSet.has(queue),
        served: instances > 0,
        instances,
        paused: pausedQueues.has(queue),
        counts: zero(),
        scheduled: 0,
      }
      byQueue.set(queue, found)
    }
    return found
  }
  for (const queue of named) summary(queue)
  let other: { queues: number; counts: StateCounts; scheduled: number } | undefined
  for (const { queue, state, count, scheduled, otherQueues } of rows) {
    const target = queue === null ? (other ??= { queues: otherQueues, counts: zero(), scheduled: 0 }) : summary(queue)
    target.counts[state] += count
    target.scheduled += scheduled
  }
  // Known queues first, then the ones only jobs name; by name within each.
  const known = (q: QueueSummary) => Number(q.declared || q.served)
  const queues = [...byQueue.values()].sort((a, b) => known(b) - known(a) || a.queue.localeCompare(b.queue))
  return { queues, otherQueues: other ?? null }
}
