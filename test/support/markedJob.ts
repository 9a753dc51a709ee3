/**
 * What the route walks (test/security/route*.test.ts) act on: a job that leaves something of each
 * kind to read (a log line, a checkpoint) and then fails for good, and times far enough away that
 * a job due then stays queued and a yearly slot never fires while a suite runs.
 */
import { defineJob, PermanentError } from '../../jobs/defineJob.js'

export const markedJob = defineJob<Record<string, unknown>, { step: number }, null>({
  name: 'marked',
  payloadSchema: { type: 'object' },
  defaults: { maxAttempts: 1 },
  async run({ log, saveCheckpoint, flush }) {
    log.info('marked ran')
    saveCheckpoint({ step: 1 })
    await flush()
    throw new PermanentError('marked fails on purpose')
  },
})

export const FAR_AWAY = '2100-01-01T00:00:00Z'
export const YEARLY = '0 0 1 1 *'
