/**
 * The claim loop of a runner generation with limits served (src/runner/generation.ts): every settle of
 * a limited job looks for work again at once, but the plain claim (types without limits) runs only
 * when it may find something — after a notice of jobs available, a due time, a resync, a resume, or
 * a poll interval. Without that gate, a keyed backlog made an empty plain claim after every limited
 * one. The plain job enqueued afterwards shows the gate opens on the enqueue's notice.
 */
import { describe, it, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { databaseTargets, type TestDatabase } from '../support/databases.js'
import { openEngine, settled, type Engine } from '../support/engine.js'
import { defineJob } from '../../jobs/defineJob.js'
import type { Json, OwnedJob } from '../../src/queue/job.js'

/** One job of a key at a time. */
const keyed = defineJob<Json, never, Json>({
  name: 'keyed',
  payloadSchema: {},
  concurrency: { perKey: 1 },
  async run({ payload }) {
    return payload
  },
})

for (const target of databaseTargets()) {
  describe(`the claim loop with limits served, on ${target.name}`, { timeout: 60_000 }, () => {
    let database: TestDatabase
    let engine: Engine

    before(async () => {
      database = await target.create()
      engine = await openEngine(database, { extraJobs: [keyed] })
    })

    after(async () => {
      await engine?.close()
      await database?.cleanup()
    })

    it('makes no plain claim for limited jobs settling, and one for a plain job enqueued', async () => {
      // The poll, the gate's fallback, is a minute away: only notices open it here.
      const runner = engine.newRunner({ concurrency: 2, localQueueSize: 0, pollIntervalMs: 60_000 })
      const store = engine.store as unknown as Record<
        'claimJobs' | 'claimLimitedJobs',
        (...args: unknown[]) => Promise<OwnedJob[]>
      >
      const claims = { plain: 0, limited: 0 }
      const [plainClaim, limitedClaim] = [store.claimJobs, store.claimLimitedJobs]
      store.claimJobs = (...args) => (claims.plain++, plainClaim.apply(engine.store, args))
      store.claimLimitedJobs = (...args) => (claims.limited++, limitedClaim.apply(engine.store, args))
      try {
        // Two keys, five jobs each: at most two run at once, and each settle claims the next.
        const requests = Array.from({ length: 10 }, (_, i) => ({
          type: 'keyed',
          payload: { i },
          concurrencyKey: `k${i % 2}`,
        }))
        const enqueued = await engine.jobs.enqueue({ owner: 'alice', jobs: requests })
        const allSettled = Promise.all(enqueued.map(({ job }) => settled(runner, job.id)))
        await runner.start()
        const outcomes = await allSettled
        assert.deepEqual(
          outcomes.map((o) => o.outcome),
          enqueued.map(() => 'succeeded'),
        )
        assert.ok(claims.limited >= 5, `${claims.limited} limited claims for 10 jobs two at a time`)
        // The start's claim, and the one the enqueue's notice opened; none per settle.
        assert.ok(claims.plain <= 2, `${claims.plain} plain claims beside ${claims.limited} limited ones`)

        const before = claims.plain
        const [plain] = await engine.jobs.enqueue({ owner: 'alice', jobs: [{ type: 'echo', payload: 'plain' }] })
        assert.equal((await settled(runner, plain!.job.id)).outcome, 'succeeded')
        assert.ok(claims.plain > before, 'the enqueue of a plain job opened the plain claim')
      } finally {
        store.claimJobs = plainClaim
        store.claimLimitedJobs = limitedClaim
      }
    })
  })
}
