/**
 * `runAt` through the API on each database: a timestamp the API accepts reads back as the instant it
 * names, from the enqueue answer, `GET /v1/jobs/{id}`, the list and an idempotent replay; one it
 * refuses gets 422 naming `runAt` and the accepted range (issue 16: 0028 was accepted and then broke
 * every read of the job with 500; 0049 read back as 2049).
 */
import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import { describe, it } from 'node:test'
import fc from 'fast-check'
import { databaseTargets } from '../support/databases.js'
import { expectJson, expectProblem, type ApiJob } from '../support/http.js'
import type { TestService } from '../support/service.js'
import { inRange, writtenTimestamps } from '../support/timestamps.js'
import { suiteService } from '../support/suiteService.js'

const RANGE = 'from 1970-01-01T00:00:00Z to 9999-12-31T23:59:59.999Z'
/** A queue no instance serves: the jobs stay queued and unchanged while the test reads them. */
const QUEUE = 'nobody'

for (const target of databaseTargets()) {
  describe(`runAt round trip (${target.name})`, () => {
    let service: TestService

    suiteService(target, (started) => (service = started))

    const enqueue = (runAt: string, key = randomUUID()) =>
      service.request('/v1/jobs', {
        method: 'POST',
        body: JSON.stringify({ type: 'echo', queue: QUEUE, runAt }),
        headers: { 'idempotency-key': key },
      })

    const expectRefused = async (response: Response, text: string) => {
      const problem = await expectProblem(response, 422)
      const named = [problem.detail ?? '', ...(problem.errors ?? []).map((e) => e.pointer)].join(' ')
      assert.match(named, /runAt/, `${text}: ${JSON.stringify(problem)}`)
      return problem
    }

    it('accepted: the same instant read back everywhere; refused: 422 naming runAt and the range', async () => {
      const stored = new Map<string, string>()
      await fc.assert(
        fc.asyncProperty(writtenTimestamps, async (written) => {
          const key = randomUUID()
          const response = await enqueue(written.text, key)
          if (!inRange(written)) {
            const problem = await expectRefused(response, written.text)
            assert.ok(problem.detail?.includes(RANGE), `${written.text}: ${problem.detail}`)
            return
          }
          const expected = new Date(written.instantMs).toISOString()
          const job = await expectJson(response, 202)
          assert.equal(job.runAt, expected, written.text)
          const read = await expectJson(await service.request(`/v1/jobs/${job.id}`), 200)
          assert.equal(read.runAt, expected, written.text)
          const replay = await expectJson(await enqueue(written.text, key), 200)
          assert.deepEqual([replay.id, replay.runAt], [job.id, expected], written.text)
          stored.set(job.id, expected)
        }),
        { numRuns: 150 },
      )
      // The list reads every row at once: one unreadable timestamp used to fail it for everyone.
      const listed = new Map<string, string>()
      let cursor: string | null = null
      do {
        const page: { jobs: ApiJob[]; nextCursor: string | null } = await expectJson(
          await service.request(`/v1/jobs?queue=${QUEUE}&limit=100${cursor ? `&cursor=${cursor}` : ''}`),
          200,
        )
        for (const job of page.jobs) listed.set(job.id, job.runAt as string)
        cursor = page.nextCursor
      } while (cursor !== null)
      assert.ok(stored.size > 0)
      for (const [id, runAt] of stored) assert.equal(listed.get(id), runAt, `job ${id} in the list`)
    })

    it('the years that broke reads are refused, in a single enqueue and in a batch', async () => {
      const broke = ['0028-01-01T00:00:00Z', '0049-01-01T00:00:00Z', '0099-01-01T00:00:00Z', '1969-12-31T23:59:59.999Z']
      for (const text of broke) {
        const problem = await expectRefused(await enqueue(text), text)
        assert.equal(problem.type, 'urn:job-runner:problem:invalid-job')
        assert.ok(problem.detail?.includes(RANGE), problem.detail)
      }
      const batch = await service.request('/v1/jobs/batch', {
        method: 'POST',
        body: JSON.stringify({
          jobs: [
            { type: 'echo', queue: QUEUE },
            { type: 'echo', queue: QUEUE, runAt: '0028-01-01T00:00:00Z' },
          ],
        }),
      })
      const problem = await expectRefused(batch, 'batch')
      assert.match(problem.detail ?? '', /runAt \(jobs\[1\]\)/)
      assert.ok(problem.detail?.includes(RANGE), problem.detail)
    })

    it('a day off the calendar or a leap second is refused, not rolled over; finer digits are dropped', async () => {
      for (const text of ['2026-02-30T00:00:00Z', '2016-12-31T23:59:60Z', '2026-01-01T00:00:00']) {
        await expectRefused(await enqueue(text), text)
      }
      const job = await expectJson(await enqueue('2026-06-01T12:00:00.123999+05:30'), 202)
      assert.equal(job.runAt, '2026-06-01T06:30:00.123Z')
    })
  })
}
