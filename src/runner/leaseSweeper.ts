/**
 * Recovers jobs whose runner vanished (a crash, SIGKILL, a lost network): every instance looks for
 * expired leases every `intervalMs` and puts those jobs back in the queue (or fails them on their
 * last attempt). Often enough that a dead instance's jobs run again within about a second of the
 * lease expiring; SKIP LOCKED keeps the sweeps of many instances from waiting on each other. It
 * also forgets instances whose heartbeat stopped long ago.
 */
import type { Logger } from 'pino'
import type { JobStore } from '../queue/store.js'
import { Periodic } from '../support/periodic.js'

export interface LeaseSweeperConfig {
  leaseMs: number
  /** Default: half the lease, at most a second. */
  intervalMs?: number
}

export interface LeaseSweeperDependencies {
  store: JobStore
  log: Logger
  onRecovered: (ids: readonly string[]) => void
  onError: (error: Error) => void
}

export class LeaseSweeper {
  private readonly periodic: Periodic

  private lastInstancePruneAt = 0

  constructor(
    private readonly config: LeaseSweeperConfig,
    private readonly deps: LeaseSweeperDependencies,
  ) {
    const intervalMs = config.intervalMs ?? Math.max(50, Math.min(1000, config.leaseMs / 2))
    this.periodic = new Periodic('leaseSweeper', intervalMs, () => this.sweep(), deps.onError)
  }

  start(): void {
    this.periodic.start()
  }

  stop(): Promise<void> {
    return this.periodic.stop()
  }

  private async sweep(): Promise<void> {
    // Instances silent for many leases are gone (their jobs were recovered through lease expiry);
    // once a minute is often enough to forget them.
    if (Date.now() - this.lastInstancePruneAt > 60_000) {
      this.lastInstancePruneAt = Date.now()
      await this.deps.store.pruneDeadInstances({ silentForMs: this.config.leaseMs * 10 })
    }
    const recovered = await this.deps.store.recoverExpiredLeases()
    if (recovered.length === 0) return
    const ids = recovered.map((r) => r.id)
    this.deps.log.warn(
      { jobIds: ids, failed: recovered.filter((r) => r.state === 'failed').map((r) => r.id) },
      'recovered jobs whose runner was lost (lease expired)',
    )
    this.deps.onRecovered(ids)
  }
}
