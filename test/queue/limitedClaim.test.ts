/**
 * The limited claim (src/queue/limitedClaim.ts) against each database: `perKey` and `total` hold
 * across claims of different instances, a key at its limit does not hold back other keys, a job
 * without a key is held to `total` only, a release or an outcome frees the place, the plain claim
 * leaves limited types alone, and on PostgreSQL many claims racing on separate connections never
 * lease more than the limits allow; rate limits per key, limits per queue (`QUEUE_LIMITS`) and both a
 * type's and a queue's limits on one job.
 */
import { describe, it, beforeEach } from 'node:test'
import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import postgres from 'postgres'
import { suiteDatabase } from '../support/suiteDatabase.js'
import { databaseTargets, type TestDatabase } from '../support/databases.js'
import { newJob } from '../support/engine.js'
import type { Database } from '../../src/db/database.js'
import type { LimitedQueue, LimitedType } from '../../src/queue/limitedClaim.js'
import { JobStore, type NewJob } from '../../src/queue/store.js'

const LEASE_MS = 60_000
const queues = ['default']

for (const target of databaseTargets()) {
  describe(`limited claim on ${target.name}`, { timeout: 60_000 }, () => {
    let database: TestDatabase
    let db: Database
    let store: JobStore

    suiteDatabase(target, (opened, connected) => {
      database = opened
      db = connected
      store = new JobStore(db.sql, db.schema)
    })
    beforeEach(async () => {
      await db.sql`truncate job_runner.job_runner_jobs, job_runner.job_runner_owner_jobs, job_runner.job_runner_instances, job_runner.job_runner_rate_limits restart identity`
    })

    async function enqueue(jobs: Partial<NewJob>[]): Promise<string[]> {
      const enqueued = await store.enqueueJobs({ owner: 'alice', jobs: jobs.map((j) => newJob(j)) })
      return enqueued.map((e) => e.job.id)
    }
    const keyed = (key: string | null, count: number): Partial<NewJob>[] =>
      Array.from({ length: count }, () => ({ concurrencyKey: key }))
    const claimLimited = (types: LimitedType[], limit = 100, instanceId = randomUUID()) =>
      store.claimLimitedJobs({ instanceId, queues, limit, leaseMs: LEASE_MS, types })
    const echo = (perKey: number | null, total: number | null): LimitedType[] => [{ type: 'echo', perKey, total }]
    const claimInLimitedQueues = (types: LimitedType[], limitedQueues: LimitedQueue[]) =>
      store.claimLimitedJobs({ instanceId: randomUUID(), queues, limit: 10, leaseMs: LEASE_MS, types, limitedQueues })

    it('leases at most perKey jobs of each key, across claims of different instances', async () => {
      await enqueue([...keyed('a', 5), ...keyed('b', 5)])
      const first = await claimLimited(echo(2, null))
      assert.deepEqual(first.map((j) => j.concurrencyKey).sort(), ['a', 'a', 'b', 'b'])
      assert.deepEqual(await claimLimited(echo(2, null)), [], 'both keys are at their limit')
      // One ends: one more of its key, and only of its key.
      await store.completeJobs({
        instanceId: (await leaseOwnerOf(first[0]!.id))!,
        completions: [
          { id: first[0]!.id, attempt: first[0]!.attempts, result: null, checkpoint: null, progress: null },
        ],
      })
      const next = await claimLimited(echo(2, null))
      assert.deepEqual(
        next.map((j) => j.concurrencyKey),
        [first[0]!.concurrencyKey],
      )
    })

    it("shares a key's places between owners: the key is the type's, not an owner's", async () => {
      await enqueue(keyed('tenant-42', 1))
      await store.enqueueJobs({ owner: 'bob', jobs: [newJob({ concurrencyKey: 'tenant-42' })] })
      const claimed = await claimLimited(echo(1, null))
      assert.equal(claimed.length, 1)
      assert.deepEqual(await claimLimited(echo(1, null)), [], "the other owner's job waits for the key")
    })

    it('does not let a key at its limit hold back the keys behind it', async () => {
      await enqueue([...keyed('hot', 20), ...keyed('cold', 1)])
      const claimed = await claimLimited(echo(1, null), 5)
      assert.deepEqual(claimed.map((j) => j.concurrencyKey).sort(), ['cold', 'hot'])
      const again = await claimLimited(echo(1, null), 5)
      assert.deepEqual(again, [])
    })

    it('holds the type to total, keys or not, and a job without a key to total only', async () => {
      await enqueue([...keyed(null, 4), ...keyed('a', 4)])
      const claimed = await claimLimited(echo(1, 3), 10)
      assert.equal(claimed.length, 3)
      assert.ok(claimed.filter((j) => j.concurrencyKey === 'a').length <= 1)
      assert.deepEqual(await claimLimited(echo(1, 3), 10), [], 'the type is at its total')
    })

    it('frees the place of a job handed back unrun, and the plain claim leaves limited types alone', async () => {
      const [limitedId] = await enqueue(keyed('a', 2))
      await enqueue([{ type: 'sleep', payload: { ms: 1 } }])
      const plain = await store.claimJobs({
        instanceId: randomUUID(),
        queues,
        limit: 10,
        leaseMs: LEASE_MS,
        exceptTypes: ['echo'],
      })
      assert.deepEqual(
        plain.map((j) => j.type),
        ['sleep'],
      )
      const instanceId = randomUUID()
      const [claimed] = await claimLimited(echo(1, null), 10, instanceId)
      assert.equal(claimed!.id, limitedId)
      assert.deepEqual(await claimLimited(echo(1, null)), [])
      await store.releaseJobs({ instanceId, claims: [{ id: claimed!.id, attempt: claimed!.attempts }] })
      assert.equal((await claimLimited(echo(1, null))).length, 1, 'released: its key has a place again')
    })

    it("recovers an expired lease of a job it holds beside a plain claim's, and the key has its place again", async () => {
      // The two kinds of held job sit in different lease indexes (migration 029): the sweep reads both.
      const [limitedId] = await enqueue(keyed('a', 2))
      const [plainId] = await enqueue([{ type: 'sleep', payload: { ms: 1 } }])
      await store.claimJobs({ instanceId: randomUUID(), queues, limit: 10, leaseMs: LEASE_MS, exceptTypes: ['echo'] })
      const [claimed] = await claimLimited(echo(1, null))
      assert.equal(claimed!.id, limitedId)
      assert.deepEqual(await claimLimited(echo(1, null)), [], 'key a is at its limit')
      assert.deepEqual(await store.recoverExpiredLeases(), [], 'live leases are left alone')
      // Both runners vanished: their leases ran out.
      await db.sql`update job_runner.job_runner_jobs set lease_expires_at = now() - interval '1 second' where id in (${limitedId!}, ${plainId!})`
      const recovered = await store.recoverExpiredLeases()
      assert.deepEqual(
        recovered.map((r) => [r.id, r.state]).sort(),
        [
          [limitedId, 'queued'],
          [plainId, 'queued'],
        ].sort(),
      )
      assert.equal((await claimLimited(echo(1, null))).length, 1, 'recovered: its key has a place again')
    })

    it("takes its type's jobs in claim order behind other types' jobs, and no job of a type whose name starts alike", async () => {
      await enqueue(Array.from({ length: 30 }, () => ({ type: 'sleep', priority: -1 })))
      await enqueue(Array.from({ length: 3 }, () => ({ type: 'echo2' })))
      const later = await enqueue(keyed('a', 2))
      const first = await enqueue([{ priority: -2, concurrencyKey: 'b' }])
      const claimed = await claimLimited(echo(null, 10), 10)
      assert.deepEqual(
        claimed.map((j) => j.id),
        [...first, ...later],
        'priority first, then due time; only echo',
      )
    })

    it('keeps the key through an interruption', async () => {
      const [id] = await enqueue(keyed('tenant-7', 1))
      const instanceId = randomUUID()
      const [claimed] = await claimLimited(echo(1, null), 1, instanceId)
      await store.requeueInterruptedJobs({
        instanceId,
        jobs: [{ id: id!, attempt: claimed!.attempts, checkpoint: { at: 3 }, progress: null }],
      })
      const [again] = await claimLimited(echo(1, null))
      assert.equal(again!.id, id)
      assert.equal(again!.concurrencyKey, 'tenant-7')
      assert.deepEqual(again!.checkpoint, { at: 3 })
    })

    it('rate limit: starts spread one interval apart, a burst after a quiet spell, the next start told', async () => {
      await enqueue(keyed(null, 10))
      // Ten seconds apart: the claims below come well within one interval of each other, however
      // loaded the machine (the spacing itself is measured in bench/).
      const INTERVAL_MS = 10_000
      const rated = (burst: number): LimitedType[] => [
        { type: 'echo', perKey: null, total: null, intervalMs: INTERVAL_MS, toleranceMs: (burst - 1) * INTERVAL_MS },
      ]
      const told: number[] = []
      const waitedFor: number[] = []
      const claim = (burst: number) =>
        store.claimLimitedJobs({
          instanceId: randomUUID(),
          queues,
          limit: 10,
          leaseMs: LEASE_MS,
          types: rated(burst),
          onNextStart: (at) => told.push(at),
          onRateWait: (at) => waitedFor.push(at),
        })
      assert.equal((await claim(1)).length, 1, 'one start, however many slots')
      assert.deepEqual(waitedFor, [], 'a claim that started a job has no wait to tell')
      assert.equal((await claim(1)).length, 0, 'the next is one interval away')
      const [clock] = await db.sql<{ now: number }[]>`select (extract(epoch from now()) * 1000)::float8 as now`
      const now = Number(clock!.now)
      assert.equal(told.length, 1)
      assert.ok(told[0]! > now && told[0]! <= now + INTERVAL_MS, `the next start is told: ${told[0]! - now} ms ahead`)
      // The claim that found the limiter out of starts tells its own caller the same time, which an
      // instance that missed the announcement of the one before would otherwise not know.
      assert.equal(waitedFor.length, 1)
      assert.ok(
        Math.abs(waitedFor[0]! - told[0]!) < 1,
        `the wait told: ${waitedFor[0]! - told[0]!} ms from the start told`,
      )
      // A quiet spell (the limiter's time set back): a burst of 3 starts at once, then one interval.
      await db.sql`update job_runner.job_runner_rate_limits set tat = now() - interval '100 seconds'`
      assert.equal((await claim(3)).length, 3)
      assert.equal((await claim(3)).length, 0)
    })

    it('rate limit per key: each key starts on its own limiter, jobs without a key share one', async () => {
      await enqueue([...keyed('a', 3), ...keyed('b', 3), ...keyed(null, 2)])
      const INTERVAL_MS = 10_000
      const types: LimitedType[] = [
        { type: 'echo', perKey: null, total: null, intervalMs: INTERVAL_MS, toleranceMs: 0, rateByKey: true },
      ]
      const waitedFor: number[] = []
      const claim = () =>
        store.claimLimitedJobs({
          instanceId: randomUUID(),
          queues,
          limit: 10,
          leaseMs: LEASE_MS,
          types,
          onRateWait: (at) => waitedFor.push(at),
        })
      assert.deepEqual((await claim()).map((j) => j.concurrencyKey ?? '-').sort(), ['-', 'a', 'b'])
      assert.deepEqual(await claim(), [], 'every key is one interval from its next start')
      // Per-key limiters tell no wait: the soonest of many keys' limiters may have no job waiting.
      assert.deepEqual(waitedFor, [])
      const limiters = await store.readRateLimits({ types: ['echo'] })
      assert.deepEqual(limiters.map((l) => `${l.scope}:${l.name}:${l.key}`).sort(), [
        'type:echo:',
        'type:echo:a',
        'type:echo:b',
      ])
    })

    it('queue limits hold every type of the queue: perKey and total, then a rate with its burst', async () => {
      await enqueue(
        [...keyed('a', 3), ...keyed('b', 3), ...keyed('c', 3)].map((j, i) => ({
          ...j,
          type: i % 2 ? 'echo' : 'sleep',
        })),
      )
      const claim = (limitedQueues: LimitedQueue[], types: LimitedType[] = []) =>
        store.claimLimitedJobs({ instanceId: randomUUID(), queues, limit: 10, leaseMs: LEASE_MS, types, limitedQueues })
      const byKey = await claim([{ queue: 'default', perKey: 1, total: 2 }])
      assert.equal(byKey.length, 2, 'total')
      assert.equal(new Set(byKey.map((j) => j.concurrencyKey)).size, 2, 'perKey: two keys')
      assert.deepEqual(await claim([{ queue: 'default', perKey: 1, total: 2 }]), [])
      const rated = [{ queue: 'default', perKey: null, total: null, intervalMs: 10_000, toleranceMs: 10_000 }]
      assert.equal((await claim(rated)).length, 2, 'a burst of two')
      assert.deepEqual(await claim(rated), [])
    })

    it("a start under its type's rate limit and its queue's advances both limiters, in the claim itself", async () => {
      await enqueue(keyed(null, 3))
      const told: number[] = []
      // The type allows one start every 10 s, the queue one every 20 s (and a burst of two).
      const claim = () =>
        store.claimLimitedJobs({
          instanceId: randomUUID(),
          queues,
          limit: 10,
          leaseMs: LEASE_MS,
          types: [{ type: 'echo', perKey: null, total: null, intervalMs: 10_000, toleranceMs: 0 }],
          limitedQueues: [{ queue: 'default', perKey: null, total: null, intervalMs: 20_000, toleranceMs: 20_000 }],
          onNextStart: (at) => told.push(at),
        })
      const [clock] = await db.sql<{ now: number }[]>`select (extract(epoch from now()) * 1000)::float8 as now`
      assert.equal((await claim()).length, 1, "the type's limiter allows one")
      assert.deepEqual(await claim(), [], 'the next is 10 s away')
      const limiters = await store.readRateLimits({ types: ['echo'], queues: ['default'] })
      const ahead = (scope: string) =>
        Math.round((limiters.find((l) => l.scope === scope)!.tatMs - Number(clock!.now)) / 1000)
      assert.deepEqual([ahead('type'), ahead('queue')], [10, 20], 'each moved on by its own interval')
      // Told when both allow the next start: the queue's at once (its burst), the type's in 10 s.
      assert.equal(told.length, 1)
      const toldAhead = Math.round((told[0]! - Number(clock!.now)) / 1000)
      assert.equal(toldAhead, 10, `told ${told[0]! - Number(clock!.now)} ms ahead`)
    })

    it("a job must fit its type's limits and its queue's: a job its type refuses takes no place of the queue", async () => {
      await enqueue([...keyed('a', 3), ...keyed(null, 2).map((j) => ({ ...j, type: 'sleep' }))])
      const claimed = await claimInLimitedQueues(echo(1, null), [{ queue: 'default', perKey: null, total: 2 }])
      assert.deepEqual(
        claimed.map((j) => `${j.type}:${j.concurrencyKey ?? '-'}`),
        ['echo:a', 'sleep:-'],
      )
    })

    it("does not take a job of a key at its type's limit that only its queue's scan read", async () => {
      await enqueue(keyed('a', 2))
      const [held] = await claimLimited(echo(1, null))
      assert.equal(held?.concurrencyKey, 'a')
      // The type's scan skips a, at its limit; the queue's, with no perKey of its own, reads a's second
      // job, which must still fit its type's perKey.
      const claimed = await claimInLimitedQueues(echo(1, null), [{ queue: 'default', perKey: null, total: 10 }])
      assert.deepEqual(claimed, [])
    })

    it("counts a queue's jobs by the claims made under its limits: a type's jobs claimed before them hold no place of the queue", async () => {
      await enqueue(keyed('a', 4))
      const claim = (limitedQueues: LimitedQueue[], types: LimitedType[]) =>
        store.claimLimitedJobs({ instanceId: randomUUID(), queues, limit: 10, leaseMs: LEASE_MS, types, limitedQueues })
      // Only the type is limited: its jobs enter the index of every limited claim, not the queue's.
      const underType = await claim([], echo(2, null))
      assert.equal(underType.length, 2)
      // The queue gets a total of 1: the type's two jobs were not taken under it, so one more fits.
      const underQueue = await claim([{ queue: 'default', perKey: null, total: 1 }], echo(3, null))
      assert.equal(underQueue.length, 1)
      assert.deepEqual(
        await claim([{ queue: 'default', perKey: null, total: 1 }], echo(3, null)),
        [],
        'the queue is full',
      )
      const flags = await db.sql<{ id: string; flag: boolean }[]>`
        select id::text, claimed_under_queue_limit as flag from job_runner.job_runner_jobs where state = 'running' order by id`
      assert.deepEqual(
        flags.map((r) => r.flag),
        [...underType.map(() => false), true],
      )
      // Taken again without the queue's limits (after a release), a job loses its mark.
      const released = underQueue[0]!
      await store.releaseJobs({
        instanceId: (await leaseOwnerOf(released.id))!,
        claims: [{ id: released.id, attempt: released.attempts }],
      })
      const again = await claim([], echo(3, null))
      assert.deepEqual(
        again.map((j) => j.id),
        [underQueue[0]!.id],
      )
      const [row] = await db.sql<{ flag: boolean }[]>`
        select claimed_under_queue_limit as flag from job_runner.job_runner_jobs where id = ${underQueue[0]!.id}`
      assert.equal(row!.flag, false)
    })

    if (target.name === 'postgres') {
      it('never leases more than the limits allow while claims race on many connections', async () => {
        await enqueue([...keyed('a', 60), ...keyed('b', 60), ...keyed('c', 60)])
        const connections = Array.from({ length: 6 }, () =>
          postgres(database.databaseUrl!, { max: 1, onnotice: () => {}, connection: { search_path: 'job_runner' } }),
        )
        const stores = connections.map((sql) => new JobStore(sql, db.schema))
        const limits = echo(2, 5)
        let maxSeen = 0
        try {
          for (let round = 0; round < 15; round++) {
            // Every connection claims at once; then the leased jobs finish, and the next round claims again.
            const claimed = (
              await Promise.all(
                stores.map((s) =>
                  s.claimLimitedJobs({ instanceId: randomUUID(), queues, limit: 4, leaseMs: LEASE_MS, types: limits }),
                ),
              )
            ).flat()
            const [counts] = await db.sql<{ total: number; perKeyMax: number }[]>`
              select coalesce(sum(n), 0)::int as total, coalesce(max(n), 0)::int as "perKeyMax" from (
                select count(*) as n from job_runner.job_runner_jobs where state = 'running' group by concurrency_key) k`
            const { total, perKeyMax } = counts!
            assert.ok(total <= 5, `round ${round}: ${total} running, total is 5`)
            assert.ok(perKeyMax <= 2, `round ${round}: ${perKeyMax} of one key running, perKey is 2`)
            maxSeen = Math.max(maxSeen, total)
            await db.sql`
              update job_runner.job_runner_jobs set state = 'succeeded', finished_at = now(), lease_owner = null, lease_expires_at = null
              where id = any(array(select jsonb_array_elements_text(${db.sql.json(claimed.map((j) => j.id))})::bigint))`
          }
        } finally {
          await Promise.all(connections.map((sql) => sql.end({ timeout: 1 })))
        }
        assert.equal(maxSeen, 5, 'the claims reached the total')
      })
    }

    async function leaseOwnerOf(id: string): Promise<string | null> {
      const [row] = await db.sql<
        { lease_owner: string | null }[]
      >`select lease_owner from job_runner.job_runner_jobs where id = ${id}`
      return row?.lease_owner ?? null
    }
  })
}
