/**
 * Fails its first `failTimes` runs, then succeeds: shows retries with backoff. The failures are
 * counted in its checkpoint as well as by its attempt, so a job retried by hand from its checkpoint
 * (`POST /v1/jobs/{id}/retry`, attempts reset) goes on where it stopped, and one retried from the
 * start fails its `failTimes` runs again.
 */
import { defineJob } from './defineJob.js';
export default defineJob({
    name: 'flaky',
    payloadSchema: {
        type: 'object',
        properties: { failTimes: { type: 'integer', minimum: 0, maximum: 100 } },
        required: ['failTimes'],
        additionalProperties: false,
    },
    resultSchema: {
        type: 'object',
        properties: { attempts: { type: 'integer' } },
        required: ['attempts'],
        additionalProperties: false,
    },
    defaults: { maxAttempts: 5 },
    async run({ payload, attempt, checkpoint, saveCheckpoint, log }) {
        // A crash loses the in-memory checkpoint but counts the attempt: trust whichever is further.
        const failedBefore = Math.max(attempt - 1, checkpoint?.failed ?? 0);
        if (failedBefore < payload.failTimes) {
            saveCheckpoint({ failed: failedBefore + 1 });
            throw new Error(`failing on purpose: attempt ${attempt} of the ${payload.failTimes} that fail`);
        }
        log.info({ attempt }, `succeeded after ${failedBefore} failed runs`);
        return { attempts: attempt };
    },
});
//# sourceMappingURL=flaky.js.map