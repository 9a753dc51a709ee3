import { compareLogIds, eventId, eventsSince, isFinished, logEvent } from './jobEvents.js';
import { DEFAULT_MAX_BUFFERED_BYTES, SseStream } from './sseStream.js';
const ZERO_VERSION = '0'.repeat(20);
/** Jobs a stream of many jobs remembers; past it the oldest is forgotten (a later change of it is sent as a state). */
const MAX_REMEMBERED_JOBS = 10_000;
/**
 * What a stream of many jobs may hold back, in times its bound: one read of the hub (500 jobs) of
 * about 2 KiB each at the default bound (256 KiB), at most 1 MiB of a stream's jobs.
 */
const DEFERRED_PER_BUFFERED = 4;
export class JobStream {
    options;
    jobId;
    wants;
    stream;
    seen;
    /** The last log line sent of each job (bounded like `seen`). */
    logSent = new Map();
    logFloor;
    /** The highest log line id sent: the log part of a stream of many jobs' ids. */
    highLogId;
    /** The newest row version sent: the version part of a stream of many jobs' log event ids. */
    highVersion;
    /** Lines waited for room in the last delivery: a job's stream does not end before they are sent. */
    logsBehind = false;
    /**
     * A stream of many jobs whose client is behind (a burst: the hub hands over up to 500 jobs at a
     * time, more than the bound in state events of ordinary jobs): the newest read of each job not
     * sent yet, sent in version order as the client reads. Later reads of a job replace earlier
     * ones, so the client gets each job's latest state rather than every step it missed. Bounded by
     * the length of the jobs' JSON, at `DEFERRED_PER_BUFFERED` times the stream's own bound: a client
     * that stops reading is still dropped.
     */
    deferred = new Map();
    deferredBytes = 0;
    maxDeferredBytes;
    constructor(options) {
        this.options = options;
        this.maxDeferredBytes = DEFERRED_PER_BUFFERED * (options.maxBufferedBytes ?? DEFAULT_MAX_BUFFERED_BYTES);
        this.jobId = options.jobId;
        this.wants = options.wants;
        this.seen = new Map(options.seen);
        for (const [id, seen] of this.seen)
            if (seen.logId !== undefined)
                this.logSent.set(id, seen.logId);
        this.logFloor = options.logFloor ?? '0';
        this.highLogId = this.logFloor;
        this.highVersion = options.startVersion ?? ZERO_VERSION;
        this.stream = new SseStream({
            ...(options.heartbeatMs === undefined ? {} : { heartbeatMs: options.heartbeatMs }),
            ...(options.maxBufferedBytes === undefined ? {} : { maxBufferedBytes: options.maxBufferedBytes }),
            onEnd: () => {
                options.hub.remove(this);
                options.onEnd();
            },
        });
        options.hub.add(this);
    }
    get response() {
        return this.stream.response;
    }
    deliver(versioned) {
        if (!this.stream.isOpen)
            return;
        // Nothing newer goes before a job held back: a reconnect resumes after the newest version sent.
        if (this.jobId === undefined && (this.deferred.size > 0 || !this.stream.hasRoom))
            return this.defer(versioned);
        this.send(versioned);
    }
    defer(versioned) {
        const held = this.deferred.get(versioned.job.id);
        if (held && versioned.version < held.versioned.version)
            return;
        const bytes = JSON.stringify(versioned.job).length;
        this.deferredBytes += bytes - (held?.bytes ?? 0);
        this.deferred.set(versioned.job.id, { versioned, bytes });
        if (this.deferredBytes > this.maxDeferredBytes) {
            this.deferred.clear();
            return this.stream.drop();
        }
        this.stream.whenRoom(() => this.sendDeferred());
    }
    sendDeferred() {
        const ordered = [...this.deferred.values()].sort((a, b) => (a.versioned.version < b.versioned.version ? -1 : 1));
        for (const { versioned, bytes } of ordered) {
            if (!this.stream.isOpen)
                return;
            if (!this.stream.hasRoom)
                return this.stream.whenRoom(() => this.sendDeferred());
            this.deferred.delete(versioned.job.id);
            this.deferredBytes -= bytes;
            this.send(versioned);
        }
    }
    send(versioned) {
        const { job, version } = versioned;
        // The terminal state ends a job's stream: the lines before it go first (the hub's poll comes back).
        if (this.jobId !== undefined && isFinished(job.state) && this.logsBehind)
            return;
        const before = this.seen.get(job.id);
        // A read that started before an earlier delivery's may arrive after it: never go back.
        if (before && version < before.version)
            return;
        const logId = this.jobId === undefined ? this.highLogId : this.logSent.get(job.id);
        const { events, seen } = eventsSince(before, versioned, logId);
        this.remember(this.seen, job.id, seen);
        if (version > this.highVersion)
            this.highVersion = version;
        for (const event of events)
            this.stream.send(event);
        if (this.jobId !== undefined && isFinished(job.state))
            this.stream.end();
    }
    /** The line id after which this stream wants job `jobId`'s lines. */
    logCursor(jobId) {
        const sent = this.logSent.get(jobId);
        return sent !== undefined && compareLogIds(sent, this.logFloor) > 0 ? sent : this.logFloor;
    }
    /**
     * Sends the lines (of any jobs, oldest first) this stream shows and has not sent, while the client
     * keeps up; the rest wait for the next read. Returns whether it sent any.
     */
    deliverLogs(lines) {
        let sent = false;
        this.logsBehind = false;
        for (const line of lines) {
            if (!this.stream.isOpen)
                break;
            if (this.jobId !== undefined ? line.jobId !== this.jobId : !this.wants?.(line.job))
                continue;
            if (compareLogIds(line.id, this.logCursor(line.jobId)) <= 0)
                continue;
            if (!this.stream.hasRoom) {
                this.logsBehind = true;
                break;
            }
            const seen = this.seen.get(line.jobId);
            if (compareLogIds(line.id, this.highLogId) > 0)
                this.highLogId = line.id;
            const id = this.logEventId(line, seen);
            this.stream.send(logEvent(line, id));
            this.remember(this.logSent, line.jobId, line.id);
            sent = true;
        }
        return sent;
    }
    /**
     * A job's stream: the version and state it last sent, with this line. Before its first state (a
     * finished job's lines go first), the zero version and `queued`, so that a reconnect is sent the
     * state. Many jobs': the newest version and line sent, what its reconnect reads after.
     */
    logEventId(line, seen) {
        if (this.jobId === undefined) {
            return eventId(this.highVersion, { id: line.jobId, state: line.job.state }, this.highLogId);
        }
        return seen
            ? eventId(seen.version, { id: line.jobId, state: seen.state }, line.id)
            : eventId(ZERO_VERSION, { id: line.jobId, state: 'queued' }, line.id);
    }
    end(retryMs) {
        this.stream.end(retryMs);
    }
    /** The hub cannot read the jobs it shows as fast as they change (see `JobFollower.drop`). */
    drop() {
        this.deferred.clear();
        this.deferredBytes = 0;
        this.stream.drop();
    }
    catchUpVersion() {
        return this.highVersion;
    }
    remember(map, id, value) {
        map.delete(id);
        map.set(id, value);
        if (map.size <= MAX_REMEMBERED_JOBS)
            return;
        const oldest = map.keys().next().value;
        if (oldest !== undefined)
            map.delete(oldest);
    }
}
//# sourceMappingURL=jobStream.js.map