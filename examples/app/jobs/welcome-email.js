/**
 * Sends a welcome email (here: renders it and pretends to hand it to a mail API). Short and
 * idempotent per address, so it needs no checkpoint: a retry renders it again.
 */
import { setTimeout as sleep } from 'node:timers/promises'
import { defineJob, PermanentError } from 'job-runner'

export default defineJob({
  name: 'welcome-email',
  payloadSchema: {
    type: 'object',
    properties: {
      to: { type: 'string', format: 'email' },
      name: { type: 'string', minLength: 1, maxLength: 200 },
    },
    required: ['to', 'name'],
    additionalProperties: false,
  },
  defaults: { maxAttempts: 5, timeoutSeconds: 30 },
  async run({ payload, signal, log }) {
    if (payload.to.endsWith('@invalid.example')) throw new PermanentError(`cannot deliver to ${payload.to}`)
    const body = `Hello ${payload.name}, welcome aboard!`
    // A real mail API call goes here; pass it `signal` so a shutdown does not wait for it.
    await sleep(10, undefined, { signal })
    log.info({ to: payload.to }, 'welcome email sent')
    return { to: payload.to, bytes: Buffer.byteLength(body) }
  },
})
