/**
 * GET /v1/jobs/{id}/logs on each database: a job's `ctx.log` lines, kept with it across runs
 * (written with checkpoint flushes and before the outcome, so an interrupted run's lines survive a
 * drain), read a page at a time with a cursor that also follows new lines; bounded to the last
 * 1,000 lines or 256 KiB; another owner's job is a 404 and a forged cursor a 400.
 */
import assert from 'node:assert/strict'
import { setTimeout as sleep } from 'node:timers/promises'
import { describe, it } from 'node:test'
import { defineJob } from '../../jobs/defineJob.js'
import { JobRegistry } from '../../jobs/registry.js'
import { databaseTargets, onceSkip, ROUTES_THROUGH_THE_STORE } from '../support/databases.js'
import { enqueue, expectJson, expectProblem, pollUntil } from '../support/http.js'
import type { TestService } from '../support/service.js'
import { suiteService } from '../support/suiteService.js'

interface LogPage {
  lines: { at: string; level: string; message: string; fields: Record<string, unknown> | null }[]
  nextCursor: string
}

const chatty = defineJob<{ lines: number; bytes?: number }, never, null>({
  name: 'chatty',
  payloadSchema: { type: 'object', properties: { lines: { type: 'integer' }, bytes: { type: 'integer' } } },
  async run({ payload, log }) {
    const filler = 'x'.repeat(payload.bytes ?? 0)
    for (let n = 1; n <= payload.lines; n++) log.info({ n }, `line ${n}${filler}`)
    log.child({ step: 'end' }).warn('done after %d lines', payload.lines)
    return null
  },
})

const patient = defineJob<Record<string, never>, { runs: number }, null>({
  name: 'patient',
  payloadSchema: { type: 'object' },
  async run({ log, signal, checkpoint, saveCheckpoint }) {
    const run = (checkpoint?.runs ?? 0) + 1
    saveCheckpoint({ runs: run })
    log.info({ run }, `run ${run} started`)
    if (run > 1) return null
    await sleep(60_000, undefined, { signal })
    return null
  },
})

for (const target of databaseTargets()) {
  describe(`GET /v1/jobs/{id}/logs (${target.name})`, { skip: onceSkip(target, ROUTES_THROUGH_THE_STORE) }, () => {
    let service: TestService

    suiteService(target, (started) => (service = started), {}, { registry: new JobRegistry([chatty, patient]) })

    const logs = async (id: string, query = '', sub?: string) =>
      expectJson<LogPage>(await service.request(`/v1/jobs/${id}/logs${query}`, sub ? { sub } : {}), 200)

    it('gives the lines oldest first, a page at a time, and follows new ones with the cursor', async () => {
      const job = await enqueue(service, { type: 'chatty', payload: { lines: 5 } })
      await pollUntil(service, job.id, (j) => j.state === 'succeeded')
      const first = await logs(job.id, '?limit=4')
      assert.deepEqual(
        first.lines.map((l) => [l.level, l.message, l.fields]),
        [
          ['info', 'line 1', { n: 1 }],
          ['info', 'line 2', { n: 2 }],
          ['info', 'line 3', { n: 3 }],
          ['info', 'line 4', { n: 4 }],
        ],
      )
      const rest = await logs(job.id, `?cursor=${first.nextCursor}`)
      assert.deepEqual(
        rest.lines.map((l) => [l.level, l.message, l.fields]),
        [
          ['info', 'line 5', { n: 5 }],
          ['warn', 'done after 5 lines', { step: 'end' }],
        ],
      )
      const none = await logs(job.id, `?cursor=${rest.nextCursor}`)
      assert.deepEqual(none.lines, [])
      assert.equal(none.nextCursor, rest.nextCursor, 'the cursor stays where the lines end')
    })

    it("keeps a run's lines across a drain, and the next run's after them", async () => {
      const job = await enqueue(service, { type: 'patient' })
      await pollUntil(service, job.id, (j) => j.state === 'running' && j.checkpoint !== null)
      await service.lifecycle.drain('test')
      await service.lifecycle.resume('test')
      await pollUntil(service, job.id, (j) => j.state === 'succeeded')
      const page = await logs(job.id)
      assert.deepEqual(
        page.lines.map((l) => l.message),
        ['run 1 started', 'run 2 started'],
      )
    })

    it('keeps the last 1,000 lines, and at most 256 KiB', async () => {
      const many = await enqueue(service, { type: 'chatty', payload: { lines: 1500 } })
      const big = await enqueue(service, { type: 'chatty', payload: { lines: 400, bytes: 1000 } })
      await pollUntil(service, many.id, (j) => j.state === 'succeeded')
      await pollUntil(service, big.id, (j) => j.state === 'succeeded')
      const kept: LogPage['lines'] = []
      let cursor = ''
      for (;;) {
        const page = await logs(many.id, `?limit=1000${cursor}`)
        if (page.lines.length === 0) break
        kept.push(...page.lines)
        cursor = `&cursor=${page.nextCursor}`
      }
      assert.equal(kept.length, 1000)
      assert.equal(kept[0]!.message, 'line 502')
      assert.equal(kept.at(-1)!.message, 'done after 1500 lines')

      const bigLines = (await logs(big.id, '?limit=1000')).lines
      const bytes = bigLines.reduce((sum, l) => sum + Buffer.byteLength(l.message) + JSON.stringify(l.fields).length, 0)
      assert.ok(bytes <= 256 * 1024, `${bytes} bytes kept`)
      assert.ok(bigLines.length >= 240 && bigLines.length < 400, `${bigLines.length} lines kept`)
      assert.equal(bigLines.at(-1)!.message, 'done after 400 lines')
    })

    it("answers 404 for another owner's job and 400 for a forged cursor", async () => {
      const job = await enqueue(service, { type: 'chatty', payload: { lines: 1 } })
      await pollUntil(service, job.id, (j) => j.state === 'succeeded')
      const stranger = { sub: 'mallory', scopes: ['jobs:read' as const] }
      await expectProblem(await service.request(`/v1/jobs/${job.id}/logs`, stranger), 404)
      // An admin token sees every owner's job, and its lines.
      assert.equal((await logs(job.id, '', 'an-admin')).lines.length, 2)
      await expectProblem(await service.request(`/v1/jobs/${job.id}/logs?cursor=bm9wZQ`), 400)
      await expectProblem(await service.request(`/v1/jobs/999999/logs`), 404)
    })
  })
}
