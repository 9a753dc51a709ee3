/**
 * The lease fence is the claim's, not the instance's. An outage (or a blocked event loop) longer
 * than the lease lets a sweep recover a job this instance still runs or is still writing the
 * outcome of; this same instance may then claim it again. Every write of the lost claim must be
 * refused, and the job must never run twice at once here, nor start again after a success was
 * written: the database-fault test once saw a job started again after its outcome `succeeded`,
 * a claim having committed before that outcome while its answer was read after it.
 *
 * The races are made certain, not hoped for: the store's writes are held at the right moment
 * (the writes themselves are the real ones, on the real database), and the lease is expired and
 * swept by hand, as an outage would have it.
 */
import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import { describe, it } from 'node:test'
import { defineJob } from '../../jobs/defineJob.js'
import echo from '../../jobs/echo.js'
import { JobRegistry } from '../../jobs/registry.js'
import { databaseTargets } from '../support/databases.js'
import { enqueue, pollUntil } from '../support/http.js'
import { parseMetrics, valueOf } from '../support/prometheus.js'
import type { TestService } from '../support/service.js'
import { replaceMethod } from '../support/replaceMethod.js'
import { suiteService } from '../support/suiteService.js'

/** Returns the attempt it ran as at once. */
const quick = defineJob<Record<string, never>>({
  name: 'quick',
  payloadSchema: { type: 'object' },
  run: async ({ attempt }) => ({ attempt }),
})

/** Runs until its token fires, unless told which attempt may finish (`finishOn`); counts runs at once. */
let runningNow = 0
let mostAtOnce = 0
const stuck = defineJob<{ finishOn: number }>({
  name: 'stuck',
  payloadSchema: { type: 'object', properties: { finishOn: { type: 'integer' } }, required: ['finishOn'] },
  async run({ attempt, payload, signal }) {
    runningNow += 1
    mostAtOnce = Math.max(mostAtOnce, runningNow)
    try {
      if (attempt !== payload.finishOn) {
        await new Promise((_, reject) => signal.addEventListener('abort', () => reject(signal.reason), { once: true }))
      }
      return { attempt }
    } finally {
      runningNow -= 1
    }
  },
})

for (const target of databaseTargets()) {
  describe(
    `a job claimed again by the instance whose lease on it was lost (${target.name})`,
    { timeout: 60_000 },
    () => {
      let service: TestService
      // No poll and no lease expiry of its own within the test: the sweep is the test's.
      const env = { POLL_INTERVAL_MS: '60000', LEASE_SECONDS: '60', CONCURRENCY: '3' }

      suiteService(target, (started) => (service = started), env, { registry: new JobRegistry([echo, quick, stuck]) })

      /**
       * What an outage longer than the lease leads to: the job's lease expires and a sweep recovers it.
       * The sweep is the test's, but the instance's own timers run meanwhile: its sweeper (each second)
       * may meet the expired lease first, which the row's error then says; its lease keeper may renew
       * the lease between the two statements, and then the lease is expired again.
       */
      const loseLease = async (id: string) => {
        for (let tries = 1; ; tries++) {
          await service.db.sql`
          update job_runner.job_runner_jobs set lease_expires_at = now() - interval '1 second' where id = ${id}`
          const recovered = await service.store.recoverExpiredLeases()
          if (recovered.length > 0) {
            assert.deepEqual(
              recovered.map((r) => [r.id, r.state]),
              [[id, 'queued']],
            )
            return
          }
          const [row] = await service.db.sql<{ error: string | null }[]>`
          select error from job_runner.job_runner_jobs where id = ${id}`
          if (/^runner lost: the lease of instance .* expired$/.test(String(row?.error))) return
          // Renewed in between: the keeper runs every 20 s here, so this happens at most once in a test.
          assert.ok(tries < 3, `job ${id}: no sweep recovered its expired lease (its error: ${row?.error})`)
        }
      }

      /**
       * Rings the claim loop (its poll is a minute away) as a new enqueue does: one with an idempotency
       * key, which is always queued and announced (a plain one may start here with no claim).
       */
      const ringClaim = () => enqueue(service, { type: 'echo' }, { headers: { 'idempotency-key': randomUUID() } })

      it('refuses the outcome of the lost claim even when the claim after it is answered last, and runs the job once more', async () => {
        let jobId!: string
        const idKnown = new Promise<void>((resolve) => {
          void enqueue(service, { type: 'quick' }).then((job) => {
            jobId = job.id
            resolve()
          })
        })
        // The claim that takes the job again commits, but its answer is read only after the outcome's.
        let releaseClaim!: () => void
        const claimAnswerHeld = new Promise<void>((resolve) => (releaseClaim = resolve))
        let claimedAgain!: () => void
        const claimCommitted = new Promise<void>((resolve) => (claimedAgain = resolve))
        const restoreClaim = replaceMethod(service.store, 'claimJobs', (claim) => async (params) => {
          const jobs = await claim(params)
          await idKnown
          if (!jobs.some((job) => job.id === jobId && job.attempts === 2)) return jobs
          restoreClaim()
          claimedAgain()
          await claimAnswerHeld
          return jobs
        })
        // Every job's, filtered once the id is known: the job may start here before its enqueue answers.
        const settles: { id: string; outcome: string }[] = []
        const allStarts: { id: string; attempts: number }[] = []
        const offs = [
          service.runner.events.on('job:settled', ({ job, outcome }) => void settles.push({ id: job.id, outcome })),
          service.runner.events.on(
            'job:start',
            ({ job }) => void allStarts.push({ id: job.id, attempts: job.attempts }),
          ),
        ]
        const outcomes = () => settles.filter((s) => s.id === jobId).map((s) => s.outcome)
        const starts = () => allStarts.filter((s) => s.id === jobId).map((s) => s.attempts)
        // The first run's success is written only once its lease was lost and the job claimed again here.
        const restoreComplete = replaceMethod(service.store, 'completeJobs', (complete) => async (params) => {
          await idKnown
          if (!params.completions.some((c) => c.id === jobId)) return complete(params)
          restoreComplete()
          await loseLease(jobId)
          await ringClaim()
          await claimCommitted
          const written = await complete(params)
          assert.ok(!written.includes(jobId), 'the outcome of the lost claim is refused')
          // The claim's answer is read after the outcome's.
          setImmediate(releaseClaim)
          return written
        })
        try {
          await idKnown
          const done = await pollUntil(
            service,
            jobId,
            (job) => job.state === 'succeeded' && outcomes().includes('succeeded'),
          )
          assert.deepEqual(done.result, { attempt: 2 }, 'the outcome written is the second claim’s run')
          assert.equal(done.attempts, 2)
          assert.deepEqual(starts(), [1, 2])
          assert.deepEqual(outcomes(), ['lost', 'succeeded'], 'no start after the success')
          const metrics = parseMetrics(await (await service.request('/metrics', { scopes: ['admin'] })).text())
          const counted = (name: string) => valueOf(metrics, name, { type: 'quick', queue: 'default' })
          assert.deepEqual([counted('job_runner_jobs_lost_total'), counted('job_runner_jobs_succeeded_total')], [1, 1])
        } finally {
          restoreComplete()
          restoreClaim()
          offs.forEach((off) => off())
        }
      })

      it('stops a run whose job it claimed again, and runs the new claim only once that run has returned', async () => {
        runningNow = 0
        mostAtOnce = 0
        const firstStarted = service.runner.events.waitFor('job:start', (e) => e.job.type === 'stuck')
        const job = await enqueue(service, { type: 'stuck', payload: { finishOn: 2 } })
        await firstStarted
        const starts: number[] = []
        const off = service.runner.events.on('job:start', (e) => {
          if (e.job.id === job.id) starts.push(e.job.attempts)
        })
        try {
          await loseLease(job.id)
          await ringClaim()
          const done = await pollUntil(service, job.id, (j) => j.state === 'succeeded')
          assert.deepEqual(done.result, { attempt: 2 })
          assert.equal(done.attempts, 2, 'the lost lease counts its attempt, the new claim one more')
          assert.deepEqual(starts, [2])
          assert.equal(mostAtOnce, 1, 'never two live runs of the job here')
          const superseded = service.logs
            .records()
            .filter((r) => r.jobId === job.id && /lease lost, and the job claimed again here since/.test(String(r.msg)))
          assert.equal(superseded.length, 1, 'the run of the lost claim was stopped')
        } finally {
          off()
        }
      })
    },
  )
}
