/**
 * The plain claim's fair share between owners (src/queue/fairClaim.ts) against each database: a
 * second owner's few jobs are claimed before the first owner's backlog is drained, owners short of
 * their share leave their part to the others, the walk goes round more owners than a claim holds,
 * one owner's jobs come in claim order as before, and a lookahead takes jobs due within it.
 */
import { describe, it, beforeEach } from 'node:test'
import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import postgres from 'postgres'
import { suiteDatabase } from '../support/suiteDatabase.js'
import { databaseTargets } from '../support/databases.js'
import { newJob } from '../support/engine.js'
import type { Database } from '../../src/db/database.js'
import { JobStore, type NewJob } from '../../src/queue/store.js'
import { nextOwnerCursor } from '../../src/queue/fairClaim.js'

const LEASE_MS = 60_000
const queues = ['default']

for (const target of databaseTargets()) {
  describe(`fair claim on ${target.name}`, { timeout: 60_000 }, () => {
    let db: Database
    let store: JobStore

    let databaseUrl: string | undefined
    suiteDatabase(target, (opened, connected) => {
      db = connected
      databaseUrl = opened.databaseUrl
    })
    beforeEach(async () => {
      await db.sql`truncate job_runner.job_runner_jobs, job_runner.job_runner_owner_jobs, job_runner.job_runner_instances restart identity`
      store = new JobStore(db.sql, db.schema)
    })

    async function enqueue(owner: string, count: number, fields: Partial<NewJob> = {}): Promise<string[]> {
      const enqueued = await store.enqueueJobs({ owner, jobs: Array.from({ length: count }, () => newJob(fields)) })
      return enqueued.map((e) => e.job.id)
    }
    const claim = (limit: number, exceptTypes: string[] = []) =>
      store.claimJobs({ instanceId: randomUUID(), queues, limit, leaseMs: LEASE_MS, exceptTypes })

    it("claims a second owner's jobs before the first owner's backlog, and fills what it leaves", async () => {
      await enqueue('alice', 500)
      const bobs = await enqueue('bob', 3)
      const claimed = await claim(10)
      assert.equal(claimed.length, 10, 'alice takes what bob leaves of the claim')
      assert.deepEqual(
        claimed
          .filter((j) => j.owner === 'bob')
          .map((j) => j.id)
          .sort(),
        [...bobs].sort(),
      )
      // Two owners with backlogs share a claim evenly.
      await enqueue('bob', 50)
      const shared = await claim(10)
      assert.equal(shared.filter((j) => j.owner === 'bob').length, 5)
      assert.equal(shared.filter((j) => j.owner === 'alice').length, 5)
    })

    it('goes round more owners than one claim holds', async () => {
      const owners = ['o1', 'o2', 'o3', 'o4', 'o5']
      for (const owner of owners) await enqueue(owner, 3)
      const served: string[][] = []
      for (let i = 0; i < 3; i++) served.push((await claim(2)).map((j) => j.owner).sort())
      assert.deepEqual(served, [
        ['o1', 'o2'],
        ['o3', 'o4'],
        ['o1', 'o5'],
      ])
    })

    it("claims one owner's jobs in claim order (priority, due time, id), leaving excepted types and jobs not due", async () => {
      const low = await enqueue('alice', 3, { priority: 5 })
      const high = await enqueue('alice', 2, { priority: -1 })
      await enqueue('alice', 2, { runAt: new Date(Date.now() + 60_000) })
      await enqueue('bob', 2, { type: 'sleep' })
      const claimed = await claim(4, ['sleep'])
      assert.deepEqual(
        claimed.map((j) => j.id),
        [...high, ...low.slice(0, 2)],
      )
    })

    it("with types excepted, claims the other types' jobs in claim order across types, past the excepted backlog", async () => {
      // A paused (or limited) type's backlog at the head of the queue: the claim reads the head of
      // each other type instead of the queue's, and merges them in claim order.
      await enqueue('alice', 50, { type: 'held', priority: -5 })
      const echoes = await enqueue('alice', 2, { type: 'echo', priority: 1 })
      const sleeps = await enqueue('alice', 2, { type: 'sleep', priority: 0 })
      const [expired, ...unknown] = await enqueue('alice', 3, { type: 'mystery', priority: 1 })
      await db.sql`update job_runner.job_runner_jobs set expires_at = now() - interval '1 second' where id = ${expired!}`
      await enqueue('alice', 1, { type: 'echo', runAt: new Date(Date.now() + 60_000) })
      // The first claim scans the queue (and finds the backlog); handed back, its jobs come again from
      // the second, which reads each type's head.
      const instanceId = randomUUID()
      const expected = [...sleeps, ...echoes, unknown[0]!]
      const scanned = await store.claimJobs({ instanceId, queues, limit: 5, leaseMs: LEASE_MS, exceptTypes: ['held'] })
      assert.deepEqual(
        scanned.map((j) => j.id),
        expected,
        'priority first, then due time and id, whatever the type; no job past its start-by deadline, none not due',
      )
      await store.releaseJobs({ instanceId, claims: scanned.map((j) => ({ id: j.id, attempt: j.attempts })) })
      assert.deepEqual(
        (await claim(5, ['held', 'absent'])).map((j) => j.id),
        expected,
        'the same read by type',
      )
      assert.deepEqual(
        (await claim(10, ['held'])).map((j) => j.id),
        [unknown[1]],
        'the next claim goes on from there',
      )
      const [row] = await db.sql<{ n: number }[]>`
        select count(*)::int as n from job_runner.job_runner_jobs where type = 'held' and state = 'queued'`
      assert.equal(row!.n, 50, 'the excepted type is left alone')
    })

    it('with types excepted, two claims at once take different jobs', async () => {
      await enqueue('alice', 60, { type: 'held', priority: -1 })
      const echoes = await enqueue('alice', 30)
      // The first finds the backlog, so that the two racing claims read by type.
      assert.deepEqual(await claim(1, ['held', 'echo']), [])
      const [first, second] = await Promise.all([claim(20, ['held']), claim(20, ['held'])])
      const ids = [...first!, ...second!].map((j) => j.id)
      assert.equal(new Set(ids).size, ids.length, 'no job claimed twice')
      assert.ok(ids.every((id) => echoes.includes(id)))
      assert.equal(ids.length, 30, 'between them, every echo job')
    })

    it(
      'with types excepted, a claim takes the jobs after those a claim under way holds',
      target.name === 'pglite' ? { skip: 'PGlite has one connection: no claim can hold rows while another runs' } : {},
      async () => {
        await enqueue('alice', 60, { type: 'held', priority: -1 })
        const echoes = await enqueue('alice', 30)
        // The first finds the backlog, so that the next claim reads by type.
        assert.deepEqual(await claim(1, ['held', 'echo']), [])
        // Another claim has locked the first 20 echo jobs and not committed yet, as in a race.
        const other = postgres(databaseUrl!, { max: 1, onnotice: () => {} })
        try {
          await other.begin(async (tx) => {
            await tx`select id from job_runner.job_runner_jobs where id between ${echoes[0]!} and ${echoes[19]!} for update`
            const taken = await claim(20, ['held'])
            assert.deepEqual(
              taken.map((j) => j.id),
              echoes.slice(20),
              'the ten after the locked ones',
            )
          })
        } finally {
          await other.end()
        }
      },
    )

    it('with a lookahead, also claims jobs due within it, their start written as their runAt', async () => {
      const runAt = new Date(Date.now() + 30_000)
      const [soon] = await enqueue('alice', 1, { runAt })
      await enqueue('alice', 1, { runAt: new Date(Date.now() + 120_000) })
      assert.deepEqual(await claim(10), [], 'not due: not claimed without a lookahead')
      const claimed = await store.claimJobs({
        instanceId: randomUUID(),
        queues,
        limit: 10,
        leaseMs: LEASE_MS,
        lookaheadMs: 60_000,
      })
      assert.deepEqual(
        claimed.map((j) => j.id),
        [soon],
        'the job due within the lookahead, not the later one',
      )
      const [row] = await db.sql<{ started_at: Date; run_at: Date; attempts: number }[]>`
        select started_at, run_at, attempts from job_runner.job_runner_jobs where id = ${soon!}`
      assert.equal(row!.started_at.getTime(), row!.run_at.getTime(), 'started_at is its runAt, never before it')
      assert.equal(row!.attempts, 1)
    })
  })
}

describe('nextOwnerCursor', () => {
  it('is the last owner served in the walk from the cursor round', () => {
    assert.equal(nextOwnerCursor('', ['a', 'c', 'b']), 'c')
    assert.equal(nextOwnerCursor('c', ['d', 'a', 'e']), 'a')
    assert.equal(nextOwnerCursor('c', []), 'c')
  })
})
