/**
 * The job store against each database: enqueue and idempotency, claim order and filters, SKIP
 * LOCKED, every outcome write and its lease fence, lease renewal and lost-lease recovery.
 */
import { describe, it, beforeEach } from 'node:test'
import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import postgres from 'postgres'
import { suiteDatabase } from '../support/suiteDatabase.js'
import { databaseTargets, type TestDatabase } from '../support/databases.js'
import { newJob } from '../support/engine.js'
import { KEPT_TABLES } from '../../src/runner/statisticsKeeper.js'
import { connectDatabase } from '../../src/db/connect.js'
import type { Database } from '../../src/db/database.js'
import { IdempotencyConflictError, JobStore } from '../../src/queue/store.js'

const LEASE_MS = 60_000
const queues = ['default']

for (const target of databaseTargets()) {
  describe(`job store on ${target.name}`, { timeout: 60_000 }, () => {
    let database: TestDatabase
    let db: Database
    let store: JobStore

    // One database per suite (a PGlite takes a second or two to open); every test starts empty.
    suiteDatabase(target, (opened, connected) => {
      database = opened
      db = connected
      store = new JobStore(db.sql, db.schema)
    })

    beforeEach(async () => {
      await db.sql`truncate job_runner.job_runner_jobs, job_runner.job_runner_owner_jobs, job_runner.job_runner_instances restart identity`
    })

    async function countJobs(): Promise<number> {
      const [row] = await db.sql<{ n: number }[]>`select count(*)::int as n from job_runner.job_runner_jobs`
      return row!.n
    }

    /** Makes time pass for leases: every running job's lease is now in the past. */
    async function expireLeases(): Promise<void> {
      await db.sql`update job_runner.job_runner_jobs set lease_expires_at = now() - interval '1 second' where state = 'running'`
    }

    async function claimOne(instanceId = randomUUID()) {
      const [job] = await store.claimJobs({ instanceId, queues, limit: 1, leaseMs: LEASE_MS })
      assert.ok(job, 'a job was claimed')
      return job
    }

    /** Claims one job, as the runner does before running it (the claim counts the attempt). */
    const startOne = claimOne

    describe('enqueue', () => {
      it('stores many jobs in the order given, with their fields', async () => {
        const given = [
          newJob({ type: 'echo', payload: { n: 0 }, priority: 5 }),
          newJob({ type: 'sleep', payload: { ms: 1 }, queue: 'other', maxAttempts: 7, timeoutSeconds: 2.5 }),
          newJob({ type: 'echo', payload: { n: 2 }, priority: -1 }),
          newJob({ type: 'count', payload: { to: 1, stepMs: 0 } }),
        ]
        const enqueued = await store.enqueueJobs({ owner: 'alice', jobs: given })
        assert.equal(enqueued.length, 4)
        assert.deepEqual(
          enqueued.map((e) => e.job.payload),
          given.map((g) => g.payload),
        )
        assert.deepEqual(
          enqueued.map((e) => e.job.type),
          ['echo', 'sleep', 'echo', 'count'],
        )
        assert.ok(
          enqueued.every(
            (e) => !e.replayed && e.job.state === 'queued' && e.job.owner === 'alice' && e.job.attempts === 0,
          ),
        )
        const ids = enqueued.map((e) => BigInt(e.job.id))
        assert.deepEqual(
          [...ids].sort((a, b) => (a < b ? -1 : 1)),
          ids,
          'ids follow the order given',
        )
        const sleepJob = enqueued[1]!.job
        assert.equal(sleepJob.queue, 'other')
        assert.equal(sleepJob.maxAttempts, 7)
        assert.equal(sleepJob.timeoutSeconds, 2.5)
        assert.equal(enqueued[0]!.job.priority, 5)
        assert.deepEqual(await store.getJob({ id: sleepJob.id, owner: 'alice' }), sleepJob)
        assert.equal(await store.getJob({ id: sleepJob.id, owner: 'bob' }), undefined, 'another owner does not see it')
        assert.deepEqual(await store.getJob({ id: sleepJob.id, owner: undefined }), sleepJob, 'an admin does')
      })

      it('stores all of a batch or none of it', async () => {
        await assert.rejects(
          store.enqueueJobs({ owner: 'alice', jobs: [newJob(), newJob({ maxAttempts: 0 }), newJob()] }),
          /max_attempts|check/,
        )
        assert.equal(await countJobs(), 0)
      })

      it('replays a job when the idempotency key and the request match', async () => {
        const job = newJob({ idempotencyKey: 'k1', requestHash: 'h1', payload: { a: 1 } })
        const [first] = await store.enqueueJobs({ owner: 'alice', jobs: [job] })
        const [again] = await store.enqueueJobs({ owner: 'alice', jobs: [job] })
        assert.equal(first!.replayed, false)
        assert.equal(again!.replayed, true)
        assert.equal(again!.job.id, first!.job.id)
        assert.equal(await countJobs(), 1)
      })

      it('refuses the same key with another request, and stores nothing of that batch', async () => {
        await store.enqueueJobs({ owner: 'alice', jobs: [newJob({ idempotencyKey: 'k1', requestHash: 'h1' })] })
        await assert.rejects(
          store.enqueueJobs({
            owner: 'alice',
            jobs: [
              newJob({ idempotencyKey: 'k2', requestHash: 'h2' }),
              newJob({ idempotencyKey: 'k1', requestHash: 'other' }),
            ],
          }),
          (error: unknown) => error instanceof IdempotencyConflictError && error.idempotencyKey === 'k1',
        )
        assert.equal(await countJobs(), 1, 'the fresh k2 job of the refused batch is not stored')
      })

      it('keeps idempotency keys per owner', async () => {
        const [alice] = await store.enqueueJobs({
          owner: 'alice',
          jobs: [newJob({ idempotencyKey: 'same', requestHash: 'h-alice' })],
        })
        const [bob] = await store.enqueueJobs({
          owner: 'bob',
          jobs: [newJob({ idempotencyKey: 'same', requestHash: 'h-bob' })],
        })
        assert.equal(bob!.replayed, false)
        assert.notEqual(bob!.job.id, alice!.job.id)
        assert.equal(bob!.job.owner, 'bob')
        assert.equal(await countJobs(), 2)
      })

      it('treats a key repeated inside one batch as a replay of its first use', async () => {
        const job = newJob({ idempotencyKey: 'dup', requestHash: 'h' })
        const enqueued = await store.enqueueJobs({ owner: 'alice', jobs: [job, newJob(), job] })
        assert.deepEqual(
          enqueued.map((e) => e.replayed),
          [false, false, true],
        )
        assert.equal(enqueued[2]!.job.id, enqueued[0]!.job.id)
        assert.equal(await countJobs(), 2)
      })
    })

    describe('claim', () => {
      it('takes jobs by priority, then run_at, then id', async () => {
        const past = (seconds: number) => new Date(Date.now() - seconds * 1000)
        const enqueued = await store.enqueueJobs({
          owner: 'alice',
          jobs: [
            newJob({ payload: 'p1-late', priority: 1, runAt: past(10) }),
            newJob({ payload: 'p0-late', priority: 0, runAt: past(10) }),
            newJob({ payload: 'p0-early', priority: 0, runAt: past(20) }),
            newJob({ payload: 'p0-late-second', priority: 0, runAt: past(10) }),
            newJob({ payload: 'p-neg', priority: -5, runAt: past(1) }),
          ],
        })
        assert.equal(enqueued.length, 5)
        const order: unknown[] = []
        for (let i = 0; i < 5; i++) order.push((await claimOne()).payload)
        assert.deepEqual(order, ['p-neg', 'p0-early', 'p0-late', 'p0-late-second', 'p1-late'])
        assert.deepEqual(await store.claimJobs({ instanceId: randomUUID(), queues, limit: 5, leaseMs: LEASE_MS }), [])
      })

      it('marks what it claims as running under the instance lease, its attempt counted', async () => {
        const job = (await store.enqueueJobs({ owner: 'alice', jobs: [newJob()] }))[0]!.job
        const instanceId = randomUUID()
        const claimed = await store.claimJobs({ instanceId, queues, limit: 10, leaseMs: LEASE_MS })
        assert.equal(claimed.length, 1)
        assert.equal(claimed[0]!.id, job.id)
        assert.equal(claimed[0]!.state, 'running')
        assert.equal(claimed[0]!.attempts, 1, 'the claim counts the attempt')
        assert.ok(claimed[0]!.startedAt)
        const started = (await store.getJob({ id: job.id, owner: 'alice' }))!
        assert.equal(started.startedAt, claimed[0]!.startedAt)
        assert.equal(started.attempts, 1)
        const [row] = await db.sql<{ lease_owner: string; lease_ms: number }[]>`
          select lease_owner, extract(epoch from lease_expires_at - now()) * 1000 as lease_ms from job_runner.job_runner_jobs where id = ${job.id}`
        assert.equal(row!.lease_owner, instanceId)
        assert.ok(
          row!.lease_ms > 0 && row!.lease_ms <= LEASE_MS,
          `lease ends within ${LEASE_MS} ms (got ${row!.lease_ms})`,
        )
      })

      it('skips the wait for its WAL flush in its own transaction only, not in the next one on its connection', async () => {
        await store.enqueueJobs({ owner: 'alice', jobs: [newJob()] })
        // The claim and the check after it on one connection (PGlite has only one).
        const reserved = database.databaseUrl ? await db.sql.reserve() : undefined
        const connection = reserved ?? db.sql
        try {
          assert.equal(
            (
              await new JobStore(connection, db.schema).claimJobs({
                instanceId: randomUUID(),
                queues,
                limit: 1,
                leaseMs: LEASE_MS,
              })
            ).length,
            1,
          )
          const [setting] = await connection<{ synchronous_commit: string }[]>`show synchronous_commit`
          assert.equal(
            setting!.synchronous_commit,
            'on',
            'the next transaction on the connection waits for its flush again',
          )
        } finally {
          reserved?.release()
        }
      })

      it('takes only the queues asked for and only jobs whose run_at has come', async () => {
        await store.enqueueJobs({
          owner: 'alice',
          jobs: [
            newJob({ payload: 'other queue', queue: 'other' }),
            newJob({ payload: 'future', runAt: new Date(Date.now() + 3_600_000) }),
            newJob({ payload: 'now' }),
          ],
        })
        const claimed = await store.claimJobs({ instanceId: randomUUID(), queues, limit: 10, leaseMs: LEASE_MS })
        assert.deepEqual(
          claimed.map((j) => j.payload),
          ['now'],
        )
        const other = await store.claimJobs({
          instanceId: randomUUID(),
          queues: ['other', 'third'],
          limit: 10,
          leaseMs: LEASE_MS,
        })
        assert.deepEqual(
          other.map((j) => j.payload),
          ['other queue'],
        )
        assert.deepEqual(
          await store.claimJobs({
            instanceId: randomUUID(),
            queues: ['default', 'other'],
            limit: 10,
            leaseMs: LEASE_MS,
          }),
          [],
        )
      })

      it('never hands one job to two concurrent claims', async () => {
        await store.enqueueJobs({ owner: 'alice', jobs: Array.from({ length: 60 }, (_, n) => newJob({ payload: n })) })
        // On PostgreSQL a second pool makes the claims truly concurrent; PGlite has one connection.
        const secondDb = database.databaseUrl
          ? await connectDatabase({ databaseUrl: database.databaseUrl, dataDir: database.dataDir })
          : undefined
        const second = secondDb ? new JobStore(secondDb.sql, secondDb.schema) : store
        try {
          const claims = await Promise.all(
            Array.from({ length: 8 }, (_, n) =>
              (n % 2 ? second : store).claimJobs({ instanceId: randomUUID(), queues, limit: 10, leaseMs: LEASE_MS }),
            ),
          )
          const ids = claims.flat().map((j) => j.id)
          assert.equal(new Set(ids).size, ids.length, 'no job claimed twice')
          assert.equal(ids.length, 60, 'every job claimed once')
        } finally {
          await secondDb?.close({ timeoutSeconds: 1 })
        }
      })

      if (target.name === 'postgres') {
        it('skips a row another transaction holds instead of waiting for it', async () => {
          const enqueued = await store.enqueueJobs({
            owner: 'alice',
            jobs: [newJob({ payload: 'held' }), newJob({ payload: 'free' })],
          })
          const heldId = enqueued[0]!.job.id
          const other = postgres(database.databaseUrl!, {
            max: 1,
            onnotice: () => {},
            connection: { search_path: 'job_runner' },
          })
          try {
            let release!: () => void
            const released = new Promise<void>((resolve) => (release = resolve))
            let locked!: () => void
            const isLocked = new Promise<void>((resolve) => (locked = resolve))
            const holder = other.begin(async (sql) => {
              await sql`select id from job_runner.job_runner_jobs where id = ${heldId} for update`
              locked()
              await released
            })
            await isLocked
            try {
              const claimed = await store.claimJobs({ instanceId: randomUUID(), queues, limit: 10, leaseMs: LEASE_MS })
              assert.deepEqual(
                claimed.map((j) => j.payload),
                ['free'],
              )
            } finally {
              release()
              await holder
            }
            assert.deepEqual(
              (await store.claimJobs({ instanceId: randomUUID(), queues, limit: 10, leaseMs: LEASE_MS })).map(
                (j) => j.payload,
              ),
              ['held'],
            )
          } finally {
            await other.end()
          }
        })
      }
    })

    describe('outcomes and the lease fence', () => {
      it('completes a running job with its result, checkpoint and progress', async () => {
        await store.enqueueJobs({ owner: 'alice', jobs: [newJob()] })
        const owner = randomUUID()
        const job = await claimOne(owner)
        const snapshot = {
          id: job.id,
          attempt: job.attempts,
          checkpoint: { cursor: 3 },
          progress: { fraction: 1 },
          result: { ok: true },
        }
        assert.deepEqual(
          await store.completeJobs({ instanceId: randomUUID(), completions: [snapshot] }),
          [],
          'not the lease owner',
        )
        assert.equal((await store.getJob({ id: job.id, owner: undefined }))!.state, 'running')
        assert.deepEqual(await store.completeJobs({ instanceId: owner, completions: [snapshot] }), [job.id])
        const done = (await store.getJob({ id: job.id, owner: undefined }))!
        assert.equal(done.state, 'succeeded')
        assert.deepEqual(done.result, { ok: true })
        assert.deepEqual(done.checkpoint, { cursor: 3 })
        assert.deepEqual(done.progress, { fraction: 1 })
        assert.ok(done.finishedAt)
        assert.deepEqual(
          await store.completeJobs({ instanceId: owner, completions: [snapshot] }),
          [],
          'a finished job is not written again',
        )
      })

      it('tells onDeliveriesQueued of an outcome that put deliveries in the outbox, and of no other', async () => {
        let told = 0
        const watched = new JobStore(db.sql, db.schema, false, { onDeliveriesQueued: () => (told += 1) })
        const callback = { url: 'https://receiver.example/hook' }
        await watched.enqueueJobs({ owner: 'alice', jobs: [newJob(), newJob({ callback }), newJob(), newJob()] })
        const instanceId = randomUUID()
        const [plain, called, failing, cancelled] = await watched.claimJobs({
          instanceId,
          queues,
          limit: 4,
          leaseMs: LEASE_MS,
        })
        assert.ok(plain && called && failing && cancelled)

        assert.deepEqual(
          await watched.completeJobs({
            instanceId,
            completions: [{ id: plain.id, attempt: plain.attempts, checkpoint: null, progress: null, result: null }],
          }),
          [plain.id],
        )
        assert.equal(told, 0, 'no callback and no subscription: nothing to deliver')
        assert.deepEqual(
          await watched.completeJobs({
            instanceId,
            completions: [{ id: called.id, attempt: called.attempts, checkpoint: null, progress: null, result: null }],
          }),
          [called.id],
        )
        assert.equal(told, 1, "the job's own callback queued a delivery")

        await db.sql`insert into job_runner.job_runner_webhooks (owner, url, secret) values ('alice', 'https://receiver.example/sub', 'whsec_x')`
        try {
          const failure = {
            id: failing.id,
            attempt: failing.attempts,
            checkpoint: null,
            progress: null,
            error: 'boom',
            retryDelayMs: 0,
            giveUp: true,
          }
          assert.deepEqual(
            await watched.failJobs({
              instanceId,
              failures: [{ ...failure, entry: { message: 'boom', name: 'Error' } }],
            }),
            [{ id: failing.id, state: 'failed' }],
          )
          assert.equal(told, 2, "the owner's subscription queued a delivery for the failure")
          await db.sql.begin(async (tx) => {
            await JobStore.within(tx, db.schema).markJobsCancelled({
              instanceId,
              jobs: [
                { id: cancelled.id, attempt: cancelled.attempts, checkpoint: null, progress: null, started: true },
              ],
            })
          })
          assert.equal(told, 2, 'a store within a transaction tells nothing (the worker polls)')
          const [delivered] = await db.sql<
            { n: number }[]
          >`select count(*)::int as n from job_runner.job_runner_webhook_deliveries`
          assert.equal(delivered!.n, 3)
        } finally {
          await db.sql`truncate job_runner.job_runner_webhooks, job_runner.job_runner_webhook_deliveries`
        }
      })

      it('retries a failed attempt after its delay, then fails it when no attempt is left', async () => {
        await store.enqueueJobs({ owner: 'alice', jobs: [newJob({ maxAttempts: 2 })] })
        const first = randomUUID()
        const job = await startOne(first)
        const failure = {
          id: job.id,
          attempt: job.attempts,
          checkpoint: { step: 1 },
          progress: null,
          error: 'boom',
          retryDelayMs: 60_000,
          giveUp: false,
          entry: { message: 'boom', name: 'Error' },
        }
        assert.deepEqual(
          await store.failJobs({ instanceId: randomUUID(), failures: [failure] }),
          [],
          'not the lease owner',
        )
        assert.deepEqual(await store.failJobs({ instanceId: first, failures: [failure] }), [
          { id: job.id, state: 'queued' },
        ])
        const [retry] = await db.sql<
          {
            state: string
            attempts: number
            error: string
            delay_ms: number
            lease_owner: string | null
            checkpoint: unknown
          }[]
        >`
          select state, attempts, error, lease_owner, checkpoint, extract(epoch from run_at - updated_at) * 1000 as delay_ms
          from job_runner.job_runner_jobs where id = ${job.id}`
        assert.equal(retry!.state, 'queued')
        assert.equal(retry!.attempts, 1)
        assert.equal(retry!.error, 'boom')
        assert.equal(retry!.lease_owner, null)
        assert.deepEqual(retry!.checkpoint, { step: 1 })
        assert.ok(Math.abs(retry!.delay_ms - 60_000) < 1, `run_at is the retry delay ahead (got ${retry!.delay_ms} ms)`)
        assert.deepEqual(
          await store.claimJobs({ instanceId: randomUUID(), queues, limit: 1, leaseMs: LEASE_MS }),
          [],
          'not before its run_at',
        )

        await db.sql`update job_runner.job_runner_jobs set run_at = now() where id = ${job.id}`
        const second = randomUUID()
        const again = await startOne(second)
        assert.equal(again.attempts, 2)
        assert.deepEqual(again.checkpoint, { step: 1 }, 'the retry sees the checkpoint of the failed attempt')
        assert.deepEqual(
          await store.failJobs({
            instanceId: second,
            failures: [{ ...failure, attempt: again.attempts, error: 'boom again' }],
          }),
          [{ id: job.id, state: 'failed' }],
        )
        const failed = (await store.getJob({ id: job.id, owner: 'alice' }))!
        assert.equal(failed.state, 'failed')
        assert.equal(failed.error, 'boom again')
        assert.ok(failed.finishedAt)
        assert.deepEqual(
          failed.errors.map((e) => [e.attempt, e.message, e.name]),
          [
            [1, 'boom', 'Error'],
            [2, 'boom', 'Error'],
          ],
        )
        assert.ok(failed.errors.every((e) => !Number.isNaN(Date.parse(e.at))))
      })

      it('fails a job at once when its retry policy gives up, with attempts left', async () => {
        await store.enqueueJobs({ owner: 'alice', jobs: [newJob({ maxAttempts: 5 })] })
        const instanceId = randomUUID()
        const job = await startOne(instanceId)
        const failure = {
          id: job.id,
          attempt: job.attempts,
          checkpoint: null,
          progress: null,
          error: 'bad input',
          retryDelayMs: 0,
          giveUp: true,
          entry: { message: 'bad input', name: 'PermanentError', stack: 'PermanentError: bad input\n    at x' },
        }
        assert.deepEqual(await store.failJobs({ instanceId, failures: [failure] }), [{ id: job.id, state: 'failed' }])
        const failed = (await store.getJob({ id: job.id, owner: 'alice' }))!
        assert.equal(failed.attempts, 1)
        assert.deepEqual(
          failed.errors.map(({ at: _at, ...e }) => e),
          [{ attempt: 1, message: 'bad input', name: 'PermanentError', stack: 'PermanentError: bad input\n    at x' }],
        )
      })

      it('keeps the last 20 errors, oldest dropped, and appends those of abandon and lost leases', async () => {
        await store.enqueueJobs({ owner: 'alice', jobs: [newJob({ maxAttempts: 100 })] })
        let id = ''
        for (let n = 1; n <= 22; n++) {
          const instanceId = randomUUID()
          const job = await startOne(instanceId)
          id = job.id
          const entry = { message: `failure ${n}`, name: 'Error' }
          await store.failJobs({
            instanceId,
            failures: [
              {
                id,
                attempt: job.attempts,
                checkpoint: null,
                progress: null,
                error: entry.message,
                retryDelayMs: 0,
                giveUp: false,
                entry,
              },
            ],
          })
        }
        let job = (await store.getJob({ id, owner: undefined }))!
        assert.equal(job.errors.length, 20)
        assert.equal(job.errors[0]!.message, 'failure 3')
        assert.equal(job.errors.at(-1)!.message, 'failure 22')
        assert.equal(job.errors.at(-1)!.attempt, 22)

        const abandoning = randomUUID()
        const abandoned = await startOne(abandoning)
        await store.abandonJobs({
          instanceId: abandoning,
          jobs: [{ id, attempt: abandoned.attempts, checkpoint: null, progress: null }],
        })
        await startOne()
        await expireLeases()
        await store.recoverExpiredLeases()
        job = (await store.getJob({ id, owner: undefined }))!
        assert.equal(job.errors.length, 20)
        assert.deepEqual(
          job.errors.slice(-2).map((e) => [e.attempt, e.name]),
          [
            [23, 'Abandoned'],
            [24, 'LeaseExpired'],
          ],
        )
        assert.match(job.error!, /runner lost/)
      })

      it('requeues an interrupted job with its checkpoint, counting the interruption and giving the attempt back', async () => {
        await store.enqueueJobs({ owner: 'alice', jobs: [newJob()] })
        const owner = randomUUID()
        const job = await startOne(owner)
        const snapshot = {
          id: job.id,
          attempt: job.attempts,
          checkpoint: { cursor: 7 },
          progress: { fraction: 0.5, message: 'half' },
        }
        assert.deepEqual(
          await store.requeueInterruptedJobs({ instanceId: randomUUID(), jobs: [snapshot] }),
          [],
          'not the lease owner',
        )
        assert.deepEqual(await store.requeueInterruptedJobs({ instanceId: owner, jobs: [snapshot] }), [
          { id: job.id, state: 'queued' },
        ])
        const queued = (await store.getJob({ id: job.id, owner: 'alice' }))!
        assert.equal(queued.state, 'queued')
        assert.equal(queued.attempts, 0)
        assert.equal(queued.interruptions, 1)
        assert.deepEqual(queued.checkpoint, { cursor: 7 })
        assert.deepEqual(queued.progress, { fraction: 0.5, message: 'half' })
        const resumed = await claimOne()
        assert.equal(resumed.id, job.id, 'runnable again at once')
        assert.deepEqual(resumed.checkpoint, { cursor: 7 })
      })

      it('writes checkpoints of running jobs for their lease owner only', async () => {
        await store.enqueueJobs({ owner: 'alice', jobs: [newJob()] })
        const owner = randomUUID()
        const job = await claimOne(owner)
        assert.deepEqual(
          await store.writeCheckpoints({
            instanceId: randomUUID(),
            jobs: [{ id: job.id, attempt: job.attempts, checkpoint: { x: 'stranger' }, progress: null }],
          }),
          [],
        )
        assert.deepEqual(
          await store.writeCheckpoints({
            instanceId: owner,
            jobs: [{ id: job.id, attempt: job.attempts, checkpoint: { x: 1 }, progress: { fraction: 0.25 } }],
          }),
          [job.id],
        )
        const running = (await store.getJob({ id: job.id, owner: 'alice' }))!
        assert.equal(running.state, 'running')
        assert.deepEqual(running.checkpoint, { x: 1 })
        assert.deepEqual(running.progress, { fraction: 0.25 })
      })

      it('cancels a queued job at once', async () => {
        const job = (await store.enqueueJobs({ owner: 'alice', jobs: [newJob()] }))[0]!.job
        assert.deepEqual(
          await store.requestCancel({ id: job.id, owner: 'bob' }),
          { kind: 'not-found' },
          'not by another owner',
        )
        const outcome = await store.requestCancel({ id: job.id, owner: 'alice' })
        assert.equal(outcome.kind, 'cancelled')
        assert.ok(outcome.kind === 'cancelled' && outcome.job.state === 'cancelled' && outcome.job.finishedAt)
        assert.equal((await store.requestCancel({ id: job.id, owner: 'alice' })).kind, 'already-cancelled')
        assert.deepEqual(await store.claimJobs({ instanceId: randomUUID(), queues, limit: 1, leaseMs: LEASE_MS }), [])
        assert.deepEqual(await store.requestCancel({ id: 'nope', owner: undefined }), { kind: 'not-found' })
        assert.deepEqual(await store.requestCancel({ id: '999999', owner: undefined }), { kind: 'not-found' })
      })

      it('flags a running job for cancel; its runner marks it cancelled, nobody else can', async () => {
        await store.enqueueJobs({ owner: 'alice', jobs: [newJob()] })
        const owner = randomUUID()
        const job = await startOne(owner)
        const outcome = await store.requestCancel({ id: job.id, owner: undefined })
        assert.equal(outcome.kind, 'requested')
        assert.ok(outcome.kind === 'requested' && outcome.job.state === 'running' && outcome.job.cancelRequested)
        assert.deepEqual((await store.renewLeases({ instanceId: owner, leaseMs: LEASE_MS, ids: [job.id] })).renewed, [
          { id: job.id, cancelRequested: true, pauseRequested: false },
        ])
        const snapshot = { id: job.id, attempt: job.attempts, checkpoint: { c: 1 }, progress: null, started: true }
        assert.deepEqual(await store.markJobsCancelled({ instanceId: randomUUID(), jobs: [snapshot] }), [])
        assert.deepEqual(await store.markJobsCancelled({ instanceId: owner, jobs: [snapshot] }), [job.id])
        const cancelled = (await store.getJob({ id: job.id, owner: 'alice' }))!
        assert.equal(cancelled.state, 'cancelled')
        assert.deepEqual(cancelled.checkpoint, { c: 1 })
        assert.ok(cancelled.finishedAt)
        assert.ok(cancelled.startedAt, 'a job that ran has a start')
        assert.equal(cancelled.attempts, 1)
      })

      it('cancels a claimed job that never started, giving its attempt back', async () => {
        const owner = randomUUID()
        await store.enqueueJobs({ owner: 'alice', jobs: [newJob()] })
        const job = await claimOne(owner)
        assert.equal((await store.requestCancel({ id: job.id, owner: 'alice' })).kind, 'requested')
        assert.deepEqual(
          await store.markJobsCancelled({
            instanceId: owner,
            jobs: [{ id: job.id, attempt: job.attempts, checkpoint: null, progress: null, started: false }],
          }),
          [job.id],
        )
        const cancelled = (await store.getJob({ id: job.id, owner: 'alice' }))!
        assert.equal(cancelled.state, 'cancelled')
        assert.equal(cancelled.attempts, 0)
        assert.equal(cancelled.startedAt, null)
      })

      it('leaves finished jobs alone on cancel', async () => {
        await store.enqueueJobs({ owner: 'alice', jobs: [newJob()] })
        const owner = randomUUID()
        const job = await claimOne(owner)
        await store.completeJobs({
          instanceId: owner,
          completions: [{ id: job.id, attempt: job.attempts, checkpoint: null, progress: null, result: 1 }],
        })
        const outcome = await store.requestCancel({ id: job.id, owner: 'alice' })
        assert.equal(outcome.kind, 'finished')
        assert.equal((await store.getJob({ id: job.id, owner: 'alice' }))!.state, 'succeeded')
      })

      it('writes many outcomes in one call, each fenced by its own lease', async () => {
        await store.enqueueJobs({ owner: 'alice', jobs: [newJob(), newJob(), newJob()] })
        const owner = randomUUID()
        const mine = await store.claimJobs({ instanceId: owner, queues, limit: 2, leaseMs: LEASE_MS })
        const theirs = await claimOne()
        const completions = [...mine, theirs].map((j) => ({
          id: j.id,
          attempt: j.attempts,
          checkpoint: null,
          progress: null,
          result: j.id,
        }))
        const written = await store.completeJobs({ instanceId: owner, completions })
        assert.deepEqual([...written].sort(), mine.map((j) => j.id).sort())
        assert.equal((await store.getJob({ id: theirs.id, owner: undefined }))!.state, 'running')
      })
    })

    it('an interruption past maxInterruptions fails the job and enters the error history', async () => {
      await store.enqueueJobs({ owner: 'alice', jobs: [newJob({ maxInterruptions: 0 })] })
      const instanceId = randomUUID()
      const job = await startOne(instanceId)
      assert.deepEqual(
        await store.requeueInterruptedJobs({
          instanceId,
          jobs: [{ id: job.id, attempt: job.attempts, checkpoint: null, progress: null }],
        }),
        [{ id: job.id, state: 'failed' }],
      )
      const failed = (await store.getJob({ id: job.id, owner: 'alice' }))!
      assert.deepEqual(
        failed.errors.map((e) => [e.attempt, e.name, e.message]),
        [[1, 'InterruptedTooOften', failed.error]],
      )
    })

    describe('retry and replay', () => {
      async function failedJob(owner = 'alice', maxAttempts = 1) {
        await store.enqueueJobs({
          owner,
          jobs: [newJob({ type: 'flaky', payload: { failTimes: 9 }, maxAttempts, priority: 3 })],
        })
        const instanceId = randomUUID()
        const job = await startOne(instanceId)
        const entry = { message: 'boom', name: 'Error' }
        const failure = {
          id: job.id,
          attempt: job.attempts,
          checkpoint: { failed: 1 },
          progress: { fraction: 0.5 },
          error: 'boom',
          retryDelayMs: 0,
          giveUp: true,
          entry,
        }
        assert.deepEqual(await store.failJobs({ instanceId, failures: [failure] }), [{ id: job.id, state: 'failed' }])
        return job.id
      }

      it('the retry row: a failed job goes back to queued from its checkpoint, attempts reset, retries counted', async () => {
        const id = await failedJob()
        const outcome = await store.retryJob({ id, owner: 'alice', from: 'checkpoint', runAt: null })
        assert.equal(outcome.kind, 'retried')
        const job = (await store.getJob({ id, owner: 'alice' }))!
        assert.equal(job.state, 'queued')
        assert.equal(job.attempts, 0)
        assert.equal(job.retries, 1)
        assert.equal(job.finishedAt, null)
        assert.deepEqual(job.checkpoint, { failed: 1 })
        assert.deepEqual(job.progress, { fraction: 0.5 })
        assert.equal(job.errors.length, 1, 'the error history stays')
        const claimed = await startOne()
        assert.equal(claimed.id, id)
        assert.equal(claimed.attempts, 1)
        assert.equal(claimed.retries, 1)
      })

      it('retries from the start (checkpoint and progress cleared) at a later runAt, and a cancelled job too', async () => {
        const id = await failedJob()
        const runAt = new Date(Date.now() + 3_600_000)
        assert.equal((await store.retryJob({ id, owner: 'alice', from: 'start', runAt })).kind, 'retried')
        const job = (await store.getJob({ id, owner: 'alice' }))!
        assert.equal(job.checkpoint, null)
        assert.equal(job.progress, null)
        assert.equal(job.runAt, runAt.toISOString())
        assert.deepEqual(
          await store.claimJobs({ instanceId: randomUUID(), queues, limit: 1, leaseMs: LEASE_MS }),
          [],
          'not before its runAt',
        )

        assert.equal((await store.requestCancel({ id, owner: 'alice' })).kind, 'cancelled')
        const again = await store.retryJob({ id, owner: 'alice', from: 'checkpoint', runAt: null })
        assert.equal(again.kind, 'retried')
        if (again.kind === 'retried') {
          assert.equal(
            again.job.cancelRequested,
            false,
            'the cancel flag is cleared, or the job would be cancelled again',
          )
          assert.equal(again.job.retries, 2)
        }
      })

      it("refuses other states, and does not find another owner's job", async () => {
        const id = await failedJob()
        assert.deepEqual(await store.retryJob({ id, owner: 'bob', from: 'checkpoint', runAt: null }), {
          kind: 'not-found',
        })
        assert.deepEqual(await store.retryJob({ id: 'x', owner: 'alice', from: 'checkpoint', runAt: null }), {
          kind: 'not-found',
        })
        assert.equal(
          (await store.retryJob({ id, owner: undefined, from: 'checkpoint', runAt: null })).kind,
          'retried',
          'an admin may',
        )
        const outcome = await store.retryJob({ id, owner: 'alice', from: 'checkpoint', runAt: null })
        assert.equal(outcome.kind, 'not-retryable')
        if (outcome.kind === 'not-retryable') assert.equal(outcome.job.state, 'queued')
        assert.equal((await store.getJob({ id, owner: 'alice' }))!.retries, 1)
      })

      it('a replay copies type and options under a new id, with overrides and replayOf', async () => {
        const id = await failedJob('alice', 4)
        assert.equal(await store.replayJob({ id, owner: 'bob', runAt: null }), undefined)
        const copy = (await store.replayJob({ id, owner: 'alice', runAt: null }))!
        assert.notEqual(copy.id, id)
        assert.deepEqual(
          [
            copy.type,
            copy.payload,
            copy.priority,
            copy.maxAttempts,
            copy.state,
            copy.attempts,
            copy.replayOf,
            copy.owner,
          ],
          ['flaky', { failTimes: 9 }, 3, 4, 'queued', 0, id, 'alice'],
        )
        const changed = (await store.replayJob({
          id,
          owner: 'alice',
          payload: { failTimes: 0 },
          queue: 'other',
          priority: -1,
          runAt: null,
        }))!
        assert.deepEqual([changed.payload, changed.queue, changed.priority], [{ failTimes: 0 }, 'other', -1])
        assert.equal((await store.listJobs({ owner: 'alice', limit: 10 })).length, 3, 'listed under its owner')
      })
    })

    describe('listing and pruning', () => {
      async function complete(instanceId: string, limit: number) {
        const claimed = await store.claimJobs({ instanceId, queues, limit, leaseMs: LEASE_MS })
        await store.completeJobs({
          instanceId,
          completions: claimed.map((j) => ({
            id: j.id,
            attempt: j.attempts,
            result: null,
            checkpoint: null,
            progress: null,
          })),
        })
        return claimed
      }

      async function ownerListings(): Promise<{ owner: string; job_id: string }[]> {
        return db.sql<
          { owner: string; job_id: string }[]
        >`select owner, job_id::text from job_runner.job_runner_owner_jobs order by job_runner.job_runner_owner_jobs.job_id`
      }

      it("lists an owner's jobs newest first in pages, whatever their state, and no one else's", async () => {
        const alices = [] as string[]
        for (let i = 0; i < 5; i++) {
          const [mine] = await store.enqueueJobs({ owner: 'alice', jobs: [newJob({ payload: { i } })] })
          alices.push(mine!.job.id)
          await store.enqueueJobs({ owner: 'bob', jobs: [newJob()] })
        }
        // Keyed enqueues are listed too, and a replay adds no second listing.
        const keyed = newJob({ idempotencyKey: 'k1', requestHash: 'h' })
        const [first] = await store.enqueueJobs({ owner: 'alice', jobs: [keyed] })
        const [replay] = await store.enqueueJobs({ owner: 'alice', jobs: [keyed] })
        assert.equal(replay!.replayed, true)
        alices.push(first!.job.id)
        const owner = randomUUID()
        await complete(owner, 3) // alice's first two and bob's first: the list shows every state
        const newestFirst = [...alices].reverse()
        const page1 = await store.listJobs({ owner: 'alice', limit: 4 })
        assert.deepEqual(
          page1.map((j) => j.id),
          newestFirst.slice(0, 4),
        )
        const page2 = await store.listJobs({ owner: 'alice', limit: 4, beforeId: page1.at(-1)!.id })
        assert.deepEqual(
          page2.map((j) => j.id),
          newestFirst.slice(4),
        )
        assert.ok(page2.every((j) => j.owner === 'alice' && j.state === 'succeeded'))
        assert.deepEqual(
          (await store.listJobs({ owner: 'alice', state: 'succeeded', limit: 10 })).map((j) => j.id),
          [alices[1], alices[0]],
        )
        assert.equal((await store.listJobs({ owner: 'bob', limit: 10 })).length, 5)
        assert.equal((await store.listJobs({ owner: undefined, limit: 100 })).length, 11, 'an admin lists every owner')
        assert.equal((await ownerListings()).length, 11)
      })

      it('never lists a job under an owner it does not belong to', async () => {
        const [job] = await store.enqueueJobs({ owner: 'alice', jobs: [newJob()] })
        // A listing row naming the wrong owner (none is written so; this is the join's own guard).
        await db.sql`insert into job_runner.job_runner_owner_jobs (owner, job_id) values ('mallory', ${job!.job.id})`
        assert.deepEqual(await store.listJobs({ owner: 'mallory', limit: 10 }), [])
        assert.equal((await store.listJobs({ owner: 'alice', limit: 10 }))[0]!.id, job!.job.id)
      })

      it('prunes, window by window from the oldest job, those finished before the retention, with their listing', async () => {
        const ids = (await store.enqueueJobs({ owner: 'alice', jobs: [newJob(), newJob(), newJob(), newJob()] })).map(
          (e) => e.job.id,
        )
        await complete(randomUUID(), 3)
        // 0: created and finished two days ago. 1: created two days ago, finished just now (it ran
        // long). 2: finished just now. 3: still queued.
        await db.sql`update job_runner.job_runner_jobs set created_at = now() - interval '2 days' where id in (${ids[0]!}, ${ids[1]!})`
        await db.sql`update job_runner.job_runner_jobs set finished_at = now() - interval '2 days' where id = ${ids[0]!}`
        const day = 24 * 3600_000
        assert.deepEqual(await store.pruneFinishedJobs({ olderThanMs: day, afterId: '0', window: 1 }), {
          pruned: 1,
          lastId: ids[0],
          reachedRecent: false,
        })
        assert.deepEqual(
          await store.pruneFinishedJobs({ olderThanMs: day, afterId: ids[0]!, window: 1 }),
          { pruned: 0, lastId: ids[1], reachedRecent: false },
          'an old job finished recently stays',
        )
        assert.deepEqual(
          await store.pruneFinishedJobs({ olderThanMs: day, afterId: ids[1]!, window: 1 }),
          { pruned: 0, lastId: ids[2], reachedRecent: true },
          'a job created after the cutoff ends the walk',
        )
        assert.deepEqual(
          await store.pruneFinishedJobs({ olderThanMs: day, afterId: ids[3]!, window: 1 }),
          { pruned: 0, lastId: null, reachedRecent: false },
          'the end of the table',
        )
        assert.equal(await store.getJob({ id: ids[0]!, owner: undefined }), undefined)
        assert.deepEqual(
          (await store.listJobs({ owner: 'alice', limit: 10 })).map((j) => j.id),
          [ids[3], ids[2], ids[1]],
        )
        assert.deepEqual(
          (await ownerListings()).map((r) => r.job_id),
          [ids[1], ids[2], ids[3]],
          'the pruned job left the listing too',
        )
        assert.deepEqual(await store.pruneFinishedJobs({ olderThanMs: day, afterId: '0', window: 100 }), {
          pruned: 0,
          lastId: ids[3],
          reachedRecent: true,
        })
      })
    })

    describe('leases', () => {
      it('renews the named leases of one instance only and reports cancel flags', async () => {
        await store.enqueueJobs({ owner: 'alice', jobs: [newJob(), newJob(), newJob(), newJob()] })
        const owner = randomUUID()
        await store.registerInstance({ id: owner, hostname: 'test', pid: 1, queues })
        const mine = await store.claimJobs({ instanceId: owner, queues, limit: 2, leaseMs: 1000 })
        // Leased to this instance, but its claim's answer never arrived: the instance does not name it.
        const [unknown] = await store.claimJobs({ instanceId: owner, queues, limit: 1, leaseMs: 1000 })
        const theirs = await claimOne()
        await store.requestCancel({ id: mine[1]!.id, owner: undefined })
        const { renewed, strays } = await store.renewLeases({
          instanceId: owner,
          leaseMs: 120_000,
          ids: [...mine.map((j) => j.id), theirs.id],
          findStrays: true,
        })
        assert.deepEqual(
          strays,
          [{ id: unknown!.id, attempt: 1, queue: unknown!.queue }],
          'the lease it did not name is reported, under the attempt its claim counted',
        )
        assert.deepEqual(
          [...renewed].sort((a, b) => a.id.localeCompare(b.id)),
          [
            { id: mine[0]!.id, cancelRequested: false, pauseRequested: false },
            { id: mine[1]!.id, cancelRequested: true, pauseRequested: false },
          ].sort((a, b) => a.id.localeCompare(b.id)),
        )
        const leases = await db.sql<{ id: string; lease_ms: number }[]>`
          select id::text, extract(epoch from lease_expires_at - now()) * 1000 as lease_ms from job_runner.job_runner_jobs where state = 'running'`
        const byId = new Map(leases.map((l) => [l.id, l.lease_ms]))
        assert.ok(byId.get(mine[0]!.id)! > 60_000, 'my lease was extended')
        assert.ok(byId.get(theirs.id)! <= LEASE_MS, 'the other instance lease was not touched')
        assert.ok(
          byId.get(unknown!.id)! <= 1000,
          'a lease the instance did not name was not extended: it will expire and be recovered',
        )
      })

      it('reports the jobs leased to an instance that it did not name, from the plain and the limited claims and starts here', async () => {
        const owner = randomUUID()
        await store.registerInstance({ id: owner, hostname: 'test', pid: 1, queues })
        const [startedHere] = await store.enqueueJobs({
          owner: 'alice',
          jobs: [newJob()],
          startHere: { instanceId: owner, leaseMs: 60_000, starts: [true] },
        })
        await store.enqueueJobs({
          owner: 'alice',
          jobs: [newJob({ type: 'limited-lease', concurrencyKey: 'k' }), newJob()],
        })
        const [limited] = await store.claimLimitedJobs({
          instanceId: owner,
          queues,
          limit: 1,
          leaseMs: 60_000,
          types: [{ type: 'limited-lease', perKey: 1, total: null }],
        })
        const [plain] = await store.claimJobs({
          instanceId: owner,
          queues,
          limit: 1,
          leaseMs: 60_000,
          exceptTypes: ['limited-lease'],
        })
        assert.ok(limited && plain && startedHere)
        const unlooked = await store.renewLeases({ instanceId: owner, leaseMs: 60_000, ids: [plain.id] })
        assert.deepEqual(unlooked.strays, [], 'not looked for unless asked')
        const named = await store.renewLeases({ instanceId: owner, leaseMs: 60_000, ids: [plain.id], findStrays: true })
        assert.deepEqual(
          named.renewed.map((r) => r.id),
          [plain.id],
        )
        assert.deepEqual(
          named.strays.map((s) => [s.id, s.attempt]).sort(),
          [
            [startedHere.job.id, 1],
            [limited.id, 1],
          ].sort(),
        )
        const none = await store.renewLeases({ instanceId: randomUUID(), leaseMs: 60_000, ids: [], findStrays: true })
        assert.deepEqual(none, { renewed: [], strays: [] }, "another instance's leases are not its strays")
      })

      it('recovers a job whose lease expired: attempt counted, checkpoint kept, runner named', async () => {
        await store.enqueueJobs({ owner: 'alice', jobs: [newJob({ maxAttempts: 3 })] })
        const lost = randomUUID()
        const job = await claimOne(lost)
        await store.writeCheckpoints({
          instanceId: lost,
          jobs: [{ id: job.id, attempt: job.attempts, checkpoint: { cursor: 42 }, progress: { fraction: 0.4 } }],
        })
        assert.deepEqual(await store.recoverExpiredLeases(), [], 'a live lease is left alone')
        await expireLeases()
        assert.deepEqual(await store.recoverExpiredLeases(), [
          { id: job.id, queue: 'default', state: 'queued', attempts: 1 },
        ])
        const recovered = (await store.getJob({ id: job.id, owner: 'alice' }))!
        assert.equal(recovered.state, 'queued')
        assert.equal(recovered.attempts, 1, 'the lost attempt counts')
        assert.equal(recovered.interruptions, 0)
        assert.deepEqual(recovered.checkpoint, { cursor: 42 })
        assert.match(recovered.error ?? '', /runner lost/)
        assert.ok(recovered.error?.includes(lost), 'the error names the lost instance')
        // The lost instance wakes up: none of its writes land.
        assert.deepEqual(
          await store.completeJobs({
            instanceId: lost,
            completions: [{ id: job.id, attempt: job.attempts, checkpoint: null, progress: null, result: 'late' }],
          }),
          [],
        )
        const next = await claimOne()
        assert.equal(next.id, job.id)
        assert.equal(next.attempts, 2, 'claimed again: the next attempt counts')
        assert.deepEqual(next.checkpoint, { cursor: 42 })
        assert.deepEqual(
          await store.writeCheckpoints({
            instanceId: lost,
            jobs: [{ id: job.id, attempt: job.attempts, checkpoint: { cursor: 0 }, progress: null }],
          }),
          [],
        )
        assert.deepEqual(await store.renewLeases({ instanceId: lost, leaseMs: LEASE_MS, ids: [job.id] }), {
          renewed: [],
          strays: [],
        })
      })

      it('fails a job whose lost lease was its last attempt', async () => {
        await store.enqueueJobs({ owner: 'alice', jobs: [newJob({ maxAttempts: 1 })] })
        const instanceId = randomUUID()
        const job = await claimOne(instanceId)
        await expireLeases()
        assert.deepEqual(await store.recoverExpiredLeases(), [
          { id: job.id, queue: 'default', state: 'failed', attempts: 1 },
        ])
        const failed = (await store.getJob({ id: job.id, owner: 'alice' }))!
        assert.equal(failed.state, 'failed')
        assert.match(failed.error ?? '', /runner lost/)
        assert.ok(failed.finishedAt)
      })

      it('tells a runner whose outcome write met the fence whether its own write or a lease recovery ended the claim', async () => {
        await store.enqueueJobs({
          owner: 'alice',
          jobs: [newJob({ payload: { n: 1 } }), newJob({ payload: { n: 2 } }), newJob({ payload: { n: 3 } })],
        })
        const here = randomUUID()
        const [done, interrupted, recovered] = await store.claimJobs({
          instanceId: here,
          queues,
          limit: 3,
          leaseMs: LEASE_MS,
        })
        const claim = (job: { id: string; attempts: number }) => ({ id: job.id, attempt: job.attempts })
        const landed = (job: { id: string; attempts: number }, instanceId = here) =>
          store.ownOutcomeLanded({ instanceId, claim: claim(job) })
        assert.equal(await landed(done!), null, 'a claim that still holds its job has not ended')

        await store.completeJobs({
          instanceId: here,
          completions: [{ id: done!.id, attempt: 1, checkpoint: null, progress: null, result: 'ok' }],
        })
        assert.equal(await landed(done!), 'succeeded', 'its own write ended it')
        assert.equal(await landed(done!, randomUUID()), 'succeeded', 'no recovery names this claim')

        await store.requeueInterruptedJobs({
          instanceId: here,
          jobs: [{ id: interrupted!.id, attempt: 1, checkpoint: { at: 1 }, progress: null }],
        })
        assert.equal(await landed(interrupted!), 'queued', 'refunded, and queued')
        const again = await claimOne(here)
        assert.deepEqual([again.id, again.attempts], [interrupted!.id, 1], 'claimed again here under the same attempt')
        assert.equal(await landed(interrupted!), null, 'the new claim holds it: nothing tells the two apart')
        await store.completeJobs({
          instanceId: here,
          completions: [{ id: again.id, attempt: 1, checkpoint: null, progress: null, result: 'ok' }],
        })

        await db.sql`update job_runner.job_runner_jobs set lease_expires_at = now() - interval '1 second' where id = ${recovered!.id}`
        assert.equal((await store.recoverExpiredLeases()).length, 1)
        assert.equal(await landed(recovered!), null, 'the sweep ended it: the outcome is lost')
        const other = await claimOne(randomUUID())
        assert.equal(other.id, recovered!.id)
        assert.equal(await landed(recovered!), null, 'still the sweep, once another instance claimed it')
        assert.equal(
          await landed(recovered!, randomUUID()),
          'queued',
          'the recovery names the instance whose claim it ended',
        )
      })

      it('releases claimed jobs whose code never ran, for the lease owner only, refunding their attempts, keeping their place in line', async () => {
        const jobs = (await store.enqueueJobs({ owner: 'alice', jobs: [newJob(), newJob(), newJob()] })).map(
          (e) => e.job,
        )
        const owner = randomUUID()
        const claimed = await store.claimJobs({ instanceId: owner, queues, limit: 3, leaseMs: LEASE_MS })
        const claims = claimed.map((j) => ({ id: j.id, attempt: j.attempts }))
        assert.deepEqual(
          await store.releaseJobs({ instanceId: randomUUID(), claims }),
          [],
          'another instance releases nothing',
        )
        const released = await store.releaseJobs({ instanceId: owner, claims })
        assert.deepEqual(released.sort(), jobs.map((j) => j.id).sort(), 'the runner vouches that none of them ran')
        const again = await store.claimJobs({ instanceId: randomUUID(), queues, limit: 3, leaseMs: LEASE_MS })
        assert.deepEqual(
          again.map((j) => j.id),
          jobs.map((j) => j.id),
        )
        assert.ok(
          again.every((j) => j.attempts === 1),
          'the released claims were refunded: this claim counts the first attempt',
        )
      })

      it('analyzes a table whose size moved far from its statistics, and only then', async () => {
        const tables = ['job_runner_jobs', 'job_runner_owner_jobs']
        const relpages = async () => {
          const [row] = await db.sql<{ pages: number }[]>`
            select relpages as pages from pg_class where oid = 'job_runner.job_runner_jobs'::regclass`
          return row!.pages
        }
        const enqueueMany = (count: number) =>
          store.enqueueJobs({ owner: 'alice', jobs: Array.from({ length: count }, () => newJob()) })
        for (const table of KEPT_TABLES) {
          const [row] = await db.sql<{ found: boolean }[]>`
            select to_regclass(${`job_runner.${table}`}) is not null as found`
          assert.ok(row!.found, `the keeper's table ${table} exists`)
        }
        await enqueueMany(3000)
        const analyzed = await store.refreshStatistics({ tables: KEPT_TABLES })
        assert.ok(
          tables.every((table) => analyzed.includes(table)),
          `the jobs and their listing grew from nothing since their statistics (analyzed: ${analyzed.join(', ')})`,
        )
        const analyzedAt = await relpages()
        assert.ok(analyzedAt > 8, `the statistics hold the table's size (${analyzedAt} pages)`)
        assert.deepEqual(await store.refreshStatistics({ tables }), [], 'in step: nothing to do')
        await enqueueMany(1500)
        assert.deepEqual(await store.refreshStatistics({ tables }), [], 'half again as large: still close enough')
        await enqueueMany(3000)
        assert.deepEqual(await store.refreshStatistics({ tables: ['job_runner_jobs'] }), ['job_runner_jobs'])
        assert.ok((await relpages()) > analyzedAt * 2)
      })

      it('keeps no statistics of what a job carries, only of what the statements filter and sort by', async () => {
        const targets = await db.sql<{ column: string; target: number }[]>`
          select attname as column, attstattarget as target from pg_attribute
          where attrelid = 'job_runner.job_runner_jobs'::regclass and attnum > 0 and not attisdropped`
        const off = targets.filter((t) => t.target === 0).map((t) => t.column)
        const contents = ['payload', 'checkpoint', 'progress', 'result', 'error', 'errors', 'callback', 'traceparent']
        assert.deepEqual(off.sort(), [...contents, 'request_hash'].sort())
        await store.enqueueJobs({ owner: 'alice', jobs: Array.from({ length: 200 }, () => newJob()) })
        await db.sql`analyze job_runner.job_runner_jobs`
        const stats = await db.sql<{ column: string }[]>`
          select attname as column from pg_stats where schemaname = 'job_runner' and tablename = 'job_runner_jobs'`
        const kept = new Set(stats.map((s) => s.column))
        assert.ok(
          ['state', 'queue', 'type', 'owner', 'run_at'].every((c) => kept.has(c)),
          [...kept].join(', '),
        )
        assert.ok(
          contents.every((c) => !kept.has(c)),
          `no statistics of ${contents.filter((c) => kept.has(c)).join(', ')}`,
        )
      })

      it(
        'does not count an ANALYZE refused to a role that does not own the table',
        { skip: target.name === 'postgres' ? false : 'PGlite has one role' },
        async () => {
          const role = `jr_not_owner_${randomUUID().slice(0, 8)}`
          await db.sql.unsafe(`create role ${role} login`)
          await db.sql.unsafe(`grant usage on schema job_runner to ${role}`)
          const url = new URL(database.databaseUrl!)
          url.username = role
          const other = postgres(url.toString(), { max: 1, onnotice: () => {} })
          try {
            await store.enqueueJobs({ owner: 'alice', jobs: Array.from({ length: 3000 }, () => newJob()) })
            const notOwner = new JobStore(other, db.schema)
            assert.deepEqual(await notOwner.refreshStatistics({ tables: ['job_runner_jobs'] }), [], 'only warned')
            assert.deepEqual(await store.refreshStatistics({ tables: ['job_runner_jobs'] }), ['job_runner_jobs'])
          } finally {
            await other.end()
            await db.sql.unsafe(`drop owned by ${role}`)
            await db.sql.unsafe(`drop role ${role}`)
          }
        },
      )

      it('registers, beats, counts and prunes instances', async () => {
        const [id, quiet] = [randomUUID(), randomUUID()]
        const prune = () => store.pruneInstances({ silentForMs: 60_000, liveWithinMs: 30_000 })
        await store.registerInstance({ id, hostname: 'h', pid: 7, queues })
        await store.registerInstance({ id, hostname: 'h', pid: 7, queues })
        await store.registerInstance({ id: quiet, hostname: 'h', pid: 8, queues })
        assert.deepEqual(await prune(), { pruned: 0, live: 2 })
        await db.sql`update job_runner.job_runner_instances set heartbeat_at = now() - interval '2 minutes' where id = ${id}`
        await db.sql`update job_runner.job_runner_instances set heartbeat_at = now() - interval '40 seconds' where id = ${quiet}`
        await store.renewLeases({ instanceId: id, leaseMs: LEASE_MS, ids: [] })
        assert.deepEqual(
          await prune(),
          { pruned: 0, live: 1 },
          'the renewal beat the heartbeat; the quiet one is not live, not yet gone',
        )
        await db.sql`update job_runner.job_runner_instances set heartbeat_at = now() - interval '2 minutes' where id = ${id}`
        assert.deepEqual(await prune(), { pruned: 1, live: 0 })
        await store.deregisterInstance({ instanceId: id })
        await store.deregisterInstance({ instanceId: quiet })
      })
    })
  })
}
