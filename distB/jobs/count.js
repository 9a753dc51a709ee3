/**
 * The long-running job of the docs, and the model of a job that stops well: it counts from its
 * checkpoint to `to`, one step per `stepMs`, saving the cursor at every step and checking its token
 * between steps. Interrupted by a shutdown, it resumes where its last written checkpoint left it.
 * Result: `{counted, resumedFrom, runs}` — where the last run started, and how many runs it took.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { defineJob } from './defineJob.js';
export default defineJob({
    name: 'count',
    payloadSchema: {
        type: 'object',
        properties: {
            to: { type: 'integer', minimum: 0, maximum: 100_000_000 },
            stepMs: { type: 'integer', minimum: 0, maximum: 3_600_000 },
        },
        required: ['to', 'stepMs'],
        additionalProperties: false,
    },
    resultSchema: {
        type: 'object',
        properties: { counted: { type: 'integer' }, resumedFrom: { type: 'integer' }, runs: { type: 'integer' } },
        required: ['counted', 'resumedFrom', 'runs'],
        additionalProperties: false,
    },
    defaults: { maxAttempts: 5 },
    async run({ payload, signal, checkpoint, saveCheckpoint, progress }) {
        const resumedFrom = checkpoint?.cursor ?? 0;
        const runs = (checkpoint?.runs ?? 0) + 1;
        saveCheckpoint({ cursor: resumedFrom, runs });
        for (let cursor = resumedFrom; cursor < payload.to;) {
            // Between steps: a fired token ends the run, and the checkpoint already holds the cursor.
            signal.throwIfAborted();
            await sleep(payload.stepMs, undefined, { signal });
            cursor += 1;
            saveCheckpoint({ cursor, runs });
            progress(cursor / payload.to, `${cursor} of ${payload.to}`);
        }
        return { counted: payload.to, resumedFrom, runs };
    },
});
//# sourceMappingURL=count.js.map