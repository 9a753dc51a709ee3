/**
 * The live progress board: the latest progress each running job reported, kept in memory so that
 * readers see it within a fraction of a second, while the table only learns it at checkpoint
 * flushes and at the outcome (a write per `progress()` call would cost a statement per report).
 *
 * A job's entry is set at once on every report; the announcement of a change (which wakes the
 * job's `?wait` long-polls here, and, through `onPublish`, other instances) goes out at most once
 * per `throttleMs` per job, the last report of a burst always included (a trailing publish).
 * Entries from other instances arrive through `accept`. An entry is dropped when its job settles
 * (here, or on the instance that ran it: `forget`), or, oldest first, past `maxEntries`, so the
 * board stays bounded whatever other instances send (or fail to send).
 */
import type { JobProgress } from '../queue/job.js';
export interface LiveProgressConfig {
    throttleMs?: number;
    maxEntries?: number;
}
export interface LiveProgressEvents {
    /** A job's progress changed: wake its watchers here. */
    onChange: (id: string) => void;
    /** Progress reported by a job running here, throttled: tell the other instances. */
    onPublish?: (id: string, progress: JobProgress) => void;
}
export declare class LiveProgress {
    private readonly events;
    private readonly entries;
    private readonly throttleMs;
    private readonly maxEntries;
    constructor(events: LiveProgressEvents, { throttleMs, maxEntries }?: LiveProgressConfig);
    /** The latest progress known for a job, if it is live somewhere. */
    get(id: string): JobProgress | undefined;
    get size(): number;
    /** The latest report of job `id` if it runs here (not one relayed from another instance). */
    reportedHere(id: string): JobProgress | undefined;
    /** The latest report of each job running here. */
    reportsHere(): Iterable<[string, JobProgress]>;
    /** A report from a job running here. */
    report(id: string, progress: JobProgress): void;
    /** A report relayed from another instance. */
    accept(id: string, progress: JobProgress): void;
    /** The job settled, or is no longer running: its entry goes. */
    forget(id: string): void;
    /** Drops every entry and pending publish; safe to call twice. */
    clear(): void;
    private add;
    private publish;
}
