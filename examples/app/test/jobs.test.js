/**
 * The jobs on their own, with job-runner/testing: no server, no database.
 */
import assert from 'node:assert/strict'
import { it } from 'node:test'
import { testJob } from 'job-runner/testing'
import importRows from '../jobs/import-rows.js'
import welcomeEmail from '../jobs/welcome-email.js'

it('import-rows stops on shutdown with its cursor, and the next run goes on from it', async () => {
  const payload = { rows: 10_000, batchSize: 10, batchMs: 1 }
  const first = testJob(importRows, { payload })
  await first.untilCheckpoint(3)
  first.abort('shutdown')
  const interrupted = await first.outcome
  assert.equal(interrupted.state, 'interrupted')
  const { imported } = interrupted.checkpoint
  assert.ok(imported >= 30)

  const second = testJob(importRows, {
    payload: { ...payload, rows: imported + 20 },
    checkpoint: interrupted.checkpoint,
  })
  const done = await second.outcome
  assert.equal(done.state, 'succeeded')
  assert.deepEqual(done.result, { imported: imported + 20, resumedFrom: imported })
  assert.equal(second.progress.at(-1).fraction, 1)
})

it('welcome-email sends, and gives up at once on an address that cannot work', async () => {
  const sent = testJob(welcomeEmail, { payload: { to: 'ada@example.com', name: 'Ada' } })
  assert.equal((await sent.outcome).state, 'succeeded')
  assert.deepEqual(
    sent.logs.map((line) => line.msg),
    ['welcome email sent'],
  )
  const refused = await testJob(welcomeEmail, { payload: { to: 'x@invalid.example', name: 'X' } }).outcome
  assert.equal(refused.state, 'failed')
  assert.throws(
    () => testJob(welcomeEmail, { payload: { to: 'not an address', name: 'X' } }),
    /must match format "email"/,
  )
})
