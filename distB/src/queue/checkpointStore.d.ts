/**
 * The SQL of checkpoints as a resource (issue 23, migration 021): a job's checkpoint read with its
 * entity tag, replaced by an operator with a compare-and-set on that tag, and its history — the last
 * `MAX_CHECKPOINT_HISTORY` checkpoints written, a ring of slots per job overwritten oldest first (a
 * checkpoint over `MAX_CHECKPOINT_HISTORY_ENTRY_BYTES` is recorded by its size alone, so a job's
 * history holds at most ten times that). The statement that writes a checkpoint records it
 * (`historyFromWritten`): the runner's batched checkpoint write and the operator's replace, so
 * keeping it costs no round trip, and no trim: bench/RESULTS.md (issue 23). `JobStore` exposes
 * these; nothing else runs them.
 */
import type { PendingQuery, Row, Sql } from 'postgres';
import type { SchemaIdentifier } from '../db/schemaIdentifier.js';
import { type Json, type JobState } from './job.js';
export declare const MAX_CHECKPOINT_HISTORY = 10;
/** Bytes of JSON past which a history entry keeps only the checkpoint's size: 10 entries stay under 1 MiB. */
export declare const MAX_CHECKPOINT_HISTORY_ENTRY_BYTES: number;
/** The states an operator may replace a checkpoint in: the job's code is not running. */
export declare const CHECKPOINT_EDITABLE_STATES: readonly ["paused", "queued", "failed", "cancelled"];
/** One entry of a job's checkpoint history. */
export interface CheckpointHistoryEntry {
    readonly writtenAt: string;
    readonly version: number;
    /** `run`: written by the job's run; `operator`: replaced over HTTP. */
    readonly source: 'run' | 'operator';
    /** Bytes of its JSON text. */
    readonly bytes: number;
    /** Null when it was over `MAX_CHECKPOINT_HISTORY_ENTRY_BYTES` (only its size is kept). */
    readonly checkpoint: Json | null;
}
export interface StoredCheckpoint {
    readonly type: string;
    readonly state: JobState;
    /** Null when the job has none. */
    readonly checkpoint: Json | null;
    readonly version: number;
    /** The strong entity tag of the checkpoint (quotes included); null when the job has none. */
    readonly etag: string | null;
}
export interface ReplaceCheckpointParams {
    id: string;
    owner: string | undefined;
    checkpoint: Json;
    version: number;
    /** The tags of `If-Match` (quotes included), or `*` for any stored checkpoint. */
    ifMatch: readonly string[] | '*';
}
export type ReplaceCheckpointOutcome = {
    kind: 'replaced';
    etag: string;
} | {
    kind: 'not-found';
} | {
    kind: 'wrong-state';
    state: JobState;
} | {
    kind: 'stale';
    etag: string | null;
};
/**
 * The job's checkpoint-write counter, advanced by one when `changed` (a fragment of the `set` of the
 * statement that writes checkpoints): the history slot of the entry it records.
 */
export declare function countCheckpointWrite(sql: Sql, changed: PendingQuery<Row[]>): PendingQuery<Row[]>;
/**
 * `, recorded as (insert …)`: appended after a `written as (update … returning j.id, j.checkpoint,
 * j.checkpoint_version, j.checkpoint_writes, <changed>)` CTE whose update counted each changed
 * checkpoint (`countCheckpointWrite`), it records each one in slot `checkpoint_writes % 10` of its
 * job's ring, over the entry that slot held (the oldest).
 */
export declare function historyFromWritten(sql: Sql, schema: SchemaIdentifier, source: 'run' | 'operator'): PendingQuery<Row[]>;
/** The checkpoint of job `id` (the caller's, unless `owner` is undefined), or undefined for no such job. */
export declare function readCheckpoint(sql: Sql, schema: SchemaIdentifier, { id, owner }: {
    id: string;
    owner: string | undefined;
}): Promise<StoredCheckpoint | undefined>;
/**
 * Replaces job `id`'s checkpoint if, and only if, the job is in an editable state and its current
 * checkpoint's tag matches `ifMatch`: one statement, the row locked while it decides, so no run,
 * claim or other replace slips in between the check and the write. The state is left as it is
 * (this is not a transition: the job's next run resumes from the new checkpoint). The answer says
 * why nothing was written.
 */
export declare function replaceCheckpoint(sql: Sql, schema: SchemaIdentifier, { id, owner, checkpoint, version, ifMatch }: ReplaceCheckpointParams): Promise<ReplaceCheckpointOutcome>;
/** The history of job `jobId`, newest first; the caller checks the job is visible. */
export declare function listCheckpointHistory(sql: Sql, schema: SchemaIdentifier, { jobId }: {
    jobId: string;
}): Promise<CheckpointHistoryEntry[]>;
