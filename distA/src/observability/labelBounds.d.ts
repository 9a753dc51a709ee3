/**
 * The values a metric label may take. A label value that comes from a client (a queue name in an
 * enqueue, a method token in a request line) would let any client add series without end, and a
 * Prometheus server that scrapes thousands of them slows for everyone: /metrics once carried 673
 * `queue` values. So every label value is drawn from a set fixed at start-up by the operator and
 * the code (job types' default queues, `QUEUES`, the job registry, the standard methods); anything
 * else is counted under `other`.
 */
import type { JobRegistry } from '../../jobs/registry.js';
/** The label value of everything outside the declared set. */
export declare const OTHER_LABEL = "other";
/** The queues operators and code declare: each job type's default queue and this instance's `QUEUES`. */
export declare function declaredQueues(registry: Pick<JobRegistry, 'names' | 'get'>, configured: readonly string[]): string[];
export declare class LabelBounds {
    private readonly queueSet;
    private readonly typeSet;
    private readonly scheduleSet;
    constructor({ queues, types, schedules, }: {
        queues: readonly string[];
        types: readonly string[];
        /** The ids of the schedules declared in code; those made over HTTP are named by clients. */
        schedules?: readonly string[];
    });
    /** A schedule declared in code keeps its id; any other (its id chosen by a client) is `other`. */
    schedule(id: string): string;
    /** The declared queues, in a stable order: always exported, at zero when empty. */
    get queues(): readonly string[];
    queue(name: string): string;
    /** Types are checked against the registry at enqueue, but a row of another release may name any. */
    type(name: string): string;
    method(method: string): string;
}
