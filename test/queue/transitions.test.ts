/**
 * The job's transition table (the header of src/queue/store.ts), row by row against each database:
 * for every row, the states it moves a job between, its attempt rule and its interruption rule, and
 * the lease fence of the rows a runner writes. The last test checks that every row of
 * `JOB_TRANSITIONS` has its describe here, so a row added to the table without a test fails.
 */
import { describe, it, beforeEach } from 'node:test'
import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import { suiteDatabase } from '../support/suiteDatabase.js'
import { databaseTargets } from '../support/databases.js'
import { newJob } from '../support/engine.js'
import type { Database } from '../../src/db/database.js'
import type { Json, JobState } from '../../src/queue/job.js'
import { JOB_TRANSITIONS, JobStore, type ClaimRef, type NewJob } from '../../src/queue/store.js'

const LEASE_MS = 60_000
const queues = ['default']

type Row = keyof typeof JOB_TRANSITIONS

/** A job's columns that the transition table speaks of. */
interface Facts {
  state: JobState
  attempts: number
  interruptions: number
  started: boolean
  finished: boolean
  leaseOwner: string | null
  error: string | null
  checkpoint: Json | null
  runAt: Date
  /** run_at minus now(), in milliseconds. */
  runInMs: number
}

for (const target of databaseTargets()) {
  describe(`job transitions on ${target.name}`, { timeout: 60_000 }, () => {
    let db: Database
    let store: JobStore
    const described: Row[] = []

    /** Declares the describe of one row of the table, named after it and its statement. */
    function row(name: Row, body: () => void): void {
      described.push(name)
      describe(`${name}: ${[JOB_TRANSITIONS[name]].flat().join(', ')}`, body)
    }

    suiteDatabase(target, (_, connected) => {
      db = connected
      store = new JobStore(db.sql, db.schema)
    })

    beforeEach(async () => {
      await db.sql`truncate job_runner.job_runner_jobs, job_runner.job_runner_owner_jobs, job_runner.job_runner_instances restart identity`
    })

    async function facts(id: string): Promise<Facts> {
      const [found] = await db.sql<Facts[]>`
        select state, attempts, interruptions, started_at is not null as started, finished_at is not null as finished,
               lease_owner as "leaseOwner", error, checkpoint, run_at as "runAt",
               extract(epoch from run_at - now()) * 1000 as "runInMs"
        from job_runner.job_runner_jobs where id = ${id}`
      assert.ok(found, `job ${id} exists`)
      return { ...found, runInMs: Number(found.runInMs) }
    }

    async function enqueue(fields: Partial<NewJob> = {}): Promise<string> {
      const [enqueued] = await store.enqueueJobs({ owner: 'alice', jobs: [newJob(fields)] })
      return enqueued!.job.id
    }

    async function claim(instanceId: string, id: string): Promise<ClaimRef> {
      const claimed = await store.claimJobs({ instanceId, queues, limit: 1, leaseMs: LEASE_MS })
      assert.deepEqual(
        claimed.map((j) => j.id),
        [id],
        'the job was claimed',
      )
      return { id, attempt: claimed[0]!.attempts }
    }

    /** Claims the job, as the runner does before the job's code runs (the claim counts its attempt, and fences its writes). */
    const start = claim

    /** A job that used one attempt and failed: queued again, runnable now, `attempts` 1. */
    async function afterOneFailedAttempt(fields: Partial<NewJob> = {}): Promise<string> {
      const id = await enqueue({ maxAttempts: 5, ...fields })
      const first = randomUUID()
      const run = await start(first, id)
      const failure = {
        ...run,
        checkpoint: null,
        progress: null,
        error: 'boom',
        retryDelayMs: 0,
        giveUp: false,
        entry: { message: 'boom', name: 'Error' },
      }
      assert.deepEqual(await store.failJobs({ instanceId: first, failures: [failure] }), [{ id, state: 'queued' }])
      return id
    }

    async function expireLeases(): Promise<void> {
      await db.sql`update job_runner.job_runner_jobs set lease_expires_at = now() - interval '1 second' where state = 'running'`
    }

    const snapshot = ({ id, attempt }: ClaimRef, checkpoint: Json | null = null) => ({
      id,
      attempt,
      checkpoint,
      progress: null,
    })

    row('enqueue', () => {
      it('– → queued with no attempt and no interruption, keeping maxInterruptions', async () => {
        const id = await enqueue({ maxAttempts: 4, maxInterruptions: 7 })
        const job = (await store.getJob({ id, owner: 'alice' }))!
        assert.equal(job.state, 'queued')
        assert.equal(job.attempts, 0)
        assert.equal(job.interruptions, 0)
        assert.equal(job.maxAttempts, 4)
        assert.equal(job.maxInterruptions, 7)
        const f = await facts(id)
        assert.equal(f.started, false)
        assert.equal(f.leaseOwner, null)
      })
    })

    row('startHere', () => {
      it('– → running (leased) for the jobs marked to start, +1 attempt and started_at; the others queued', async () => {
        const owner = randomUUID()
        const enqueued = await store.enqueueJobs({
          owner: 'alice',
          jobs: [newJob({ maxAttempts: 4 }), newJob()],
          startHere: { instanceId: owner, leaseMs: LEASE_MS, starts: [true, false] },
        })
        const [started, queued] = enqueued.map((e) => e.job)
        assert.deepEqual(
          { state: started!.state, attempts: started!.attempts, startedAt: started!.startedAt },
          { state: 'running', attempts: 1, startedAt: started!.createdAt },
          'the answer is the row as written: its attempt counted, started when created',
        )
        assert.equal(queued!.state, 'queued')
        const { state, attempts, interruptions, started: isStarted, leaseOwner } = await facts(started!.id)
        assert.deepEqual(
          { state, attempts, interruptions, started: isStarted, leaseOwner },
          { state: 'running', attempts: 1, interruptions: 0, started: true, leaseOwner: owner },
        )
        const [lease] = await db.sql<{ leaseInMs: number }[]>`
          select extract(epoch from lease_expires_at - now()) * 1000 as "leaseInMs"
          from job_runner.job_runner_jobs where id = ${started!.id}`
        assert.ok(Math.abs(Number(lease!.leaseInMs) - LEASE_MS) < 1000, 'leased for the lease length')
        const other = await facts(queued!.id)
        assert.deepEqual(
          { state: other.state, attempts: other.attempts, started: other.started, leaseOwner: other.leaseOwner },
          { state: 'queued', attempts: 0, started: false, leaseOwner: null },
        )
        assert.deepEqual(
          (await store.claimJobs({ instanceId: randomUUID(), queues, limit: 10, leaseMs: LEASE_MS })).map((j) => j.id),
          [queued!.id],
          'no claim takes the job started here',
        )
      })

      it('is a claim like any other: released, the attempt is given back; completed, under its lease fence', async () => {
        const owner = randomUUID()
        const [first, second] = await store.enqueueJobs({
          owner: 'alice',
          jobs: [newJob(), newJob()],
          startHere: { instanceId: owner, leaseMs: LEASE_MS, starts: [true, true] },
        })
        const released = { id: first!.job.id, attempt: 1 }
        assert.deepEqual(await store.releaseJobs({ instanceId: owner, claims: [released] }), [released.id])
        const f = await facts(released.id)
        assert.deepEqual(
          { state: f.state, attempts: f.attempts, started: f.started, leaseOwner: f.leaseOwner },
          { state: 'queued', attempts: 0, started: false, leaseOwner: null },
        )
        const completion = { id: second!.job.id, attempt: 1, result: null, unchanged: true as const }
        assert.deepEqual(await store.completeJobs({ instanceId: randomUUID(), completions: [completion] }), [])
        assert.deepEqual(await store.completeJobs({ instanceId: owner, completions: [completion] }), [second!.job.id])
        assert.equal((await facts(second!.job.id)).state, 'succeeded')
      })

      it('starts nothing for an enqueue with idempotency keys: every job is queued', async () => {
        const [keyed] = await store.enqueueJobs({
          owner: 'alice',
          jobs: [newJob({ idempotencyKey: 'k1', requestHash: 'h' })],
          startHere: { instanceId: randomUUID(), leaseMs: LEASE_MS, starts: [true] },
        })
        assert.equal(keyed!.job.state, 'queued')
        assert.equal((await facts(keyed!.job.id)).attempts, 0)
      })
    })

    row('claim', () => {
      it('queued → running (leased): +1 attempt and started_at, written before any code runs', async () => {
        const id = await enqueue()
        const owner = randomUUID()
        const [claimed] = await store.claimJobs({ instanceId: owner, queues, limit: 1, leaseMs: LEASE_MS })
        assert.equal(claimed?.id, id)
        assert.equal(claimed.attempts, 1, 'the runner sees the attempt it runs')
        assert.notEqual(claimed.startedAt, null)
        const { state, attempts, interruptions, started, leaseOwner } = await facts(id)
        assert.deepEqual(
          { state, attempts, interruptions, started, leaseOwner },
          { state: 'running', attempts: 1, interruptions: 0, started: true, leaseOwner: owner },
        )
      })

      it('does the same for a type with concurrency limits (claimLimitedJobs), within them', async () => {
        const id = await enqueue({ concurrencyKey: 'k' })
        await enqueue({ concurrencyKey: 'k' })
        const owner = randomUUID()
        const types = [{ type: 'echo', perKey: 1, total: null }]
        const claimed = await store.claimLimitedJobs({ instanceId: owner, queues, limit: 5, leaseMs: LEASE_MS, types })
        assert.deepEqual(
          claimed.map((j) => [j.id, j.attempts]),
          [[id, 1]],
          'one of key k: its perKey is 1',
        )
        const { state, attempts, started, leaseOwner } = await facts(id)
        assert.deepEqual(
          { state, attempts, started, leaseOwner },
          { state: 'running', attempts: 1, started: true, leaseOwner: owner },
        )
      })

      it('adds to the attempts of earlier runs', async () => {
        const id = await afterOneFailedAttempt()
        await claim(randomUUID(), id)
        const f = await facts(id)
        assert.equal(f.state, 'running')
        assert.equal(f.attempts, 2)
      })

      it('claims queued jobs only, each once', async () => {
        const ids = [await enqueue(), await enqueue()]
        const claimed = await store.claimJobs({ instanceId: randomUUID(), queues, limit: 5, leaseMs: LEASE_MS })
        assert.deepEqual(
          claimed.map((j) => j.id),
          ids,
        )
        assert.deepEqual(await store.claimJobs({ instanceId: randomUUID(), queues, limit: 5, leaseMs: LEASE_MS }), [])
        for (const id of ids) assert.equal((await facts(id)).attempts, 1)
      })
    })

    row('release', () => {
      it("running → queued, keeping its place in line, the claim's attempt given back", async () => {
        const id = await enqueue()
        const { runAt } = await facts(id)
        const owner = randomUUID()
        const run = await claim(owner, id)
        assert.deepEqual(
          await store.releaseJobs({ instanceId: randomUUID(), claims: [run] }),
          [],
          'not the lease owner',
        )
        assert.deepEqual(await store.releaseJobs({ instanceId: owner, claims: [run] }), [id])
        const f = await facts(id)
        assert.equal(f.state, 'queued')
        assert.equal(f.attempts, 0)
        assert.equal(f.started, false)
        assert.equal(f.interruptions, 0)
        assert.equal(f.leaseOwner, null)
        assert.equal(f.runAt.getTime(), runAt.getTime())
      })

      it('refunds exactly the one attempt its claim counted', async () => {
        const id = await afterOneFailedAttempt()
        const owner = randomUUID()
        const run = await start(owner, id)
        assert.equal((await facts(id)).attempts, 2)
        assert.deepEqual(await store.releaseJobs({ instanceId: owner, claims: [run] }), [id])
        const f = await facts(id)
        assert.equal(f.state, 'queued')
        assert.equal(f.attempts, 1, 'the earlier, failed attempt still counts')
        assert.equal(f.started, false)
        assert.equal(f.interruptions, 0)
      })

      it('is refused to an instance that does not hold the lease', async () => {
        const id = await enqueue()
        const run = await start(randomUUID(), id)
        assert.deepEqual(await store.releaseJobs({ instanceId: randomUUID(), claims: [run] }), [])
        const f = await facts(id)
        assert.equal(f.state, 'running')
        assert.equal(f.attempts, 1)
      })
    })

    row('complete', () => {
      it('running → succeeded: the attempt stays counted, no interruption', async () => {
        const id = await enqueue()
        const owner = randomUUID()
        const run = await start(owner, id)
        const completion = { ...snapshot(run, { step: 9 }), result: { ok: true } }
        assert.deepEqual(
          await store.completeJobs({ instanceId: randomUUID(), completions: [completion] }),
          [],
          'not the lease owner',
        )
        assert.deepEqual(await store.completeJobs({ instanceId: owner, completions: [completion] }), [id])
        const f = await facts(id)
        assert.equal(f.state, 'succeeded')
        assert.equal(f.attempts, 1)
        assert.equal(f.interruptions, 0)
        assert.equal(f.finished, true)
        assert.equal(f.leaseOwner, null)
        assert.deepEqual(f.checkpoint, { step: 9 })
      })

      it('running → succeeded keeping the stored checkpoint, its version and progress when the run left them unchanged', async () => {
        const id = await enqueue()
        const owner = randomUUID()
        const run = await start(owner, id)
        const progress = { fraction: 0.5, message: 'half' }
        await store.writeCheckpoints({
          instanceId: owner,
          jobs: [{ ...run, checkpoint: { step: 3 }, checkpointVersion: 2, progress }],
        })
        const completion = { ...run, result: { ok: true }, unchanged: true as const }
        assert.deepEqual(await store.completeJobs({ instanceId: owner, completions: [completion] }), [id])
        const f = await facts(id)
        assert.equal(f.state, 'succeeded')
        assert.deepEqual(f.checkpoint, { step: 3 })
        const job = (await store.getJob({ id, owner: 'alice' }))!
        assert.equal(job.checkpointVersion, 2)
        assert.deepEqual(job.progress, progress)
        assert.deepEqual(job.result, { ok: true })
      })

      it('answers the ids it wrote, in one row however many: none, one, several', async () => {
        const owner = randomUUID()
        const ids = [await enqueue(), await enqueue(), await enqueue()]
        const runs: ClaimRef[] = []
        for (const id of ids) runs.push(await start(owner, id))
        assert.deepEqual(
          await store.completeJobs({
            instanceId: randomUUID(),
            completions: runs.map((run) => ({ ...snapshot(run), result: null })),
          }),
          [],
        )
        const written = await store.completeJobs({
          instanceId: owner,
          completions: runs.map((run) => ({ ...snapshot(run), result: null })),
        })
        assert.deepEqual([...written].sort(), [...ids].sort())
      })
    })

    row('fail', () => {
      it('running → queued after its delay while attempts remain: the attempt stays counted', async () => {
        const id = await enqueue({ maxAttempts: 2 })
        const owner = randomUUID()
        const run = await start(owner, id)
        const failure = {
          ...snapshot(run, { step: 1 }),
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
        assert.deepEqual(await store.failJobs({ instanceId: owner, failures: [failure] }), [{ id, state: 'queued' }])
        const f = await facts(id)
        assert.equal(f.state, 'queued')
        assert.equal(f.attempts, 1)
        assert.equal(f.interruptions, 0)
        assert.equal(f.error, 'boom')
        assert.equal(f.finished, false)
        assert.ok(f.runInMs > 50_000, `the retry waits for its delay (run_at in ${f.runInMs} ms)`)
      })

      it('running → failed when the attempts reach maxAttempts', async () => {
        const id = await afterOneFailedAttempt({ maxAttempts: 2 })
        const owner = randomUUID()
        const run = await start(owner, id)
        const failure = {
          ...snapshot(run),
          error: 'boom again',
          retryDelayMs: 0,
          giveUp: false,
          entry: { message: 'boom again', name: 'Error' },
        }
        assert.deepEqual(await store.failJobs({ instanceId: owner, failures: [failure] }), [{ id, state: 'failed' }])
        const f = await facts(id)
        assert.equal(f.state, 'failed')
        assert.equal(f.attempts, 2)
        assert.equal(f.interruptions, 0)
        assert.equal(f.finished, true)
        assert.equal(f.error, 'boom again')
      })
    })

    row('interrupt', () => {
      it('running → queued at once: attempt refunded, interruption counted, checkpoint kept', async () => {
        const id = await afterOneFailedAttempt()
        const owner = randomUUID()
        const run = await start(owner, id)
        assert.deepEqual(
          await store.requeueInterruptedJobs({ instanceId: randomUUID(), jobs: [snapshot(run, { cursor: 3 })] }),
          [],
          'not the lease owner',
        )
        assert.deepEqual(
          await store.requeueInterruptedJobs({ instanceId: owner, jobs: [snapshot(run, { cursor: 3 })] }),
          [{ id, state: 'queued' }],
        )
        const f = await facts(id)
        assert.equal(f.state, 'queued')
        assert.equal(f.attempts, 1, 'this run is refunded; the failed one before it is not')
        assert.equal(f.interruptions, 1)
        assert.equal(f.finished, false)
        assert.deepEqual(f.checkpoint, { cursor: 3 })
        assert.ok(f.runInMs <= 0, 'runnable again at once')
      })

      it('fails the job when its interruptions are already at maxInterruptions, saying so', async () => {
        const id = await enqueue({ maxInterruptions: 2 })
        for (let i = 1; i <= 2; i++) {
          const owner = randomUUID()
          const run = await start(owner, id)
          assert.deepEqual(await store.requeueInterruptedJobs({ instanceId: owner, jobs: [snapshot(run)] }), [
            { id, state: 'queued' },
          ])
          const { attempts, interruptions } = await facts(id)
          assert.deepEqual({ attempts, interruptions }, { attempts: 0, interruptions: i })
        }
        const owner = randomUUID()
        const last = await start(owner, id)
        assert.deepEqual(
          await store.requeueInterruptedJobs({ instanceId: owner, jobs: [snapshot(last, { cursor: 9 })] }),
          [{ id, state: 'failed' }],
        )
        const f = await facts(id)
        assert.equal(f.state, 'failed')
        assert.equal(f.finished, true)
        assert.equal(f.interruptions, 3)
        assert.equal(f.attempts, 1, 'the run that went past the cap is not refunded')
        assert.equal(f.error, 'interrupted 3 times, more than maxInterruptions (2)')
        assert.deepEqual(f.checkpoint, { cursor: 9 })
      })

      it('with maxInterruptions 0 the first interruption fails the job', async () => {
        const id = await enqueue({ maxInterruptions: 0 })
        const owner = randomUUID()
        const run = await start(owner, id)
        assert.deepEqual(await store.requeueInterruptedJobs({ instanceId: owner, jobs: [snapshot(run)] }), [
          { id, state: 'failed' },
        ])
        assert.match((await facts(id)).error ?? '', /maxInterruptions \(0\)/)
      })
    })

    row('pause', () => {
      it('running → queued: attempt refunded, no interruption counted, checkpoint kept, place in line kept', async () => {
        const id = await afterOneFailedAttempt()
        const before = await facts(id)
        const owner = randomUUID()
        const run = await start(owner, id)
        assert.deepEqual(
          await store.requeuePausedJobs({ instanceId: randomUUID(), jobs: [snapshot(run, { cursor: 4 })] }),
          [],
          'not the lease owner',
        )
        assert.deepEqual(await store.requeuePausedJobs({ instanceId: owner, jobs: [snapshot(run, { cursor: 4 })] }), [
          { id, state: 'queued' },
        ])
        const f = await facts(id)
        assert.equal(f.state, 'queued')
        assert.equal(f.attempts, 1, 'this run is refunded; the failed one before it is not')
        assert.equal(f.interruptions, 0, 'a pause is not an interruption')
        assert.equal(f.finished, false)
        assert.equal(f.leaseOwner, null)
        assert.deepEqual(f.checkpoint, { cursor: 4 })
        assert.equal(f.runAt.getTime(), before.runAt.getTime(), 'its run_at, hence its place in line, is kept')
      })

      it('never fails a job, however often it is paused (maxInterruptions does not apply)', async () => {
        const id = await enqueue({ maxInterruptions: 0 })
        for (let i = 0; i < 3; i++) {
          const owner = randomUUID()
          const run = await start(owner, id)
          assert.deepEqual(await store.requeuePausedJobs({ instanceId: owner, jobs: [snapshot(run)] }), [
            { id, state: 'queued' },
          ])
        }
        const { state, attempts, interruptions } = await facts(id)
        assert.deepEqual({ state, attempts, interruptions }, { state: 'queued', attempts: 0, interruptions: 0 })
      })

      it('running → paused when the job itself was asked to pause (pause_requested), the flag cleared', async () => {
        const id = await enqueue()
        const owner = randomUUID()
        const run = await start(owner, id)
        assert.equal((await store.requestPause({ id, owner: 'alice' })).kind, 'requested')
        assert.deepEqual(await store.requeuePausedJobs({ instanceId: owner, jobs: [snapshot(run, { cursor: 3 })] }), [
          { id, state: 'paused' },
        ])
        const f = await facts(id)
        assert.deepEqual([f.state, f.attempts, f.interruptions, f.finished], ['paused', 0, 0, false])
        assert.deepEqual(f.checkpoint, { cursor: 3 })
        assert.equal((await store.getJob({ id, owner: 'alice' }))!.pauseRequested, false)
      })

      it('running → cancelled when a cancel came after the token fired (a paused job would never hear of it)', async () => {
        const id = await enqueue()
        const owner = randomUUID()
        const run = await start(owner, id)
        await store.requestPause({ id, owner: 'alice' })
        await store.requestCancel({ id, owner: 'alice' })
        assert.deepEqual(await store.requeuePausedJobs({ instanceId: owner, jobs: [snapshot(run)] }), [
          { id, state: 'cancelled' },
        ])
        const job = (await store.getJob({ id, owner: 'alice' }))!
        assert.deepEqual([job.state, job.attempts], ['cancelled', 0])
        assert.notEqual(job.cancelAcknowledgedAt, null)
      })
    })

    row('yield', () => {
      it('running → queued behind the jobs that waited: attempt refunded, no interruption, checkpoint written', async () => {
        const id = await enqueue({ maxInterruptions: 0 })
        const owner = randomUUID()
        const run = await start(owner, id)
        const waiting = await enqueue()
        assert.deepEqual(
          await store.requeueYieldedJobs({ instanceId: randomUUID(), jobs: [snapshot(run)] }),
          [],
          'not the lease owner',
        )
        assert.deepEqual(await store.requeueYieldedJobs({ instanceId: owner, jobs: [snapshot(run, { cursor: 9 })] }), [
          { id, state: 'queued' },
        ])
        const f = await facts(id)
        assert.deepEqual([f.state, f.attempts, f.interruptions, f.leaseOwner], ['queued', 0, 0, null])
        assert.deepEqual(f.checkpoint, { cursor: 9 })
        assert.ok(f.runAt.getTime() >= (await facts(waiting)).runAt.getTime(), 'its run_at is now')
        const claimed = await store.claimJobs({ instanceId: randomUUID(), queues, limit: 1, leaseMs: LEASE_MS })
        assert.deepEqual(
          claimed.map((j) => j.id),
          [waiting],
          'the job that waited goes first',
        )
      })

      it('running → paused when asked to pause meanwhile', async () => {
        const id = await enqueue()
        const owner = randomUUID()
        const run = await start(owner, id)
        await store.requestPause({ id, owner: 'alice' })
        assert.deepEqual(await store.requeueYieldedJobs({ instanceId: owner, jobs: [snapshot(run)] }), [
          { id, state: 'paused' },
        ])
      })
    })

    row('pauseJob', () => {
      it('queued → paused at once, nothing counted; a paused job is not claimed', async () => {
        const id = await enqueue()
        assert.equal((await store.requestPause({ id, owner: 'bob' })).kind, 'not-found', "another owner's job")
        const outcome = await store.requestPause({ id, owner: 'alice' })
        assert.equal(outcome.kind, 'paused')
        const f = await facts(id)
        assert.deepEqual([f.state, f.attempts, f.finished], ['paused', 0, false])
        assert.equal((await store.requestPause({ id, owner: 'alice' })).kind, 'already-paused')
        assert.deepEqual(await store.claimJobs({ instanceId: randomUUID(), queues, limit: 5, leaseMs: LEASE_MS }), [])
      })

      it('leaves a running job running, only flagged (the pause row ends it); a finished job is refused', async () => {
        const id = await enqueue()
        const owner = randomUUID()
        const run = await start(owner, id)
        const outcome = await store.requestPause({ id, owner: 'alice' })
        assert.equal(outcome.kind, 'requested')
        assert.deepEqual(
          (await store.renewLeases({ instanceId: owner, leaseMs: LEASE_MS, ids: [id] })).renewed.map(
            (r) => r.pauseRequested,
          ),
          [true],
          'the lease renewal carries the flag (the fallback of the NOTIFY)',
        )
        assert.equal((await facts(id)).state, 'running')
        await store.completeJobs({ instanceId: owner, completions: [{ ...snapshot(run), result: null }] })
        const finished = await store.requestPause({ id, owner: 'alice' })
        assert.equal(finished.kind, 'finished')
        assert.equal((await facts(id)).state, 'succeeded')
      })

      it('a paused job can be cancelled at once (cancel queued), acknowledged then', async () => {
        const id = await enqueue()
        await store.requestPause({ id, owner: 'alice' })
        assert.equal((await store.requestCancel({ id, owner: 'alice' })).kind, 'cancelled')
        const job = (await store.getJob({ id, owner: 'alice' }))!
        assert.equal(job.state, 'cancelled')
        assert.equal(job.cancelAcknowledgedAt, job.cancelRequestedAt)
      })
    })

    row('resume', () => {
      it('paused → queued, keeping its place in line and its checkpoint', async () => {
        const id = await enqueue()
        const owner = randomUUID()
        const run = await start(owner, id)
        await store.requestPause({ id, owner: 'alice' })
        await store.requeuePausedJobs({ instanceId: owner, jobs: [snapshot(run, { cursor: 5 })] })
        const before = await facts(id)
        const outcome = await store.resumeJob({ id, owner: 'alice' })
        assert.equal(outcome.kind, 'resumed')
        const f = await facts(id)
        assert.deepEqual([f.state, f.attempts], ['queued', 0])
        assert.deepEqual(f.checkpoint, { cursor: 5 })
        assert.equal(f.runAt.getTime(), before.runAt.getTime())
        const [claimed] = await store.claimJobs({ instanceId: randomUUID(), queues, limit: 1, leaseMs: LEASE_MS })
        assert.deepEqual(claimed?.checkpoint, { cursor: 5 }, 'any instance resumes it from its checkpoint')
      })

      it("withdraws a running job's pause request; a queued job is unchanged, a finished one refused", async () => {
        const id = await enqueue()
        assert.equal((await store.resumeJob({ id, owner: 'alice' })).kind, 'unchanged')
        const owner = randomUUID()
        const paused = await start(owner, id)
        await store.requestPause({ id, owner: 'alice' })
        assert.equal((await store.resumeJob({ id, owner: 'alice' })).kind, 'resumed')
        assert.deepEqual(await store.requeuePausedJobs({ instanceId: owner, jobs: [snapshot(paused)] }), [
          { id, state: 'queued' },
        ])
        const resumed = await start(owner, id)
        await store.completeJobs({ instanceId: owner, completions: [{ ...snapshot(resumed), result: null }] })
        assert.equal((await store.resumeJob({ id, owner: 'alice' })).kind, 'finished')
      })
    })

    row('replace', () => {
      it("cancels the key's queued job and enqueues the new one under the key, in one transaction", async () => {
        const [first] = await store.enqueueJobs({
          owner: 'alice',
          jobs: [newJob({ idempotencyKey: 'k', requestHash: 'a' })],
        })
        const { job, replaced } = await store.replaceJob({
          owner: 'alice',
          job: newJob({ idempotencyKey: 'k', requestHash: 'b' }),
        })
        assert.equal(replaced?.job.id, first!.job.id)
        assert.equal(replaced?.previousState, 'queued')
        const old = await facts(first!.job.id)
        assert.deepEqual([old.state, old.finished], ['cancelled', true])
        assert.equal(job.state, 'queued')
        const [again] = await store.enqueueJobs({
          owner: 'alice',
          jobs: [newJob({ idempotencyKey: 'k', requestHash: 'b' })],
        })
        assert.deepEqual([again!.job.id, again!.replayed], [job.id, true], 'the key now names the new job')
      })

      it("flags the key's running job (its runner aborts the token with `cancelled`); a finished job only gives up the key", async () => {
        const [first] = await store.enqueueJobs({
          owner: 'alice',
          jobs: [newJob({ idempotencyKey: 'k', requestHash: 'a' })],
        })
        await start(randomUUID(), first!.job.id)
        const { replaced } = await store.replaceJob({
          owner: 'alice',
          job: newJob({ idempotencyKey: 'k', requestHash: 'b' }),
        })
        assert.equal(replaced?.previousState, 'running')
        const running = (await store.getJob({ id: first!.job.id, owner: 'alice' }))!
        assert.deepEqual(
          [running.state, running.cancelRequested, running.cancelAcknowledgedAt],
          ['running', true, null],
        )
        assert.notEqual(running.cancelRequestedAt, null)
        const second = await store.replaceJob({
          owner: 'alice',
          job: newJob({ idempotencyKey: 'k', requestHash: 'c' }),
        })
        const third = await store.replaceJob({ owner: 'alice', job: newJob({ idempotencyKey: 'k', requestHash: 'd' }) })
        assert.equal(third.replaced?.job.id, second.job.id)
        const none = await store.replaceJob({
          owner: 'alice',
          job: newJob({ idempotencyKey: 'other', requestHash: 'e' }),
        })
        assert.equal(none.replaced, null, 'a key no job holds replaces nothing')
      })
    })

    row('expire', () => {
      it('queued → expired once its expires_at passed: the claims skip it, the sweep marks it, nothing else', async () => {
        const past = new Date(Date.now() - 1000)
        const late = await enqueue({ expiresAt: past })
        const timely = await enqueue({ expiresAt: new Date(Date.now() + 3600_000) })
        const noDeadline = await enqueue()
        const types = [{ type: 'echo', perKey: null, total: 5 }]
        assert.deepEqual(
          await store
            .claimLimitedJobs({ instanceId: randomUUID(), queues, limit: 5, leaseMs: LEASE_MS, types })
            .then((jobs) => jobs.map((j) => j.id).includes(late)),
          false,
          'the limited claim skips it',
        )
        await db.sql`update job_runner.job_runner_jobs set state = 'queued', lease_owner = null, lease_expires_at = null, attempts = 0`
        const claimed = await store.claimJobs({ instanceId: randomUUID(), queues, limit: 5, leaseMs: LEASE_MS })
        assert.deepEqual(
          claimed.map((j) => j.id),
          [timely, noDeadline],
          'the plain claim skips it',
        )
        // A running job past its deadline has started: it is not expired.
        await db.sql`update job_runner.job_runner_jobs set expires_at = now() - interval '1 second' where id = ${timely}`
        const expired = await store.expireJobs()
        assert.deepEqual(
          expired.map((j) => j.id),
          [late],
        )
        const f = await facts(late)
        assert.deepEqual([f.state, f.attempts, f.finished], ['expired', 0, true])
        assert.match(f.error ?? '', /^expired: not started by \d{4}-/)
        assert.equal((await facts(timely)).state, 'running')
        assert.deepEqual(await store.expireJobs(), [], 'once')
      })
    })

    row('abandon', () => {
      it('running → queued at once: attempt kept, interruption counted, checkpoint kept', async () => {
        const id = await enqueue({ maxAttempts: 2 })
        const owner = randomUUID()
        const run = await start(owner, id)
        assert.deepEqual(
          await store.abandonJobs({ instanceId: randomUUID(), jobs: [snapshot(run, { cursor: 4 })] }),
          [],
          'not the lease owner',
        )
        assert.deepEqual(await store.abandonJobs({ instanceId: owner, jobs: [snapshot(run, { cursor: 4 })] }), [
          { id, state: 'queued' },
        ])
        const f = await facts(id)
        assert.equal(f.state, 'queued')
        assert.equal(f.attempts, 1, 'a run that ignored its token is not refunded')
        assert.equal(f.interruptions, 1)
        assert.equal(f.finished, false)
        assert.deepEqual(f.checkpoint, { cursor: 4 })
        assert.match(f.error ?? '', /^abandoned/)
        assert.ok(f.runInMs <= 0, 'runnable again at once')
      })

      it('running → failed on the last attempt', async () => {
        const id = await afterOneFailedAttempt({ maxAttempts: 2 })
        const owner = randomUUID()
        const run = await start(owner, id)
        assert.deepEqual(await store.abandonJobs({ instanceId: owner, jobs: [snapshot(run)] }), [
          { id, state: 'failed' },
        ])
        const f = await facts(id)
        assert.equal(f.state, 'failed')
        assert.equal(f.attempts, 2)
        assert.equal(f.interruptions, 1)
        assert.equal(f.finished, true)
        assert.match(f.error ?? '', /^abandoned/)
      })
    })

    row('cancelRunning', () => {
      it('running → cancelled: a job whose code ran keeps its attempt', async () => {
        const id = await enqueue()
        const owner = randomUUID()
        const run = await start(owner, id)
        await store.requestCancel({ id, owner: 'alice' })
        const cancellation = { ...snapshot(run, { cursor: 2 }), started: true }
        assert.deepEqual(
          await store.markJobsCancelled({ instanceId: randomUUID(), jobs: [cancellation] }),
          [],
          'not the lease owner',
        )
        assert.deepEqual(await store.markJobsCancelled({ instanceId: owner, jobs: [cancellation] }), [id])
        const f = await facts(id)
        assert.equal(f.state, 'cancelled')
        assert.equal(f.attempts, 1)
        assert.equal(f.interruptions, 0)
        assert.equal(f.started, true)
        assert.equal(f.finished, true)
        assert.deepEqual(f.checkpoint, { cursor: 2 })
      })

      it("refunds the claim's attempt of a job whose code never ran, and only that one", async () => {
        const id = await afterOneFailedAttempt()
        const owner = randomUUID()
        const run = await start(owner, id)
        assert.equal((await facts(id)).attempts, 2)
        assert.deepEqual(
          await store.markJobsCancelled({ instanceId: owner, jobs: [{ ...snapshot(run), started: false }] }),
          [id],
        )
        const f = await facts(id)
        assert.equal(f.state, 'cancelled')
        assert.equal(f.attempts, 1, 'the earlier, failed attempt still counts')
        assert.equal(f.started, false)
        assert.equal(f.interruptions, 0)
      })
    })

    row('cancelQueued', () => {
      it('queued → cancelled at once: attempts and interruptions as they were', async () => {
        const id = await afterOneFailedAttempt()
        const owner = randomUUID()
        const run = await start(owner, id)
        await store.requeueInterruptedJobs({ instanceId: owner, jobs: [snapshot(run)] })
        assert.equal((await store.requestCancel({ id, owner: 'alice' })).kind, 'cancelled')
        const f = await facts(id)
        assert.equal(f.state, 'cancelled')
        assert.equal(f.attempts, 1)
        assert.equal(f.interruptions, 1)
        assert.equal(f.finished, true)
      })

      it('leaves a running job running, only flagged: the cancel running row ends it', async () => {
        const id = await enqueue()
        await start(randomUUID(), id)
        assert.equal((await store.requestCancel({ id, owner: 'alice' })).kind, 'requested')
        const f = await facts(id)
        assert.equal(f.state, 'running')
        assert.equal(f.attempts, 1)
        assert.equal((await store.getJob({ id, owner: 'alice' }))!.cancelRequested, true)
      })

      it('requestCancels (a bulk batch): the same write on a list, reporting each job found and whether it moved', async () => {
        const runningId = await enqueue()
        await start(randomUUID(), runningId)
        const doneId = await enqueue()
        const owner = randomUUID()
        const done = await start(owner, doneId)
        await store.completeJobs({ instanceId: owner, completions: [{ ...snapshot(done), result: null }] })
        const queuedId = await enqueue()
        const [bobs] = await store.enqueueJobs({ owner: 'bob', jobs: [newJob()] })
        const ids = [doneId, bobs!.job.id, runningId, queuedId, '999999']
        const batch = await db.sql.begin((tx) => JobStore.within(tx, db.schema).requestCancels({ ids, owner: 'alice' }))
        assert.deepEqual(
          batch.map((j) => [j.id, j.previousState, j.moved]),
          [
            [runningId, 'running', true],
            [doneId, 'succeeded', false],
            [queuedId, 'queued', true],
          ],
          "in id order, the caller's jobs only",
        )
        const queued = await facts(queuedId)
        assert.deepEqual(
          [queued.state, queued.attempts, queued.interruptions, queued.finished],
          ['cancelled', 0, 0, true],
        )
        const running = await facts(runningId)
        assert.deepEqual([running.state, running.attempts], ['running', 1], 'only flagged: cancel running ends it')
        assert.equal((await store.getJob({ id: runningId, owner: 'alice' }))!.cancelRequested, true)
        assert.equal((await facts(doneId)).state, 'succeeded')
        assert.equal((await facts(bobs!.job.id)).state, 'queued', "another owner's job is left alone")
        // An admin's batch (owner undefined) reaches every owner's jobs.
        const admin = await store.requestCancels({ ids: [bobs!.job.id], owner: undefined })
        assert.deepEqual(
          admin.map((j) => j.moved),
          [true],
        )
      })
    })

    row('retry', () => {
      it('sends a failed job back to the queue: attempts and interruptions from zero, retries counted, checkpoint kept', async () => {
        const id = await enqueue({ maxAttempts: 1 })
        const owner = randomUUID()
        const run = await start(owner, id)
        const failure = {
          ...snapshot(run, { step: 3 }),
          error: 'boom',
          retryDelayMs: 0,
          giveUp: false,
          entry: { message: 'boom', name: 'Error' },
        }
        assert.deepEqual(await store.failJobs({ instanceId: owner, failures: [failure] }), [{ id, state: 'failed' }])
        const outcome = await store.retryJob({ id, owner: 'alice', from: 'checkpoint', runAt: null })
        assert.equal(outcome.kind, 'retried')
        const f = await facts(id)
        assert.deepEqual([f.state, f.attempts, f.interruptions, f.started, f.finished], ['queued', 0, 0, false, false])
        assert.deepEqual(f.checkpoint, { step: 3 }, 'from its checkpoint by default')
        assert.ok(outcome.kind === 'retried' && outcome.job.retries === 1)
      })

      it('clears the checkpoint from the start; refuses any state but failed and cancelled; another owner finds nothing', async () => {
        const id = await enqueue()
        assert.equal((await store.retryJob({ id, owner: 'alice', from: 'start', runAt: null })).kind, 'not-retryable')
        assert.equal((await store.retryJob({ id, owner: 'bob', from: 'start', runAt: null })).kind, 'not-found')
        assert.equal((await store.requestCancel({ id, owner: 'alice' })).kind, 'cancelled')
        await db.sql`update job_runner.job_runner_jobs set checkpoint = '{"step": 1}' where id = ${id}`
        assert.equal((await store.retryJob({ id, owner: 'alice', from: 'start', runAt: null })).kind, 'retried')
        const f = await facts(id)
        assert.deepEqual([f.state, f.checkpoint], ['queued', null])
      })

      it('retryJobs (a bulk batch): the same write on a list, from the checkpoint, failed and cancelled jobs only', async () => {
        const failedId = await enqueue({ maxAttempts: 1 })
        const owner = randomUUID()
        const run = await start(owner, failedId)
        const failure = {
          ...snapshot(run, { step: 2 }),
          error: 'boom',
          retryDelayMs: 0,
          giveUp: false,
          entry: { message: 'boom', name: 'Error' },
        }
        await store.failJobs({ instanceId: owner, failures: [failure] })
        const cancelledId = await enqueue()
        await store.requestCancel({ id: cancelledId, owner: 'alice' })
        const queuedId = await enqueue()
        const [bobs] = await store.enqueueJobs({ owner: 'bob', jobs: [newJob()] })
        await store.requestCancel({ id: bobs!.job.id, owner: 'bob' })
        const ids = [queuedId, cancelledId, failedId, bobs!.job.id]
        const batch = await db.sql.begin((tx) => JobStore.within(tx, db.schema).retryJobs({ ids, owner: 'alice' }))
        assert.deepEqual(
          batch.map((j) => [j.id, j.previousState, j.moved]),
          [
            [failedId, 'failed', true],
            [cancelledId, 'cancelled', true],
            [queuedId, 'queued', false],
          ],
        )
        const f = await facts(failedId)
        assert.deepEqual([f.state, f.attempts, f.interruptions, f.started, f.finished], ['queued', 0, 0, false, false])
        assert.deepEqual(f.checkpoint, { step: 2 }, 'from its checkpoint')
        assert.ok(f.runInMs <= 0, 'runnable now')
        const job = (await store.getJob({ id: cancelledId, owner: 'alice' }))!
        assert.deepEqual([job.state, job.retries, job.cancelRequested], ['queued', 1, false])
        assert.equal((await facts(bobs!.job.id)).state, 'cancelled', "another owner's job is left alone")
        // Retried once: a second batch over the same ids moves nothing.
        const again = await store.retryJobs({ ids, owner: 'alice' })
        assert.deepEqual(
          again.map((j) => j.moved),
          [false, false, false],
        )
      })
    })

    row('leaseExpired', () => {
      it('running (started) → queued at once: the attempt stays counted and the lost runner is named', async () => {
        const id = await enqueue({ maxAttempts: 2 })
        const lost = randomUUID()
        await start(lost, id)
        assert.deepEqual(await store.recoverExpiredLeases(), [], 'a live lease is left alone')
        await expireLeases()
        assert.deepEqual(await store.recoverExpiredLeases(), [{ id, queue: 'default', state: 'queued', attempts: 1 }])
        const f = await facts(id)
        assert.equal(f.state, 'queued')
        assert.equal(f.attempts, 1)
        assert.equal(f.interruptions, 0)
        assert.equal(f.leaseOwner, null)
        assert.ok(f.error?.includes(lost), `the error names the lost instance: ${f.error}`)
        assert.ok(f.runInMs <= 0, 'runnable again at once')
      })

      it('running (started) → failed when that was its last attempt', async () => {
        const id = await afterOneFailedAttempt({ maxAttempts: 2 })
        await start(randomUUID(), id)
        await expireLeases()
        assert.deepEqual(await store.recoverExpiredLeases(), [{ id, queue: 'default', state: 'failed', attempts: 2 }])
        const f = await facts(id)
        assert.equal(f.state, 'failed')
        assert.equal(f.attempts, 2)
        assert.equal(f.interruptions, 0)
        assert.equal(f.finished, true)
        assert.match(f.error ?? '', /runner lost/)
      })

      it('fences off every write of the lost claim, even once the same instance has claimed the job again', async () => {
        // An outage longer than the lease: the instance's run, or its outcome write, outlives its claim.
        const instanceId = randomUUID()
        const failure = { error: 'late', retryDelayMs: 0, giveUp: false, entry: { message: 'late', name: 'Error' } }
        const writes: [string, (lost: ClaimRef) => Promise<readonly unknown[]>][] = [
          ['complete', (c) => store.completeJobs({ instanceId, completions: [{ ...snapshot(c), result: 1 }] })],
          [
            'complete unchanged',
            (c) => store.completeJobs({ instanceId, completions: [{ ...c, result: 1, unchanged: true }] }),
          ],
          ['fail', (c) => store.failJobs({ instanceId, failures: [{ ...snapshot(c), ...failure }] })],
          ['interrupt', (c) => store.requeueInterruptedJobs({ instanceId, jobs: [snapshot(c)] })],
          ['pause', (c) => store.requeuePausedJobs({ instanceId, jobs: [snapshot(c)] })],
          ['yield', (c) => store.requeueYieldedJobs({ instanceId, jobs: [snapshot(c)] })],
          ['abandon', (c) => store.abandonJobs({ instanceId, jobs: [snapshot(c)] })],
          ['cancel running', (c) => store.markJobsCancelled({ instanceId, jobs: [{ ...snapshot(c), started: true }] })],
          ['release', (c) => store.releaseJobs({ instanceId, claims: [c] })],
          ['checkpoint', (c) => store.writeCheckpoints({ instanceId, jobs: [snapshot(c, { late: true })] })],
          ['renew claim', (c) => store.renewClaims({ instanceId, leaseMs: LEASE_MS, claims: [c] })],
        ]
        for (const [name, write] of writes) {
          await db.sql`truncate job_runner.job_runner_jobs, job_runner.job_runner_owner_jobs restart identity`
          const id = await enqueue({ maxAttempts: 5 })
          const lost = await start(instanceId, id)
          await expireLeases()
          assert.deepEqual(await store.recoverExpiredLeases(), [{ id, queue: 'default', state: 'queued', attempts: 1 }])
          const current = await start(instanceId, id)
          assert.equal(current.attempt, 2)
          assert.deepEqual(await write(lost), [], `${name}: the write of the lost claim is refused`)
          const f = await facts(id)
          assert.deepEqual(
            [f.state, f.attempts, f.interruptions, f.leaseOwner, f.checkpoint],
            ['running', 2, 0, instanceId, null],
            `${name}: the new claim's job is untouched`,
          )
          assert.equal((await write(current)).length, 1, `${name}: the same write under the new claim lands`)
        }
      })

      it('running, claimed by an older version and never started → queued, nothing counted or refunded, keeping its place and its error', async () => {
        const id = await afterOneFailedAttempt({ maxAttempts: 2 })
        const before = await facts(id)
        // Versions before issue 16's fix counted an attempt at a start mark after the claim.
        await db.sql`update job_runner.job_runner_jobs set state = 'running', lease_owner = ${randomUUID()}, started_at = null where id = ${id}`
        await expireLeases()
        assert.deepEqual(
          await store.recoverExpiredLeases(),
          [{ id, queue: 'default', state: 'queued', attempts: 1 }],
          'not failed: the claim used no attempt',
        )
        const f = await facts(id)
        assert.equal(f.state, 'queued')
        assert.equal(f.attempts, 1)
        assert.equal(f.interruptions, 0)
        assert.equal(f.started, false)
        assert.equal(f.error, 'boom', 'the error of the earlier run, not a lost runner')
        assert.equal(f.runAt.getTime(), before.runAt.getTime())
      })
    })

    it('has a describe for every row of JOB_TRANSITIONS', () => {
      assert.deepEqual([...described].sort(), Object.keys(JOB_TRANSITIONS).sort())
      assert.equal(new Set(described).size, described.length, 'each row once')
    })
  })
}
