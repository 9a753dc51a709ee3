import { ConcurrencyUsage } from './concurrencyUsage.js';
import { JobSignals } from './jobSignals.js';
import { declaredQueues, LabelBounds } from './labelBounds.js';
import { LiveProgress } from './liveProgress.js';
import { ProgressRelay } from './progressRelay.js';
import { readQueueOverview } from './queueOverview.js';
import { ServedQueues } from './servedQueues.js';
export class Signals {
    options;
    labels;
    served;
    progress;
    relay;
    jobSignals;
    declared;
    unsubscribe = [];
    constructor(options) {
        this.options = options;
        const { db, store, notifier, registry, onError } = options;
        this.declared = declaredQueues(registry, options.queues);
        const schedules = registry.names().flatMap((name) => (registry.get(name)?.schedules ?? []).map((s) => s.id));
        this.labels = new LabelBounds({ queues: this.declared, types: registry.names(), schedules });
        const onServedError = (error) => onError(error, 'served-queues read');
        this.served = new ServedQueues({ liveWithinMs: options.leaseMs }, store, onServedError);
        this.relay = new ProgressRelay({
            db,
            store,
            watches: notifier.watches,
            onRemote: (id, progress) => this.progress.accept(id, progress),
            onRemoteSettled: (id) => this.progress.forget(id),
            onError: (error) => onError(error, 'progress relay'),
        });
        // A change wakes this job's long-polls here; other instances hear it through the relay.
        this.progress = new LiveProgress({
            onChange: (id) => notifier.publishLocal('jobChanged', id),
            onPublish: (id, progress) => this.relay.publish(id, progress),
        });
        this.jobSignals = new JobSignals({
            served: this.served,
            progress: this.progress,
            ...(options.pauses ? { pauses: options.pauses } : {}),
            usage: new ConcurrencyUsage(registry.concurrencyLimits(), store, { queueLimits: options.queueLimits ?? [] }),
            onError: onServedError,
        });
    }
    /** The runner's progress hook (`RunnerDependencies.onProgress`). */
    onProgress = (execution) => {
        const { id, progress } = execution.currentState();
        if (progress)
            this.progress.report(id, progress);
    };
    /** The job service's view (`JobService`'s last argument). */
    view = (jobs) => this.jobSignals.view(jobs);
    /**
     * Listens to other instances' progress, sends the latest report of a job running here when another
     * instance begins watching it, and forgets a job's live progress once it settles here.
     */
    async start(runnerEvents) {
        this.unsubscribe.push(this.options.notifier.watches.onRemoteWatch((watch) => {
            const reports = watch === 'all'
                ? [...this.progress.reportsHere()]
                : watch.ids.flatMap((id) => {
                    const progress = this.progress.reportedHere(id);
                    return progress ? [[id, progress]] : [];
                });
            for (const [id, progress] of reports)
                this.relay.publish(id, progress);
        }), runnerEvents.on('job:settled', ({ job }) => {
            // Only a job that reported progress here has entries elsewhere.
            if (this.progress.get(job.id) === undefined)
                return;
            this.progress.forget(job.id);
            this.relay.publishSettled(job.id);
        }));
        await this.relay.start();
    }
    async stop() {
        for (const off of this.unsubscribe.splice(0))
            off();
        this.progress.clear();
        await this.relay.stop();
    }
    /** Queue depth for /metrics: undeclared queues summed by the store under a null queue. */
    queueDepth() {
        return this.options.store.countJobsByQueueBounded({ named: this.declared, undeclaredLimit: 0 });
    }
    queueOverview() {
        const { store, pauses } = this.options;
        return readQueueOverview({
            store,
            served: this.served,
            declared: this.declared,
            pausedQueues: pauses?.pausedQueues ?? new Set(),
        });
    }
    /** A queue is known when declared (job types, `QUEUES`), served by a live instance, or holding queued jobs. */
    async isKnownQueue(queue, store) {
        if (this.declared.includes(queue) || this.options.pauses?.pausedQueues.has(queue))
            return true;
        if ((await this.served.get()).has(queue))
            return true;
        return store.queueHasQueuedJobs(queue);
    }
}
//# sourceMappingURL=signals.js.map