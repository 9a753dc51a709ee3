/**
 * Recovers jobs whose runner vanished (a crash, SIGKILL, a lost network): the instances take turns
 * looking for expired leases, the cluster about once every `intervalMs` (each instance every N
 * intervals, N the live instances: src/runner/clusterPace.ts), and put those jobs back in the queue
 * (or fail them on their last attempt). Often enough that a dead instance's jobs run again within
 * about a second or two of the lease expiring; SKIP LOCKED keeps sweeps that meet from waiting on each
 * other. Its sweeps also count the live instances again, forgetting those silent for long.
 */
import type { Logger } from 'pino'
import type { JobStore } from '../queue/store.js'
import { Periodic } from '../support/periodic.js'
import type { ClusterPace } from './clusterPace.js'

export interface LeaseSweeperConfig {
  leaseMs: number
  /** Default: half the lease, at most a second. */
  intervalMs?: number
}

export interface LeaseSweeperDependencies {
  store: JobStore
  pace: ClusterPace
  log: Logger
  /** The jobs recovered, each with its queue and the attempts its row kept (a lost lease counts the attempt). */
  onRecovered: (jobs: readonly { id: string; queue: string; attempts: number }[]) => void
  onError: (error: Error) => void
}

export class LeaseSweeper {
  private readonly periodic: Periodic
  private readonly intervalMs: number

  constructor(
    config: LeaseSweeperConfig,
    private readonly deps: LeaseSweeperDependencies,
  ) {
    this.intervalMs = config.intervalMs ?? Math.max(50, Math.min(1000, config.leaseMs / 2))
    this.periodic = new Periodic('leaseSweeper', this.intervalMs, () => this.sweep(), deps.onError)
  }

  start(): void {
    this.periodic.start()
  }

  stop(): Promise<void> {
    return this.periodic.stop()
  }

  /** Resolves to the wait before the next sweep. */
  private async sweep(): Promise<number> {
    await this.deps.pace.recount()
    const recovered = await this.deps.store.recoverExpiredLeases()
    const nextMs = this.deps.pace.spread(this.intervalMs)
    if (recovered.length === 0) return nextMs
    const ids = recovered.map((r) => r.id)
    this.deps.log.warn(
      { jobIds: ids, failed: recovered.filter((r) => r.state === 'failed').map((r) => r.id) },
      'recovered jobs whose runner was lost (lease expired)',
    )
    this.deps.onRecovered(recovered)
    return nextMs
  }
}
