/**
 * Keeps this instance's leases alive: every `intervalMs` one statement extends the lease of every
 * job the instance runs and beats its heartbeat. The answer doubles as two fallbacks: a cancel flag
 * set while a NOTIFY was lost reaches the job's token here, and a job missing from the answer was
 * recovered by another instance (this one stalled past its lease), so its run here is stopped.
 */
import type { Logger } from 'pino'
import type { JobStore } from '../queue/store.js'
import { Periodic } from '../support/periodic.js'
import type { JobExecution } from './jobExecution.js'

export interface LeaseKeeperConfig {
  instanceId: string
  leaseMs: number
  /** Default: a third of the lease, so two renewals can fail before it expires. */
  intervalMs?: number
}

export interface LeaseKeeperDependencies {
  store: JobStore
  executions: () => Iterable<JobExecution>
  log: Logger
  onError: (error: Error) => void
}

export class LeaseKeeper {
  private readonly periodic: Periodic

  constructor(
    private readonly config: LeaseKeeperConfig,
    private readonly deps: LeaseKeeperDependencies,
  ) {
    const intervalMs = config.intervalMs ?? Math.max(50, config.leaseMs / 3)
    this.periodic = new Periodic('leaseKeeper', intervalMs, () => this.renew(), deps.onError)
  }

  start(): void {
    this.periodic.start()
  }

  stop(): Promise<void> {
    return this.periodic.stop()
  }

  private async renew(): Promise<void> {
    const startedAt = Date.now()
    const renewed = await this.deps.store.renewLeases({ instanceId: this.config.instanceId, leaseMs: this.config.leaseMs })
    const cancelRequested = new Set(renewed.filter((r) => r.cancelRequested).map((r) => r.id))
    const ours = new Set(renewed.map((r) => r.id))
    for (const execution of this.deps.executions()) {
      if (cancelRequested.has(execution.job.id)) execution.abort('cancelled')
      // Claimed before this renewal began, yet not renewed: another instance recovered it.
      if (execution.startedAt < startedAt && !ours.has(execution.job.id) && !execution.isSettled) {
        this.deps.log.warn({ jobId: execution.job.id }, 'lease lost: another instance recovered this job; stopping it here')
        execution.abort('shutdown')
      }
    }
  }
}
