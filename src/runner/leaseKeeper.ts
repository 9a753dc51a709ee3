/**
 * Keeps this instance's leases alive: every `intervalMs` one statement extends the lease of every
 * job the instance holds (running, settling with its outcome being written, or claimed and waiting
 * to start) and beats its heartbeat.
 * The answer doubles as two fallbacks: a cancel or pause flag set while a NOTIFY was lost reaches the job
 * here, and a job missing from the answer was recovered by another instance (this one stalled past
 * its lease), so its run here is stopped, or, if it was still waiting, it is forgotten. When the
 * runner asks (`lookForStrays`), it also finds the jobs leased here that the runner did not name
 * (src/runner/strayLeases.ts).
 */
import type { Logger } from 'pino'
import type { JobStore, StrayLease } from '../queue/store.js'
import { Periodic } from '../support/periodic.js'
import type { JobExecution } from './jobExecution.js'
import type { Waiting } from './localQueue.js'

export interface LeaseKeeperConfig {
  instanceId: string
  leaseMs: number
  /** Default: a third of the lease, so two renewals can fail before it expires. */
  intervalMs?: number
}

export interface LeaseKeeperDependencies {
  store: JobStore
  executions: () => Iterable<JobExecution>
  /** Jobs that settled and whose outcome is still being written: their lease must hold until it lands. */
  settling: () => Iterable<string>
  /** Claimed jobs whose code has not run yet, with their claim times. */
  waiting: () => Iterable<Waiting>
  /** Forgets a waiting job whose lease another instance recovered. */
  dropWaiting: (id: string) => void
  /** Cancels a claimed job, running or waiting. */
  cancel: (id: string) => void
  /** Pauses a claimed job, running or waiting (`POST /v1/jobs/{id}/pause`). */
  pause: (id: string) => void
  /**
   * Asked as each renewal begins: whether it should also find the jobs leased to this instance that
   * it did not name (src/runner/strayLeases.ts), and what takes them.
   */
  lookForStrays: () => ((found: readonly StrayLease[]) => void) | undefined
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
    const ids = [
      ...[...this.deps.executions()].map((execution) => execution.job.id),
      ...this.deps.settling(),
      ...[...this.deps.waiting()].map((waiting) => waiting.job.id),
    ]
    const takeStrays = this.deps.lookForStrays()
    const { renewed, strays } = await this.deps.store.renewLeases({
      instanceId: this.config.instanceId,
      leaseMs: this.config.leaseMs,
      ids,
      findStrays: takeStrays !== undefined,
    })
    const ours = new Set(renewed.map((r) => r.id))
    // Claimed before this renewal began, yet not renewed: another instance recovered it.
    const lost = (claimedAt: number, id: string) => claimedAt < startedAt && !ours.has(id)
    for (const execution of this.deps.executions()) {
      if (lost(execution.startedAt, execution.job.id) && !execution.isSettled) {
        this.deps.log.warn(
          { jobId: execution.job.id },
          'lease lost: another instance recovered this job; stopping it here',
        )
        execution.abort('shutdown')
      }
    }
    const lostWhileWaiting = [...this.deps.waiting()].filter((w) => lost(w.claimedAt, w.job.id))
    for (const { job } of lostWhileWaiting) {
      this.deps.log.warn(
        { jobId: job.id },
        'lease lost: another instance recovered this job before it started here; dropping it',
      )
      this.deps.dropWaiting(job.id)
    }
    for (const { id, cancelRequested, pauseRequested } of renewed) {
      if (cancelRequested) this.deps.cancel(id)
      else if (pauseRequested) this.deps.pause(id)
    }
    takeStrays?.(strays)
  }
}
