import type { JobStore } from '../queue/store.js';
import type { ClusterPace } from './clusterPace.js';
export interface ExpirySweeperConfig {
    /** Default: a second. */
    intervalMs?: number;
}
export interface ExpiredJob {
    id: string;
    type: string;
    queue: string;
}
export interface ExpirySweeperDependencies {
    store: Pick<JobStore, 'expireJobs'>;
    /** Counted by the lease sweep. */
    pace: Pick<ClusterPace, 'spread'>;
    onExpired: (jobs: readonly ExpiredJob[]) => void;
    onError: (error: Error) => void;
}
export declare class ExpirySweeper {
    private readonly periodic;
    constructor(config: ExpirySweeperConfig, deps: ExpirySweeperDependencies);
    start(): void;
    stop(): Promise<void>;
}
