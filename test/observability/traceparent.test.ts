/**
 * W3C traceparent, read and written without an SDK; and, with no OpenTelemetry SDK in the process
 * (none is registered in this file), the caller's traceparent is what the enqueue stores.
 */
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { formatTraceparent, parseTraceparent } from '../../src/observability/traceparent.js'
import { databaseTargets, onceSkip } from '../support/databases.js'
import { enqueue } from '../support/http.js'
import type { TestService } from '../support/service.js'
import { suiteService } from '../support/suiteService.js'

const HEADER = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01'

describe('traceparent', () => {
  it('reads a valid header and writes it back', () => {
    const context = parseTraceparent(HEADER)
    assert.deepEqual(context, {
      traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
      spanId: '00f067aa0ba902b7',
      traceFlags: 1,
      isRemote: true,
    })
    assert.equal(formatTraceparent(context!), HEADER)
    // A later version may add fields; they are ignored.
    assert.equal(parseTraceparent(`01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00-extra`)?.traceFlags, 0)
  })

  it('ignores malformed and invalid headers', () => {
    for (const header of [
      undefined,
      '',
      'garbage',
      '00-00000000000000000000000000000000-00f067aa0ba902b7-01',
      '00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01',
      'ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01',
      `${HEADER}-extra`,
    ]) {
      assert.equal(parseTraceparent(header), undefined, String(header))
    }
  })
})

for (const target of databaseTargets()) {
  describe(`traceparent without an SDK (${target.name})`, { skip: onceSkip(target, 'no database logic') }, () => {
    let service: TestService
    suiteService(target, (started) => (service = started))

    it("stores the caller's traceparent with the job", async () => {
      const job = await enqueue(
        service,
        { type: 'echo', runAt: '2999-01-01T00:00:00Z' },
        { headers: { traceparent: HEADER } },
      )
      const [row] = await service.db.sql<{ traceparent: string | null }[]>`
        select traceparent from job_runner.job_runner_jobs where id = ${job.id}`
      assert.equal(row?.traceparent, HEADER)
    })
  })
}
