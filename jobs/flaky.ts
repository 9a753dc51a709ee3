/** Fails its first `failTimes` attempts, then succeeds: shows retries with backoff. */
import { defineJob } from './defineJob.js'

export default defineJob<{ failTimes: number }, never, { attempts: number }>({
  name: 'flaky',
  payloadSchema: {
    type: 'object',
    properties: { failTimes: { type: 'integer', minimum: 0, maximum: 100 } },
    required: ['failTimes'],
    additionalProperties: false,
  },
  defaults: { maxAttempts: 5 },
  async run({ payload, attempt }) {
    if (attempt <= payload.failTimes) {
      throw new Error(`failing on purpose: attempt ${attempt} of the ${payload.failTimes} that fail`)
    }
    return { attempts: attempt }
  },
})
