/**
 * The finished-job pruner against each database: one run deletes every job finished before the
 * retention, whatever lies between them, and nothing else.
 */
import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import { databaseTargets } from '../support/databases.js'
import { newJob, type Engine } from '../support/engine.js'
import { captureLogs } from '../support/logs.js'
import { FinishedJobPruner } from '../../src/runner/finishedJobPruner.js'
import { suiteEngine } from '../support/suiteEngine.js'

const DAY_MS = 24 * 3600_000

for (const target of databaseTargets()) {
  describe(`finished-job pruner on ${target.name}`, { timeout: 60_000 }, () => {
    let engine: Engine

    suiteEngine(target, (opened) => (engine = opened))

    it('deletes in one run every job finished before the retention across many windows, and keeps the rest', async () => {
      const { db, store } = engine
      // 40 jobs: by id, every fourth is old and still queued (scheduled far ahead), the others old
      // and finished; then 10 recent finished jobs and 5 still running.
      const old = (await store.enqueueJobs({ owner: 'alice', jobs: Array.from({ length: 40 }, () => newJob()) })).map(
        (e) => e.job.id,
      )
      const recent = (await store.enqueueJobs({ owner: 'bob', jobs: Array.from({ length: 15 }, () => newJob()) })).map(
        (e) => e.job.id,
      )
      const waiting = old.filter((_, i) => i % 4 === 0)
      await db.sql`update job_runner.job_runner_jobs set run_at = now() + interval '30 days' where id in ${db.sql(waiting)}`
      const instanceId = randomUUID()
      const claimed = await store.claimJobs({ instanceId, queues: ['default'], limit: 100, leaseMs: 60_000 })
      const toFinish = claimed.filter((j) => !recent.slice(10).includes(j.id))
      await store.completeJobs({
        instanceId,
        completions: toFinish.map((j) => ({
          id: j.id,
          attempt: j.attempts,
          result: null,
          checkpoint: null,
          progress: null,
        })),
      })
      await db.sql`update job_runner.job_runner_jobs set created_at = now() - interval '3 days' where id in ${db.sql(old)}`
      await db.sql`update job_runner.job_runner_jobs set finished_at = now() - interval '2 days' where id in ${db.sql(old)} and state = 'succeeded'`

      // A log line for every job: the pruned jobs' lines go with them.
      await store.appendJobLogs(
        [...old, ...recent].map((jobId) => ({
          jobId,
          at: new Date().toISOString(),
          level: 'info',
          message: 'hi',
          fields: null,
          bytes: 2,
        })),
      )
      const logs = captureLogs('info')
      const pruner = new FinishedJobPruner(
        { retentionMs: DAY_MS, window: 7 },
        { store, log: logs.log, onError: (error) => assert.fail(error) },
      )
      assert.equal(await pruner.prune(), 30)
      assert.deepEqual(
        logs.records().map((r) => [r.msg, r.deleted]),
        [['pruned finished jobs past their retention', 30]],
      )
      const left = await db.sql<
        { id: string }[]
      >`select id::text from job_runner.job_runner_jobs order by job_runner.job_runner_jobs.id`
      const expected = [...waiting, ...recent].sort((a, b) => Number(a) - Number(b))
      assert.deepEqual(
        left.map((r) => r.id),
        expected,
      )
      const listed = await db.sql<{ n: number }[]>`select count(*)::int as n from job_runner.job_runner_owner_jobs`
      assert.equal(listed[0]!.n, expected.length, 'listings went with their jobs')
      const lines = await db.sql<
        { id: string }[]
      >`select job_id::text as id from job_runner.job_runner_job_logs order by job_id`
      assert.deepEqual(
        lines.map((r) => r.id),
        expected,
        'log lines went with their jobs',
      )
      assert.equal(await pruner.prune(), 0, 'a second run finds nothing')
    })
  })
}
