/**
 * The lease keeper (src/runner/leaseKeeper.ts) with the real store on each database: it renews the
 * leases of the jobs it is told of (running, settling, waiting) and no other, forgets a waiting job
 * whose lease another instance recovered, stops a running one with `shutdown`, and passes cancel
 * flags on. Each test waits for the keeper's renewals, not for time.
 */
import { describe, it, beforeEach, afterEach } from 'node:test'
import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import { suiteDatabase } from '../support/suiteDatabase.js'
import { databaseTargets } from '../support/databases.js'
import { captureLogs, type CapturedLogs } from '../support/logs.js'
import { newJob } from '../support/engine.js'
import { defineJob } from '../../jobs/defineJob.js'
import type { Database } from '../../src/db/database.js'
import type { Json, OwnedJob } from '../../src/queue/job.js'
import { JobStore } from '../../src/queue/store.js'
import { JobExecution } from '../../src/runner/jobExecution.js'
import { LeaseKeeper } from '../../src/runner/leaseKeeper.js'
import type { Waiting } from '../../src/runner/localQueue.js'

const CLAIM_LEASE_MS = 2_000
const KEEPER_LEASE_MS = 60_000
const queues = ['default']

/** The real store, telling the test when each lease renewal begins. */
class WatchedStore extends JobStore {
  private calls = 0
  private readonly waiters: { n: number; resolve: () => void }[] = []

  override async renewLeases(params: Parameters<JobStore['renewLeases']>[0]) {
    this.calls += 1
    for (const waiter of this.waiters.filter((w) => w.n <= this.calls)) {
      this.waiters.splice(this.waiters.indexOf(waiter), 1)
      waiter.resolve()
    }
    return super.renewLeases(params)
  }

  /**
   * Resolves when the renewal after the next one begins: the keeper never overlaps its renewals, so
   * everything the next one does is done by then.
   */
  renewalDone(): Promise<void> {
    return new Promise((resolve) => this.waiters.push({ n: this.calls + 2, resolve }))
  }
}

const echo = defineJob<Json, never, Json>({
  name: 'echo-here',
  payloadSchema: {},
  async run({ payload }) {
    return payload
  },
})

for (const target of databaseTargets()) {
  describe(`lease keeper on ${target.name}`, { timeout: 60_000 }, () => {
    let db: Database
    let store: WatchedStore
    let logs: CapturedLogs
    let keeper: LeaseKeeper | undefined
    /** The instance the keeper keeps leases for. */
    let owner: string
    let executions: JobExecution[]
    let settling: string[]
    let waiting: Waiting[]
    let dropped: string[]
    let cancelled: string[]
    let errors: Error[]

    suiteDatabase(target, (_, connected) => {
      db = connected
      store = new WatchedStore(db.sql, db.schema)
    })

    beforeEach(async () => {
      await db.sql`truncate job_runner.job_runner_jobs, job_runner.job_runner_owner_jobs, job_runner.job_runner_instances restart identity`
      owner = randomUUID()
      logs = captureLogs('warn')
      executions = []
      settling = []
      waiting = []
      dropped = []
      cancelled = []
      errors = []
    })

    afterEach(async () => {
      await keeper?.stop()
      keeper = undefined
    })

    function startKeeper(): LeaseKeeper {
      keeper = new LeaseKeeper(
        { instanceId: owner, leaseMs: KEEPER_LEASE_MS, intervalMs: 20 },
        {
          store,
          executions: () => executions,
          settling: () => settling,
          waiting: () => waiting,
          dropWaiting: (id) => {
            dropped.push(id)
            waiting = waiting.filter((w) => w.job.id !== id)
          },
          cancel: (id) => cancelled.push(id),
          pause: () => {},
          lookForStrays: () => undefined,
          log: logs.log,
          onError: (error) => errors.push(error),
        },
      )
      keeper.start()
      return keeper
    }

    /** Enqueues `count` jobs and claims them all for the keeper's instance, with a short lease. */
    async function claimForOwner(count: number): Promise<OwnedJob[]> {
      await store.enqueueJobs({ owner: 'alice', jobs: Array.from({ length: count }, () => newJob()) })
      const claimed = await store.claimJobs({ instanceId: owner, queues, limit: count, leaseMs: CLAIM_LEASE_MS })
      assert.equal(claimed.length, count)
      return claimed
    }

    /** Another instance recovers these jobs (their lease expired) and claims them. */
    async function recoveredByAnother(jobs: readonly OwnedJob[]): Promise<string> {
      const ids = jobs.map((j) => j.id)
      await db.sql`
        update job_runner.job_runner_jobs set lease_expires_at = now() - interval '1 second'
        where id in (select jsonb_array_elements_text(${db.sql.json(ids)})::bigint)`
      assert.deepEqual((await store.recoverExpiredLeases()).map((r) => r.id).sort(), [...ids].sort())
      const other = randomUUID()
      const claimed = await store.claimJobs({ instanceId: other, queues, limit: ids.length, leaseMs: CLAIM_LEASE_MS })
      assert.deepEqual(claimed.map((j) => j.id).sort(), [...ids].sort())
      return other
    }

    function execution(job: OwnedJob): JobExecution {
      return new JobExecution(job, echo, logs.log, async () => {})
    }

    async function leases(): Promise<Map<string, { owner: string | null; ms: number }>> {
      const rows = await db.sql<{ id: string; lease_owner: string | null; ms: number }[]>`
        select id::text, lease_owner, extract(epoch from lease_expires_at - now()) * 1000 as ms from job_runner.job_runner_jobs`
      return new Map(rows.map((r) => [r.id, { owner: r.lease_owner, ms: Number(r.ms) }]))
    }

    it('renews the leases of its running, settling and waiting jobs, no other, and beats the heartbeat', async () => {
      const [running, settled, queued, unknown] = await claimForOwner(4)
      await store.registerInstance({ id: owner, hostname: 'h', pid: 1, queues })
      await db.sql`update job_runner.job_runner_instances set heartbeat_at = now() - interval '1 hour' where id = ${owner}`
      executions = [execution(running!)]
      settling = [settled!.id]
      waiting = [{ job: queued!, claimedAt: Date.now() }]
      const renewed = store.renewalDone()
      startKeeper()
      await renewed
      const byId = await leases()
      for (const job of [running!, settled!, queued!]) {
        assert.ok(
          byId.get(job.id)!.ms > KEEPER_LEASE_MS - 10_000,
          `job ${job.id} renewed (${byId.get(job.id)!.ms} ms left)`,
        )
      }
      assert.ok(byId.get(unknown!.id)!.ms <= CLAIM_LEASE_MS, 'a job it was not told of is left to expire')
      const [beat] = await db.sql<{ age_ms: number }[]>`
        select extract(epoch from now() - heartbeat_at) * 1000 as age_ms from job_runner.job_runner_instances where id = ${owner}`
      assert.ok(Number(beat!.age_ms) < 10_000, 'the heartbeat was beaten')
      assert.deepEqual({ dropped, cancelled, errors }, { dropped: [], cancelled: [], errors: [] })
      assert.equal(executions[0]!.abortReason, undefined)
    })

    it('forgets a waiting job another instance recovered, if claimed before the renewal began', async () => {
      const [lost, kept, claimedLate] = await claimForOwner(3)
      const other = await recoveredByAnother([lost!, claimedLate!])
      waiting = [
        { job: lost!, claimedAt: Date.now() },
        { job: kept!, claimedAt: Date.now() },
        // A claim that lands while a renewal is under way is not in its answer, yet not lost.
        { job: claimedLate!, claimedAt: Date.now() + 60_000 },
      ]
      const renewed = store.renewalDone()
      startKeeper()
      await renewed
      assert.deepEqual(dropped, [lost!.id])
      assert.deepEqual(
        waiting.map((w) => w.job.id),
        [kept!.id, claimedLate!.id],
      )
      const byId = await leases()
      assert.equal(byId.get(lost!.id)!.owner, other, 'the job stays with the instance that recovered it')
      assert.ok(byId.get(lost!.id)!.ms <= CLAIM_LEASE_MS, 'and its lease is not extended by this one')
      assert.ok(logs.lines.some((line) => line.includes('before it started here')))
      assert.deepEqual(cancelled, [])
    })

    it('stops a running job whose lease another instance recovered with reason shutdown, and no other', async () => {
      const [lost, kept, settledLost] = await claimForOwner(3)
      await recoveredByAnother([lost!, settledLost!])
      const lostRun = execution(lost!)
      const keptRun = execution(kept!)
      // A run that already settled (its outcome write will be refused by the fence) is left alone.
      const settledRun = execution(settledLost!)
      settledRun.start()
      await settledRun.settled
      executions = [lostRun, keptRun, settledRun]
      const aborted = new Promise((resolve) => lostRun.signal.addEventListener('abort', resolve, { once: true }))
      startKeeper()
      await aborted
      assert.equal(lostRun.abortReason, 'shutdown')
      await store.renewalDone()
      assert.equal(keptRun.abortReason, undefined)
      assert.equal(settledRun.abortReason, undefined)
      assert.ok(logs.lines.some((line) => line.includes('lease lost') && line.includes(`"jobId":"${lost!.id}"`)))
      assert.deepEqual(dropped, [])
    })

    it('passes the cancel flags of running and waiting jobs on, and only those', async () => {
      const [running, queued, calm] = await claimForOwner(3)
      executions = [execution(running!), execution(calm!)]
      waiting = [{ job: queued!, claimedAt: Date.now() }]
      for (const job of [running!, queued!]) {
        assert.equal((await store.requestCancel({ id: job.id, owner: 'alice' })).kind, 'requested')
      }
      const renewed = store.renewalDone()
      startKeeper()
      await renewed
      assert.deepEqual(new Set(cancelled), new Set([running!.id, queued!.id]))
      assert.ok(!cancelled.includes(calm!.id))
      assert.deepEqual(dropped, [])
      assert.ok(
        executions.every((e) => e.abortReason === undefined),
        'the keeper only passes the flag on; cancel() acts on it',
      )
    })
  })
}
