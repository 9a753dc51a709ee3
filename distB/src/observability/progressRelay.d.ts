import type { Database } from '../db/database.js';
import type { JobProgress } from '../queue/job.js';
import { type JobStore } from '../queue/store.js';
import type { WatchRegistry } from '../queue/watchRegistry.js';
/** A progress message longer than this is cut: a report is a line for a person, not a document. */
export declare const MAX_RELAYED_MESSAGE_LENGTH = 200;
export interface ProgressRelayDependencies {
    db: Pick<Database, 'session' | 'capabilities' | 'schema'>;
    store: Pick<JobStore, 'notifyProgress'>;
    /** Whether another instance watches a job: only then do its reports go out. */
    watches: Pick<WatchRegistry, 'isWatchedElsewhere'>;
    /** A report from another instance. */
    onRemote: (id: string, progress: JobProgress) => void;
    /** A job that settled on another instance. */
    onRemoteSettled: (id: string) => void;
    onError: (error: unknown) => void;
}
export declare class ProgressRelay {
    private readonly deps;
    private readonly origin;
    private readonly batches;
    private started;
    private unlisten;
    private stopped;
    /** Jobs whose reports went out: only their settling is told. */
    private readonly relayed;
    constructor(deps: ProgressRelayDependencies);
    /** True when reports can reach other instances at all. */
    get enabled(): boolean;
    /** Listens for other instances' reports; safe to call twice. */
    start(): Promise<void>;
    stop(): Promise<void>;
    /** Sends a report of a job running here to the other instances that watch it (no-op without notifications). */
    publish(id: string, { fraction, message }: JobProgress): void;
    /** Tells the other instances that a job that ran here settled, so that they drop its entry. */
    publishSettled(id: string): void;
    private listen;
    private receive;
    /**
     * The latest report of each job, and the settled jobs, packed into payloads under the limit: a
     * job that settled within the batch sends no report.
     */
    private pack;
}
