import { Batcher } from '../support/batcher.js';
export class EnqueueBatches {
    batcher;
    constructor(store) {
        // Two batches in flight: one commits while the next fills up.
        this.batcher = new Batcher((submissions) => insertByOwner(store, submissions), {
            maxBatch: 500,
            maxInFlight: 2,
        });
    }
    async enqueue(owner, job) {
        if (job.idempotencyKey !== null)
            throw new Error('jobs with an idempotency key are enqueued one request at a time');
        const submission = { owner, job };
        const outcome = (await this.batcher.add(submission)).get(submission);
        if (!outcome.ok)
            throw outcome.error;
        return outcome.enqueued;
    }
}
async function insertByOwner(store, submissions) {
    const byOwner = new Map();
    for (const s of submissions) {
        const group = byOwner.get(s.owner);
        if (group)
            group.push(s);
        else
            byOwner.set(s.owner, [s]);
    }
    const outcomes = new Map();
    await Promise.all([...byOwner].map(async ([owner, group]) => {
        try {
            const enqueued = await store.enqueueJobs({ owner, jobs: group.map((s) => s.job) });
            group.forEach((s, i) => outcomes.set(s, { ok: true, enqueued: enqueued[i] }));
        }
        catch (error) {
            for (const s of group)
                outcomes.set(s, { ok: false, error });
        }
    }));
    return outcomes;
}
//# sourceMappingURL=enqueueBatches.js.map