import { compareLogIds, isFinished } from './jobEvents.js';
/** Jobs a catch-up of the streams of many jobs reads at most (as a reconnecting client gets). */
const MAX_CATCH_UP_JOBS = 1000;
export class JobEventHub {
    deps;
    oneJob = new Map();
    manyJobs = new Set();
    pending = new Set();
    /** Jobs whose stored lines to read at the next flush. */
    pendingLogs = new Set();
    flushTimer;
    pollTimer;
    flushing = false;
    unsubscribe = [];
    /** Each stream's watch (src/queue/watchRegistry.ts), ended with the stream. */
    unwatch = new Map();
    flushDelayMs;
    pollMs;
    maxBatch;
    maxPending;
    logLinesPerRead;
    constructor(config, deps) {
        this.deps = deps;
        this.flushDelayMs = config.flushDelayMs ?? 25;
        this.pollMs = config.pollMs ?? 1000;
        this.maxBatch = config.maxBatch ?? 500;
        this.maxPending = config.maxPending ?? 20 * this.maxBatch;
        this.logLinesPerRead = config.logLinesPerRead ?? 200;
        this.unsubscribe.push(deps.notifier.subscribe('jobChanged', (id) => this.changed(id)), deps.notifier.subscribe('jobLogged', (id) => this.logged(id)), 
        // An enqueue announces its queue, not its jobs: streams of many jobs hear of new jobs here.
        deps.jobs.events.on('jobs:enqueued', ({ jobs }) => {
            if (this.manyJobs.size > 0)
                for (const job of jobs)
                    this.changed(job.id);
        }), deps.notifier.onResync(() => void this.catchUp()));
    }
    /** Streams open on this instance. */
    get size() {
        let size = this.manyJobs.size;
        for (const followers of this.oneJob.values())
            size += followers.size;
        return size;
    }
    add(follower) {
        const { watches } = this.deps.notifier;
        this.unwatch.set(follower, follower.jobId === undefined ? watches.watchAll() : watches.watch(follower.jobId));
        if (follower.jobId === undefined) {
            this.manyJobs.add(follower);
            return;
        }
        let followers = this.oneJob.get(follower.jobId);
        if (!followers)
            this.oneJob.set(follower.jobId, (followers = new Set()));
        followers.add(follower);
        this.pollTimer ??= setInterval(() => this.poll(), this.pollMs).unref();
        // A new stream of one job gets the job's stored lines it lacks at once.
        this.logged(follower.jobId);
    }
    remove(follower) {
        this.unwatch.get(follower)?.();
        this.unwatch.delete(follower);
        if (follower.jobId === undefined) {
            this.manyJobs.delete(follower);
        }
        else {
            const followers = this.oneJob.get(follower.jobId);
            followers?.delete(follower);
            if (followers?.size === 0)
                this.oneJob.delete(follower.jobId);
        }
        if (this.oneJob.size === 0 && this.pollTimer) {
            clearInterval(this.pollTimer);
            this.pollTimer = undefined;
        }
    }
    /** Ends every stream with a reconnect hint (a drain, a shutdown); the hub stays usable. */
    endAll(retryMs) {
        const all = [...this.manyJobs, ...[...this.oneJob.values()].flatMap((set) => [...set])];
        for (const follower of all)
            follower.end(retryMs);
    }
    stop() {
        for (const off of this.unsubscribe.splice(0))
            off();
        for (const unwatch of this.unwatch.values())
            unwatch();
        this.unwatch.clear();
        if (this.flushTimer)
            clearTimeout(this.flushTimer);
        if (this.pollTimer)
            clearInterval(this.pollTimer);
        this.flushTimer = this.pollTimer = undefined;
        this.pending.clear();
        this.pendingLogs.clear();
    }
    /**
     * Notices other instances sent while the LISTEN connection was down are lost: the streams of many
     * jobs get the jobs written since the oldest version any of them sent, at most `MAX_CATCH_UP_JOBS`
     * (each stream sends only what it has not: src/events/jobStream.ts).
     */
    async catchUp() {
        const since = [...this.manyJobs].reduce((low, follower) => {
            const version = follower.catchUpVersion?.();
            return version !== undefined && (low === undefined || version < low) ? version : low;
        }, undefined);
        if (since === undefined)
            return;
        try {
            const missed = await this.deps.jobs.writtenSince({ owner: undefined, since, limit: MAX_CATCH_UP_JOBS });
            for (const versioned of missed)
                this.dispatch(versioned);
        }
        catch (error) {
            this.deps.onError(error);
        }
    }
    changed(id) {
        if (this.manyJobs.size === 0 && !this.oneJob.has(id))
            return;
        this.pending.add(id);
        if (this.pending.size > this.maxPending)
            this.fellBehind();
        this.schedule();
    }
    logged(id) {
        if (this.manyJobs.size === 0 && !this.oneJob.has(id))
            return;
        this.pendingLogs.add(id);
        if (this.pendingLogs.size > this.maxPending)
            this.fellBehind();
        this.schedule();
    }
    /**
     * More jobs changed than this instance reads (a stream of many jobs open beside a drain of 20,000
     * jobs a second): the ids waiting grew about 60 bytes a job, without bound (bench/RESULTS.md, P8
     * with the new features). The streams of many jobs are dropped as clients too slow to read are,
     * and reconnect with `Last-Event-ID`, caught up from the table; streams of one job keep their ids.
     */
    fellBehind() {
        const dropped = [...this.manyJobs].filter((follower) => follower.drop !== undefined);
        if (dropped.length === 0)
            return;
        for (const follower of dropped) {
            this.remove(follower);
            follower.drop();
        }
        if (this.manyJobs.size > 0)
            return;
        for (const id of this.pending)
            if (!this.oneJob.has(id))
                this.pending.delete(id);
        for (const id of this.pendingLogs)
            if (!this.oneJob.has(id))
                this.pendingLogs.delete(id);
    }
    poll() {
        for (const id of this.oneJob.keys()) {
            this.pending.add(id);
            this.pendingLogs.add(id);
        }
        this.schedule();
    }
    schedule() {
        if (this.flushTimer || this.flushing || this.pending.size + this.pendingLogs.size === 0)
            return;
        this.flushTimer = setTimeout(() => {
            this.flushTimer = undefined;
            void this.flush();
        }, this.flushDelayMs);
        this.flushTimer.unref();
    }
    async flush() {
        this.flushing = true;
        const ids = [...takeFirst(this.pending, this.maxBatch)];
        const logIds = takeFirst(this.pendingLogs, this.maxBatch);
        try {
            const read = ids.length === 0 ? [] : await this.deps.jobs.getVersioned(ids);
            // Oldest write first, so that a stream of many jobs sends its events in version order.
            read.sort((a, b) => (a.version < b.version ? -1 : a.version > b.version ? 1 : 0));
            // A finished job's last lines were stored before its outcome: they go before its last state.
            for (const { job } of read)
                if (isFinished(job.state) && logIds.size < this.maxBatch)
                    logIds.add(job.id);
            const more = await this.flushLogs([...logIds]);
            for (const versioned of read) {
                // Lines still to read come before the end: the state waits for the next flush.
                if (more.has(versioned.job.id) && isFinished(versioned.job.state))
                    this.pending.add(versioned.job.id);
                else
                    this.dispatch(versioned);
            }
        }
        catch (error) {
            this.deps.onError(error);
        }
        finally {
            this.flushing = false;
            this.schedule();
        }
    }
    /**
     * Reads the lines the followers of `ids` lack, from the lowest cursor of each job, and hands them
     * out. Answers the jobs read in full that streams took lines of: they have more to read.
     */
    async flushLogs(ids) {
        const more = new Set();
        const after = [];
        for (const jobId of ids) {
            const followers = [...(this.oneJob.get(jobId) ?? []), ...this.manyJobs];
            if (followers.length === 0)
                continue;
            const cursors = followers.map((follower) => follower.logCursor(jobId));
            after.push({ jobId, afterId: cursors.reduce((low, c) => (compareLogIds(c, low) < 0 ? c : low)) });
        }
        if (after.length === 0)
            return more;
        const lines = await this.deps.jobs.logsAfter({ after, limitPerJob: this.logLinesPerRead });
        if (lines.length === 0)
            return more;
        const byJob = new Map();
        for (const line of lines) {
            let of = byJob.get(line.jobId);
            if (!of)
                byJob.set(line.jobId, (of = []));
            of.push(line);
        }
        for (const [jobId, of] of byJob) {
            let sent = false;
            for (const follower of this.oneJob.get(jobId) ?? [])
                sent = follower.deliverLogs(of) || sent;
            for (const follower of this.manyJobs)
                sent = follower.deliverLogs(of) || sent;
            // A full read may have left lines behind: read on from where the streams got to, as long as
            // they take them (a client that stopped reading gets the rest when it catches up, or never).
            if (of.length >= this.logLinesPerRead && sent) {
                this.pendingLogs.add(jobId);
                more.add(jobId);
            }
        }
        return more;
    }
    dispatch(versioned) {
        for (const follower of this.oneJob.get(versioned.job.id) ?? [])
            follower.deliver(versioned);
        for (const follower of this.manyJobs)
            if (follower.wants?.(versioned.job))
                follower.deliver(versioned);
    }
}
/**
 * Removes and returns the first `most` ids of `set`, in insertion order: without copying the rest,
 * which, with a backlog of ids waiting, made each flush cost as much as the backlog.
 */
function takeFirst(set, most) {
    const taken = new Set();
    for (const id of set) {
        if (taken.size >= most)
            break;
        taken.add(id);
    }
    for (const id of taken)
        set.delete(id);
    return taken;
}
//# sourceMappingURL=jobEventHub.js.map