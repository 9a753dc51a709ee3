/**
 * The answer of `GET /v1/admin/queues`: every known queue with its jobs per state, how many of its
 * queued jobs wait for a future `runAt`, and whether a live instance serves it. Known are the
 * declared queues (job types' defaults, `QUEUES`) and the served ones; queues named only by jobs
 * come after, those with queued or running jobs first, up to `UNDECLARED_QUEUES_SHOWN`, and the
 * rest are summed, so the answer stays bounded whatever queue names clients send.
 */
import { JOB_STATES } from '../queue/job.js';
export const UNDECLARED_QUEUES_SHOWN = 100;
export async function readQueueOverview({ store, served: servedQueues, declared, pausedQueues = new Set(), }) {
    const served = await servedQueues.get();
    const declaredSet = new Set(declared);
    const named = [...new Set([...declared, ...served.keys(), ...pausedQueues])];
    const rows = await store.countJobsByQueueBounded({ named, undeclaredLimit: UNDECLARED_QUEUES_SHOWN });
    const zero = () => Object.fromEntries(JOB_STATES.map((s) => [s, 0]));
    const byQueue = new Map();
    const summary = (queue) => {
        let found = byQueue.get(queue);
        if (!found) {
            const instances = served.get(queue) ?? 0;
            found = {
                queue,
                declared: declaredSet.has(queue),
                served: instances > 0,
                instances,
                paused: pausedQueues.has(queue),
                counts: zero(),
                scheduled: 0,
            };
            byQueue.set(queue, found);
        }
        return found;
    };
    for (const queue of named)
        summary(queue);
    let other;
    for (const { queue, state, count, scheduled, otherQueues } of rows) {
        const target = queue === null ? (other ??= { queues: otherQueues, counts: zero(), scheduled: 0 }) : summary(queue);
        target.counts[state] += count;
        target.scheduled += scheduled;
    }
    // Known queues first, then the ones only jobs name; by name within each.
    const known = (q) => Number(q.declared || q.served);
    const queues = [...byQueue.values()].sort((a, b) => known(b) - known(a) || a.queue.localeCompare(b.queue));
    return { queues, otherQueues: other ?? null };
}
//# sourceMappingURL=queueOverview.js.map