/**
 * The values a metric label may take. A label value that comes from a client (a queue name in an
 * enqueue, a method token in a request line) would let any client add series without end, and a
 * Prometheus server that scrapes thousands of them slows for everyone: /metrics once carried 673
 * `queue` values. So every label value is drawn from a set fixed at start-up by the operator and
 * the code (job types' default queues, `QUEUES`, the job registry, the standard methods); anything
 * else is counted under `other`.
 */
import type { JobRegistry } from '../../jobs/registry.js'

/** The label value of everything outside the declared set. */
export const OTHER_LABEL = 'other'

/** RFC 9110's methods plus PATCH: what a client may send that is worth a series of its own. */
const STANDARD_METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'CONNECT', 'OPTIONS', 'TRACE', 'PATCH'])

/** The queues operators and code declare: each job type's default queue and this instance's `QUEUES`. */
export function declaredQueues(registry: Pick<JobRegistry, 'names' | 'get'>, configured: readonly string[]): string[] {
  const queues = new Set(configured)
  for (const name of registry.names()) {
    const queue = registry.get(name)?.defaults.queue
    if (queue !== undefined) queues.add(queue)
  }
  return [...queues].sort()
}

export class LabelBounds {
  private readonly queueSet: ReadonlySet<string>
  private readonly typeSet: ReadonlySet<string>
  private readonly scheduleSet: ReadonlySet<string>

  constructor({
    queues,
    types,
    schedules = [],
  }: {
    queues: readonly string[]
    types: readonly string[]
    /** The ids of the schedules declared in code; those made over HTTP are named by clients. */
    schedules?: readonly string[]
  }) {
    this.queueSet = new Set(queues)
    this.typeSet = new Set(types)
    this.scheduleSet = new Set(schedules)
  }

  /** A schedule declared in code keeps its id; any other (its id chosen by a client) is `other`. */
  schedule(id: string): string {
    return this.scheduleSet.has(id) ? id : OTHER_LABEL
  }

  /** The declared queues, in a stable order: always exported, at zero when empty. */
  get queues(): readonly string[] {
    return [...this.queueSet]
  }

  queue(name: string): string {
    return this.queueSet.has(name) ? name : OTHER_LABEL
  }

  /** Types are checked against the registry at enqueue, but a row of another release may name any. */
  type(name: string): string {
    return this.typeSet.has(name) ? name : OTHER_LABEL
  }

  method(method: string): string {
    return STANDARD_METHODS.has(method) ? method : OTHER_LABEL
  }
}
