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
import { FINISHED_STATES, JOB_STATES } from '../queue/job.js';
export const JOB_EVENT_TYPES = ['state', 'progress', 'checkpoint', 'retry', 'log'];
/** `{version}.{jobId}.{state}`, and `.{logId}` when log lines were sent. */
export function eventId(version, job, logId) {
    return `${version}.${job.id}.${job.state}${logId === undefined || logId === '0' ? '' : `.${logId}`}`;
}
/** A `Last-Event-ID` this service issued, or undefined for anything else (then the stream starts afresh). */
export function parseEventId(raw) {
    const match = raw === undefined ? null : /^([0-9]{20})\.([1-9][0-9]{0,17})\.([a-z]+)(?:\.([1-9][0-9]{0,17}))?$/.exec(raw);
    if (!match || !JOB_STATES.includes(match[3]))
        return undefined;
    const parsed = { version: match[1], jobId: match[2], state: match[3] };
    return match[4] === undefined ? parsed : { ...parsed, logId: match[4] };
}
/** A stored log line as an event: the line as `GET /v1/jobs/{id}/logs` shows it, with its job's id. */
export function logEvent(line, id) {
    const { job: _job, jobId, ...shownLine } = line;
    return { event: 'log', id, data: { jobId, ...shownLine } };
}
/** Compares two line ids (decimal bigint text). */
export function compareLogIds(a, b) {
    return a.length !== b.length ? a.length - b.length : a < b ? -1 : a > b ? 1 : 0;
}
export function isFinished(state) {
    return FINISHED_STATES.includes(state);
}
/** The events that take a client from `seen` (undefined: told nothing yet) to `current`, and what it has then seen. */
export function eventsSince(seen, { job, version }, logId = seen?.logId) {
    const id = eventId(version, job, logId);
    const checkpoint = JSON.stringify(job.checkpoint);
    const progress = JSON.stringify(job.progress);
    const lastErrorAt = job.errors.at(-1)?.at ?? null;
    const now = {
        state: job.state,
        version,
        checkpoint,
        progress,
        lastErrorAt,
        startedAt: job.startedAt,
        cancelRequestedAt: job.cancelRequestedAt,
        pauseRequested: job.pauseRequested,
    };
    const events = [];
    if (seen === undefined || seen.state !== job.state || isAnotherRun(seen, job) || isNewRequest(seen, job)) {
        // A run that went back to the queue with a new error is a retry (an interruption has none).
        if (seen?.state === 'running' && job.state === 'queued' && seen.lastErrorAt !== lastErrorAt) {
            events.push({
                event: 'retry',
                id,
                data: { jobId: job.id, attempts: job.attempts, error: job.error, runAt: job.runAt },
            });
        }
        events.push({ event: 'state', id, data: shown(job) });
        return { events, seen: now };
    }
    if (seen.version !== version && seen.checkpoint !== checkpoint && job.checkpoint !== null) {
        events.push({ event: 'checkpoint', id, data: { jobId: job.id, checkpoint: job.checkpoint } });
    }
    if (seen.progress !== progress && job.progress !== null && job.state === 'running') {
        events.push({ event: 'progress', id, data: { jobId: job.id, ...job.progress } });
    }
    return { events, seen: now };
}
/**
 * A cancel or pause asked of the job since the client's last event (known only within one
 * connection: after a reconnect the stored row's state is what the client gets).
 */
function isNewRequest(seen, job) {
    return ((seen.cancelRequestedAt !== undefined && seen.cancelRequestedAt !== job.cancelRequestedAt) ||
        (seen.pauseRequested !== undefined && seen.pauseRequested !== job.pauseRequested));
}
/**
 * A job running now in a run the client has not seen: it was interrupted (or retried) and claimed
 * again while the client was away. Known from the run's start, or, after a reconnect, from a start
 * later than the client's last event.
 */
function isAnotherRun(seen, job) {
    if (job.state !== 'running' || job.startedAt === null)
        return false;
    if (seen.startedAt !== undefined)
        return seen.startedAt !== job.startedAt;
    return versionOfIso(job.startedAt) > seen.version;
}
/** An ISO timestamp (milliseconds) as a version (`YYYYMMDDHHMISSUS`): the same instant compares the same. */
function versionOfIso(iso) {
    return `${iso.replace(/[-T:.Z]/g, '').slice(0, 17)}000`;
}
/** The job as the API shows it: without its owner (the caller, or for an admin beside the point). */
function shown({ owner: _owner, ...job }) {
    return job;
}
//# sourceMappingURL=jobEvents.js.map