/**
 * A lease sweep recovers expired jobs of every queue, whichever queues its own instance serves. The
 * recovered jobs must be announced to their own queues: the sweeping instance announced its served
 * queues instead, so a job of a queue it does not serve waited for its instances' next poll (and a
 * place it held under limits stayed unannounced).
 */
import { randomUUID } from 'node:crypto'
import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { databaseTargets, type TestDatabase } from '../support/databases.js'
import { openEngine, settled, type Engine } from '../support/engine.js'

for (const target of databaseTargets()) {
  describe(
    `a job recovered by an instance that does not serve its queue, on ${target.name}`,
    { timeout: 60_000 },
    () => {
      let database: TestDatabase
      let engine: Engine

      before(async () => {
        database = await target.create()
        engine = await openEngine(database)
      })
      after(async () => {
        await engine?.close()
        await database?.cleanup()
      })

      it('starts at once on an instance that serves it', { timeout: 20_000 }, async () => {
        // The job's instance vanished while running it: its lease is spent.
        const [enqueued] = await engine.jobs.enqueue({
          owner: 'alice',
          jobs: [{ type: 'echo', queue: 'side', payload: 1 }],
        })
        const [claimed] = await engine.store.claimJobs({
          instanceId: randomUUID(),
          queues: ['side'],
          limit: 1,
          leaseMs: 60_000,
        })
        assert.equal(claimed?.id, enqueued!.job.id)

        // B serves `side`, never sweeps, and polls every ten minutes: only a notice brings the job to it.
        const b = engine.newRunner({
          queues: ['side'],
          pollIntervalMs: 600_000,
          idlePollMaxMs: 600_000,
          sweepIntervalMs: 600_000,
        })
        await b.start()
        const ranOnB = settled(b, enqueued!.job.id)
        // A serves `default` alone and sweeps often.
        const a = engine.newRunner({ queues: ['default'], sweepIntervalMs: 20 })
        const recoveredByA = a.events.waitFor('leases:recovered', (e) => e.ids.includes(enqueued!.job.id))
        await a.start()
        await engine.db.sql`
        update job_runner.job_runner_jobs set lease_expires_at = now() - interval '1 second' where id = ${claimed!.id}`
        await recoveredByA
        assert.equal((await ranOnB).outcome, 'succeeded')
      })
    },
  )
}
