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
import type { JobStore } from '../queue/store.js';
export interface ClusterPaceConfig {
    leaseMs: number;
    /** How old a count may get before the next sweep counts again. Default: 10 s. */
    recountMs?: number;
}
export declare class ClusterPace {
    private readonly config;
    private readonly store;
    private instances;
    private countedAt;
    private readonly recountMs;
    constructor(config: ClusterPaceConfig, store: Pick<JobStore, 'pruneInstances'>);
    /** The live instances at the last count (at least this one). */
    get size(): number;
    /** Counts the live instances again (forgetting long-silent ones) if the last count is `recountMs` old. */
    recount(now?: number): Promise<void>;
    /** The wait before this instance's next sweep: `intervalMs` for each live instance, ± half at random. */
    spread(intervalMs: number, random?: number): number;
}
