/**
 * A badly behaved job, shipped to show (and test) what the runner does with one: it counts like
 * `count` and saves its cursor, but never looks at its token. At shutdown the runner abandons it at
 * the grace deadline, writes its last checkpoint and requeues it, and the process still exits in time.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { defineJob } from './defineJob.js';
export default defineJob({
    name: 'stubborn',
    payloadSchema: {
        type: 'object',
        properties: {
            to: { type: 'integer', minimum: 0, maximum: 100_000_000 },
            stepMs: { type: 'integer', minimum: 1, maximum: 3_600_000 },
        },
        required: ['to', 'stepMs'],
        additionalProperties: false,
    },
    resultSchema: {
        type: 'object',
        properties: { counted: { type: 'integer' }, resumedFrom: { type: 'integer' } },
        required: ['counted', 'resumedFrom'],
        additionalProperties: false,
    },
    async run({ payload, checkpoint, saveCheckpoint }) {
        const resumedFrom = checkpoint?.cursor ?? 0;
        for (let cursor = resumedFrom; cursor < payload.to;) {
            await sleep(payload.stepMs);
            cursor += 1;
            saveCheckpoint({ cursor });
        }
        return { counted: payload.to, resumedFrom };
    },
});
//# sourceMappingURL=stubborn.js.map