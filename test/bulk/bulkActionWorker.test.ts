/**
 * Bulk actions below HTTP, on each database: the lease (a batch is fenced by it; an expired one is
 * taken over and the action carried on from its cursor; a stop gives it back), two workers on one
 * action acting on each job once, the lifecycle stopping the worker on a drain and starting it
 * again on a resume, and (PostgreSQL) a bulk cancel worked on one instance aborting the token of a
 * job running on another.
 */
import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import { after, before, beforeEach, describe, it } from 'node:test'
import { BulkActionStore } from '../../src/bulk/bulkActionStore.js'
import { BulkActionWorker } from '../../src/bulk/bulkActionWorker.js'
import { databaseTargets, postgresOnly, type TestDatabase } from '../support/databases.js'
import { openEngine, type Engine } from '../support/engine.js'
import { enqueue, expectJson, pollUntil } from '../support/http.js'
import { startTestService, type TestService } from '../support/service.js'
import { suiteService } from '../support/suiteService.js'

const LEASE_MS = 60_000

for (const target of databaseTargets()) {
  describe(`bulk action leases and workers (${target.name})`, () => {
    let database: TestDatabase
    let engine: Engine
    let bulk: BulkActionStore

    before(async () => {
      database = await target.create()
      engine = await openEngine(database)
      bulk = new BulkActionStore(engine.db.sql, engine.db.schema)
    })
    after(async () => {
      await engine?.close()
      await database?.cleanup()
    })
    beforeEach(async () => {
      await engine.db
        .sql`truncate job_runner.job_runner_jobs, job_runner.job_runner_owner_jobs, job_runner.job_runner_bulk_actions restart identity`
    })

    async function failedJobs(count: number): Promise<void> {
      await engine.db.sql`
        insert into job_runner.job_runner_jobs (owner, type, queue, max_attempts, state, finished_at)
        select 'alice', 'echo', 'parked', 1, 'failed', now() from generate_series(1, ${count})`
    }

    async function retryAll(): Promise<string> {
      const throughId = await bulk.newestJobId()
      const action = await bulk.createBulkAction({
        owner: 'alice',
        allOwners: false,
        action: 'retry',
        filter: { state: 'failed' },
        ids: null,
        throughId,
        matched: await bulk.countMatchingJobs({ owner: 'alice', filter: {}, states: ['failed'], throughId }),
      })
      return action.id
    }

    const retriesCounted = async () =>
      (await engine.db.sql<{ retries: number }[]>`select retries from job_runner.job_runner_jobs order by id`).map(
        (r) => r.retries,
      )

    it('fences each batch by the lease; an expired lease is taken over and the walk goes on from its cursor', async () => {
      await failedJobs(7)
      const id = await retryAll()
      const first = randomUUID()
      const second = randomUUID()
      assert.equal((await bulk.claimBulkAction({ leaseOwner: first, leaseMs: LEASE_MS }))?.id, id)
      assert.equal(await bulk.claimBulkAction({ leaseOwner: second, leaseMs: LEASE_MS }), undefined, 'leased')
      const one = await bulk.workBatch({ id, leaseOwner: first, leaseMs: LEASE_MS, batchSize: 3 })
      assert.ok(one.kind === 'worked')
      assert.deepEqual([one.action.done, one.action.cursorId, one.action.state], [3, '3', 'running'])
      assert.deepEqual(
        await bulk.workBatch({ id, leaseOwner: second, leaseMs: LEASE_MS, batchSize: 3 }),
        { kind: 'lost' },
        'a batch without the lease writes nothing',
      )
      // The first instance vanishes; its lease expires and the second carries the action on.
      await engine.db.sql`update job_runner.job_runner_bulk_actions set lease_expires_at = now() - interval '1 second'`
      const taken = await bulk.claimBulkAction({ leaseOwner: second, leaseMs: LEASE_MS })
      assert.deepEqual([taken?.id, taken?.cursorId, taken?.done], [id, '3', 3])
      assert.deepEqual(await bulk.workBatch({ id, leaseOwner: first, leaseMs: LEASE_MS, batchSize: 3 }), {
        kind: 'lost',
      })
      const two = await bulk.workBatch({ id, leaseOwner: second, leaseMs: LEASE_MS, batchSize: 3 })
      const three = await bulk.workBatch({ id, leaseOwner: second, leaseMs: LEASE_MS, batchSize: 3 })
      assert.ok(two.kind === 'worked' && three.kind === 'worked')
      assert.deepEqual([three.action.state, three.action.done, three.action.matched], ['completed', 7, 7])
      assert.deepEqual(await retriesCounted(), [1, 1, 1, 1, 1, 1, 1], 'each job retried once')
      assert.equal(await bulk.claimBulkAction({ leaseOwner: first, leaseMs: LEASE_MS }), undefined, 'nothing left')
    })

    it('a stopped worker gives its lease back mid-action; two workers then finish it, each job once', async () => {
      await failedJobs(60)
      const id = await retryAll()
      const worker = (instanceId: string) =>
        new BulkActionWorker(
          { instanceId, leaseMs: LEASE_MS, batchSize: 4, pollIntervalMs: 50 },
          { store: bulk, announce: engine.jobs, log: engine.logs.log },
        )
      const first = worker(randomUUID())
      const firstBatch = first.events.waitFor('bulk:batch')
      first.start()
      await firstBatch
      await first.stop()
      const [row] = await engine.db.sql<{ lease_owner: string | null; state: string; done: number }[]>`
        select lease_owner, state, done from job_runner.job_runner_bulk_actions where id = ${id}`
      assert.equal(row!.lease_owner, null, 'the lease was given back')
      assert.equal(row!.state, 'running')
      assert.ok(row!.done > 0 && row!.done < 60, `stopped midway (${row!.done} done)`)

      const second = worker(randomUUID())
      const third = worker(randomUUID())
      const completed = Promise.race([second.events.waitFor('bulk:completed'), third.events.waitFor('bulk:completed')])
      second.start()
      third.start()
      second.wake()
      third.wake()
      assert.equal((await completed).action.done, 60)
      await Promise.all([second.stop(), third.stop(), first.stop()])
      assert.deepEqual(await retriesCounted(), Array(60).fill(1), 'each job retried once')
    })
  })

  describe(`bulk action worker and the lifecycle (${target.name})`, () => {
    let service: TestService

    suiteService(target, (started) => (service = started), { BULK_BATCH_SIZE: '2' })

    it('a drain stops the worker and gives the lease back; a resume carries the action on', async () => {
      await service.db.sql`
        insert into job_runner.job_runner_jobs (owner, type, queue, max_attempts, state, finished_at)
        select 'alice', 'echo', 'parked', 1, 'failed', now() from generate_series(1, 40)`
      // The drain is asked as the first batch is announced: the worker stops before the second.
      let drained: Promise<unknown> | undefined
      const off = service.bulkWorker.events.on('bulk:batch', () => (drained ??= service.lifecycle.drain()))
      const response = await service.request('/v1/bulk-actions', {
        method: 'POST',
        body: JSON.stringify({ action: 'retry', filter: { queue: 'parked' } }),
      })
      const { id } = await expectJson<{ id: string }>(response, 202)
      await service.lifecycle.events.waitFor('lifecycle:state', (e) => e.state === 'drained')
      off()
      const [row] = await service.db.sql<{ lease_owner: string | null; state: string; done: number }[]>`
        select lease_owner, state, done from job_runner.job_runner_bulk_actions where id = ${id}`
      assert.deepEqual([row!.state, row!.done, row!.lease_owner], ['running', 2, null], 'stopped, lease given back')
      const completed = service.bulkWorker.events.waitFor('bulk:completed', (e) => e.action.id === id)
      assert.equal(await service.lifecycle.resume(), 'running')
      await completed
      const shown = await expectJson<{ state: string; done: number }>(
        await service.request(`/v1/bulk-actions/${id}`),
        200,
      )
      assert.deepEqual([shown.state, shown.done], ['completed', 40])
    })
  })
}

const postgres = postgresOnly()
describe('a bulk cancel reaches a job running on another instance (postgres)', { skip: !postgres }, () => {
  let database: TestDatabase
  let runs: TestService
  let asks: TestService

  before(async () => {
    database = await postgres!.create()
    runs = await startTestService(database)
    // Serves a queue nobody uses: the job runs on the other instance.
    asks = await startTestService(database, { QUEUES: 'nobody' })
    // Only the asked instance works bulk actions: the cancel must travel to the other one.
    await runs.bulkWorker.stop()
  })
  after(async () => {
    await asks?.close()
    await runs?.close()
    await database?.cleanup()
  })

  it("the running job's token aborts with reason cancelled there, as a single cancel's does", async () => {
    const started = runs.runner.events.waitFor('job:start', (e) => e.job.type === 'sleep')
    const job = await enqueue(runs, { type: 'sleep', payload: { ms: 60_000 } })
    await started
    const settled = runs.runner.events.waitFor('job:settled', (e) => e.job.id === job.id)
    const completed = asks.bulkWorker.events.waitFor('bulk:completed')
    const response = await asks.request('/v1/bulk-actions', {
      method: 'POST',
      body: JSON.stringify({ action: 'cancel', filter: { state: 'running', type: 'sleep' } }),
    })
    await expectJson(response, 202)
    assert.equal((await completed).action.done, 1)
    assert.equal((await settled).outcome, 'cancelled')
    await pollUntil(asks, job.id, (j) => j.state === 'cancelled')
  })
})
