/**
 * The SQL of cluster-wide pauses (`job_runner_pauses`, migration 017): a paused queue or job type is
 * one row, read by every instance (src/queue/pauses.ts) and filtered out of its claims. The jobs
 * that a `checkpoint` pause stops go back to the queue through the `pause` row of the transition
 * table (`JobStore.requeuePausedJobs`), not here.
 */
import type { Sql } from 'postgres';
export declare const PAUSE_KINDS: readonly ["queue", "type"];
export type PauseKind = (typeof PAUSE_KINDS)[number];
export declare const PAUSE_MODES: readonly ["finish", "checkpoint"];
export type PauseMode = (typeof PAUSE_MODES)[number];
export interface Pause {
    kind: PauseKind;
    name: string;
    mode: PauseMode;
    pausedAt: string;
}
export declare class PauseStore {
    private readonly sql;
    /** Every table is named in this schema (src/db/schemaIdentifier.ts). */
    private readonly schema;
    /** `schema`: the database's `schema` (`DATABASE_SCHEMA`). */
    constructor(sql: Sql, schema: string);
    /** Every pause, queues first, by name. */
    listPauses(): Promise<Pause[]>;
    /** Pauses `name`; pausing it again keeps the first time and takes the new mode. */
    pause({ kind, name, mode }: {
        kind: PauseKind;
        name: string;
        mode: PauseMode;
    }): Promise<Pause>;
    /** Resumes `name`; false when it was not paused. */
    resume({ kind, name }: {
        kind: PauseKind;
        name: string;
    }): Promise<boolean>;
    /** Whether a queued job waits in `queue`: with the declared and served queues, what makes a queue known. */
    queueHasQueuedJobs(queue: string): Promise<boolean>;
}
