/**
 * How often this instance does its share of the cluster's maintenance: the lease sweep and the expiry
 * sweep. Every instance sweeps, so that the cluster needs no leader (electing one needs a session
 * lock, which PgBouncer's transaction pooling does not keep) and the death of any instance is
 * covered by the others. But N instances each sweeping every interval sent N statements an interval
 * that nearly always found nothing: with eight instances, a sixth of the commits of a drain, and most
 * of what an idle cluster asks of PostgreSQL. So each instance waits N intervals, at a random phase:
 * the cluster as a whole sweeps about once an interval, whatever its size.
 *
 * N counts the instances whose heartbeat (the lease keeper beats it every third of a lease) is at most
 * a lease old. The statement that counts them also forgets instances silent for ten leases; it runs
 * at most every `recountMs`, from the lease sweep.
 */
import type { JobStore } from '../queue/store.js'

export interface ClusterPaceConfig {
  leaseMs: number
  /** How old a count may get before the next sweep counts again. Default: 10 s. */
  recountMs?: number
}

const DEFAULT_RECOUNT_MS = 10_000

export class ClusterPace {
  private instances = 1
  private countedAt = -Infinity
  private readonly recountMs: number

  constructor(
    private readonly config: ClusterPaceConfig,
    private readonly store: Pick<JobStore, 'pruneInstances'>,
  ) {
    this.recountMs = config.recountMs ?? DEFAULT_RECOUNT_MS
  }

  /** The live instances at the last count (at least this one). */
  get size(): number {
    return this.instances
  }

  /** Counts the live instances again (forgetting long-silent ones) if the last count is `recountMs` old. */
  async recount(now = Date.now()): Promise<void> {
    if (now - this.countedAt < this.recountMs) return
    this.countedAt = now
    const { live } = await this.store.pruneInstances({
      silentForMs: this.config.leaseMs * 10,
      liveWithinMs: this.config.leaseMs,
    })
    this.instances = Math.max(1, live)
  }

  /** The wait before this instance's next sweep: `intervalMs` for each live instance, ± half at random. */
  spread(intervalMs: number, random = Math.random()): number {
    return intervalMs * this.instances * (0.5 + random)
  }
}
