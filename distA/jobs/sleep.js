/** Sleeps `ms` milliseconds, waking at once when its token fires. Result: `{slept}`. */
import { setTimeout as sleep } from 'node:timers/promises';
import { defineJob } from './defineJob.js';
export default defineJob({
    name: 'sleep',
    payloadSchema: {
        type: 'object',
        properties: { ms: { type: 'integer', minimum: 0, maximum: 86_400_000 } },
        required: ['ms'],
        additionalProperties: false,
    },
    resultSchema: {
        type: 'object',
        properties: { slept: { type: 'integer' } },
        required: ['slept'],
        additionalProperties: false,
    },
    async run({ payload, signal }) {
        // Rejects with an AbortError when the token fires; the runner reads `signal.reason` for the cause.
        await sleep(payload.ms, undefined, { signal });
        return { slept: payload.ms };
    },
});
//# sourceMappingURL=sleep.js.map