/** A job as the store returns it, for tests of what takes one without a database: `fields` override. */
import type { OwnedJob } from '../../src/queue/job.js'

export function jobRow(fields: Partial<OwnedJob> = {}): OwnedJob {
  return {
    id: '1',
    owner: 'alice',
    type: 'test',
    queue: 'default',
    state: 'running',
    payload: {},
    priority: 0,
    attempts: 1,
    maxAttempts: 3,
    timeoutSeconds: null,
    runAt: '2026-01-01T00:00:00.000Z',
    createdAt: '2026-01-01T00:00:00.000Z',
    startedAt: null,
    finishedAt: null,
    cancelRequested: false,
    cancelRequestedAt: null,
    cancelAcknowledgedAt: null,
    pauseRequested: false,
    checkpoint: null,
    checkpointVersion: 1,
    progress: null,
    result: null,
    error: null,
    interruptions: 0,
    maxInterruptions: 20,
    waitReason: null,
    retries: 0,
    replayOf: null,
    errors: [],
    concurrencyKey: null,
    expiresAt: null,
    ...fields,
  }
}
