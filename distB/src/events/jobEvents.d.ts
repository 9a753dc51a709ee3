/**
 * What a stream tells a client about one job, derived from the job as stored (plus its live
 * progress) and what the client was last told: `state` when the state changed (the whole job as
 * data), `retry` when a run went back to the queue with a new error, `checkpoint` when the row was
 * written again with another checkpoint, `progress` when the live progress moved, and `log` for
 * each of the job's stored log lines (src/queue/jobLogStore.ts) the client has not had.
 *
 * Every event's id is `{version}.{jobId}.{state}`: the version of the row (its last write, to the
 * microsecond: `JobStore.getVersionedJobs`) and the state it showed, followed by `.{logId}` once
 * the stream has sent log lines: the id of the last line sent (of this job on a job's stream; the
 * highest on a stream of many jobs). A client reconnecting with `Last-Event-ID` is compared with
 * the stored row: the state again only if it changed, a checkpoint only if the row was written
 * since, the log lines stored after its line id; nothing is replayed from memory, so a restart of
 * the instance it was connected to loses nothing.
 */
import { type JobState, type OwnedJob } from '../queue/job.js';
import type { StreamedJobLogLine } from '../queue/jobLogStore.js';
import type { VersionedJob } from '../queue/store.js';
import type { SseEvent } from './sseStream.js';
/** What a client was last told of one job. Unknown fields (after a reconnect) compare as changed. */
export interface SeenJob {
    state: JobState;
    version: string;
    checkpoint?: string;
    progress?: string;
    lastErrorAt?: string | null;
    /** The start of the run it saw (a running job that started again ran again: a new state). */
    startedAt?: string | null;
    /** From a `Last-Event-ID`: the id of the last log line the client had (`.{logId}`). */
    logId?: string;
    /** The cancel and pause requests it saw: a request to a running job is sent as its `state` again. */
    cancelRequestedAt?: string | null;
    pauseRequested?: boolean;
}
export declare const JOB_EVENT_TYPES: readonly ["state", "progress", "checkpoint", "retry", "log"];
/** `{version}.{jobId}.{state}`, and `.{logId}` when log lines were sent. */
export declare function eventId(version: string, job: Pick<OwnedJob, 'id' | 'state'>, logId?: string): string;
/** A `Last-Event-ID` this service issued, or undefined for anything else (then the stream starts afresh). */
export declare function parseEventId(raw: string | undefined): {
    version: string;
    jobId: string;
    state: JobState;
    logId?: string;
} | undefined;
/** A stored log line as an event: the line as `GET /v1/jobs/{id}/logs` shows it, with its job's id. */
export declare function logEvent(line: StreamedJobLogLine, id: string): SseEvent;
/** Compares two line ids (decimal bigint text). */
export declare function compareLogIds(a: string, b: string): number;
export declare function isFinished(state: JobState): boolean;
/** The events that take a client from `seen` (undefined: told nothing yet) to `current`, and what it has then seen. */
export declare function eventsSince(seen: SeenJob | undefined, { job, version }: VersionedJob, logId?: string | undefined): {
    events: SseEvent[];
    seen: SeenJob;
};
