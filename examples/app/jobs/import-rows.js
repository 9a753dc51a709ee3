/**
 * Imports `rows` rows in batches of `batchSize`, one batch every `batchMs`: the long-running job of
 * this app. It saves its cursor after every batch and checks its token between batches, so a
 * deploy (SIGTERM) puts it back in the queue and the next instance goes on from the cursor.
 */
import { setTimeout as sleep } from 'node:timers/promises'
import { defineJob } from 'job-runner'

export default defineJob({
  name: 'import-rows',
  payloadSchema: {
    type: 'object',
    properties: {
      rows: { type: 'integer', minimum: 1, maximum: 1_000_000 },
      batchSize: { type: 'integer', minimum: 1, maximum: 10_000 },
      batchMs: { type: 'integer', minimum: 0, maximum: 60_000 },
    },
    required: ['rows'],
    additionalProperties: false,
  },
  // What a caller's `wait` answers as `result` (typed by `job-runner types`).
  resultSchema: {
    type: 'object',
    properties: { imported: { type: 'integer' }, resumedFrom: { type: 'integer' } },
    required: ['imported', 'resumedFrom'],
  },
  defaults: { maxAttempts: 3 },
  async run({ payload, signal, checkpoint, saveCheckpoint, progress, log }) {
    const { rows, batchSize = 100, batchMs = 50 } = payload
    const resumedFrom = checkpoint?.imported ?? 0
    let imported = resumedFrom
    while (imported < rows) {
      signal.throwIfAborted()
      // A real import writes the batch here, in a transaction keyed by its row numbers.
      await sleep(batchMs, undefined, { signal })
      imported = Math.min(rows, imported + batchSize)
      saveCheckpoint({ imported })
      progress(imported / rows, `${imported} of ${rows} rows`)
      log.info({ imported }, 'batch imported')
    }
    return { imported, resumedFrom }
  },
})
