/**
 * What a job read says beyond its row: why a queued job waits (`waitReason`) and the progress a
 * running job reported since its last checkpoint flush (the live progress board). Every job the
 * API answers with passes through `view`; it costs no query of its own beyond the served-queues
 * cache (servedQueues.ts), and none at all when no job in the answer is queued.
 *
 * Wait reasons are checked in the order of `WAIT_REASONS` (src/queue/job.ts); a new reason is a new
 * entry there, a check here, and whatever that check needs in `WaitContext`.
 */
import { WAIT_REASONS } from '../queue/job.js';
const WAIT_CHECKS = {
    'no-instance': (job, { served }) => served !== undefined && !served.has(job.queue),
    paused: (job, { paused }) => paused?.(job) ?? false,
    scheduled: (job, { now }) => Date.parse(job.runAt) > now,
    concurrency: (job, { atLimit }) => atLimit?.(job) ?? false,
    'rate-limit': (job, { atRate }) => atRate?.(job) ?? false,
};
/** Why `job` waits, or null when it is not queued or is ready and waits only for a free slot. */
export function waitReasonOf(job, context) {
    if (job.state !== 'queued')
        return null;
    for (const reason of WAIT_REASONS)
        if (WAIT_CHECKS[reason](job, context))
            return reason;
    return null;
}
export class JobSignals {
    deps;
    paused;
    constructor(deps) {
        this.deps = deps;
        const pauses = deps.pauses;
        this.paused = pauses ? (job) => pauses.modeFor(job) !== undefined : () => false;
    }
    /**
     * The jobs as the API shows them: live progress merged, wait reasons filled in. Never rejects: an
     * enqueue has committed by the time its answer is viewed. Should the served queues be unknown (a
     * database that has not answered since start-up), `no-instance` is not claimed.
     */
    async view(jobs) {
        const anyQueued = jobs.some((job) => job.state === 'queued');
        // No await for the limits unless a queued job of a limited type is shown (one fewer per enqueue).
        const context = anyQueued
            ? {
                served: await this.servedOrUnknown(),
                now: Date.now(),
                paused: this.paused,
                ...(this.anyLimited(jobs) ? await this.limits() : {}),
            }
            : undefined;
        return jobs.map((job) => {
            const live = this.liveProgress(job);
            const waitReason = context ? waitReasonOf(job, context) : null;
            if (live === undefined && waitReason === job.waitReason)
                return job;
            return { ...job, waitReason, ...(live ? { progress: live } : {}) };
        });
    }
    /** Whether a queued job of a limited type is shown: only then are the limits read. */
    anyLimited(jobs) {
        const usage = this.deps.usage;
        return usage !== undefined && jobs.some((job) => job.state === 'queued' && usage.isLimited(job.type, job.queue));
    }
    /** The concurrency check (`anyLimited`); none when usage is unreadable. */
    async limits() {
        const usage = this.deps.usage;
        if (!usage)
            return {};
        try {
            const snapshot = await usage.get();
            return { atLimit: (job) => usage.atLimit(job, snapshot), atRate: (job) => usage.atRate(job, snapshot) };
        }
        catch (error) {
            this.deps.onError?.(error);
            return {};
        }
    }
    async servedOrUnknown() {
        try {
            return await this.deps.served.get();
        }
        catch (error) {
            this.deps.onError?.(error);
            return undefined;
        }
    }
    /**
     * Only a running job's row is behind its board entry: a settled or requeued job's row holds its
     * last progress, and a read that began before the job started holds a queued row. (Entries go
     * when their job settles, here or, through the relay, on the instance that ran it.)
     */
    liveProgress(job) {
        return job.state === 'running' ? this.deps.progress.get(job.id) : undefined;
    }
}
//# sourceMappingURL=jobSignals.js.map