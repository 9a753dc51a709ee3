/**
 * A job claimed again on the instance where its last run's outcome is still being written: the
 * outcome has requeued it (a retry due within the start lookahead or past its backoff, a yielded
 * time slice due at once) and committed, but the runner has not heard the answer when its next claim
 * brings the job back. That claim is the job's next attempt and must run now, not be dropped and
 * left `running` until its lease expires (the lease here is a minute; the poll too).
 *
 * The race is made certain, not hoped for: the store's write answers only once a claim has taken the
 * job again (the write itself is the real one, on the real database).
 */
import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import { describe, it } from 'node:test'
import { setTimeout as sleep } from 'node:timers/promises'
import count from '../../jobs/count.js'
import { defineJob } from '../../jobs/defineJob.js'
import echo from '../../jobs/echo.js'
import flaky from '../../jobs/flaky.js'
import { JobRegistry } from '../../jobs/registry.js'
import { databaseTargets } from '../support/databases.js'
import { enqueue, expectJson, pollUntil, type ApiJob } from '../support/http.js'
import type { TestService } from '../support/service.js'
import { replaceMethod } from '../support/replaceMethod.js'
import { suiteService } from '../support/suiteService.js'

const sliced = defineJob<{ to: number; stepMs: number }, { cursor: number }>({
  name: 'sliced',
  payloadSchema: count.payloadSchema,
  maxSliceSeconds: 0.2,
  async run({ payload, signal, checkpoint, saveCheckpoint }) {
    let cursor = checkpoint?.cursor ?? 0
    while (cursor < payload.to) {
      signal.throwIfAborted()
      await sleep(payload.stepMs, undefined, { signal })
      cursor += 1
      saveCheckpoint({ cursor })
    }
    return { counted: cursor }
  },
})

type OutcomeWrite = 'failJobs' | 'requeueYieldedJobs'

for (const target of databaseTargets()) {
  describe(`a job claimed again while its outcome settles here (${target.name})`, { timeout: 60_000 }, () => {
    let service: TestService
    // No poll and no lease expiry within the test: a prompt next attempt came from the claim itself.
    const env = { POLL_INTERVAL_MS: '60000', LEASE_SECONDS: '60', RETRY_BASE_MS: '20', CONCURRENCY: '2' }

    suiteService(target, (started) => (service = started), env, { registry: new JobRegistry([echo, flaky, sliced]) })

    /**
     * Makes the store's `write` answer for `id`'s first outcome only after a claim has brought `id`
     * back (an enqueue rings the claim loop, past `waitMs` so a retry's backoff has ended). Resolves
     * with whether a claim did meet the job while its outcome was unanswered.
     */
    const holdFirstAnswer = (write: OutcomeWrite, id: Promise<string>, waitMs: number): Promise<boolean> => {
      const store = service.store as unknown as Record<OutcomeWrite, (params: unknown) => Promise<{ id: string }[]>>
      // Every claim from now on, counted before the job's id is known: the outcome's own wake-up can
      // bring the job back (a retry due within the start lookahead) before the write's answer, or the
      // enqueue's, reaches this code. The first claim is the first attempt's; the second, the one met.
      const claimed: string[] = []
      const stopCounting = service.runner.events.on('jobs:claimed', (e) => claimed.push(...e.jobs.map((job) => job.id)))
      return new Promise((resolve) => {
        const restore = replaceMethod(store, write, (original) => async (params) => {
          const rows = await original(params)
          const held = await id
          if (!rows.some((row) => row.id === held)) return rows
          restore()
          const claimedAgain = () => claimed.filter((claimedId) => claimedId === held).length >= 2
          const reclaimed = (
            claimedAgain()
              ? Promise.resolve()
              : service.runner.events.waitFor('jobs:claimed', claimedAgain, { signal: AbortSignal.timeout(10_000) })
          )
            .then(
              () => true,
              () => false,
            )
            .finally(stopCounting)
          await sleep(waitMs)
          // With an idempotency key, the enqueue is queued and announced: it rings the claim loop (a
          // plain one may start here with no claim).
          await enqueue(service, { type: 'echo' }, { headers: { 'idempotency-key': randomUUID() } })
          resolve(await reclaimed)
          return rows
        })
      })
    }

    /** The next start of `id`, or a rejection after 10 s (its lease, a minute, did not expire). */
    const nextStart = (id: Promise<string>, attempt: (attempts: number) => boolean) =>
      id.then((held) =>
        service.runner.events.waitFor('job:start', (e) => e.job.id === held && attempt(e.job.attempts), {
          signal: AbortSignal.timeout(10_000),
        }),
      )

    it('runs the retry of a failed attempt claimed while the failure settles, not after its lease', async () => {
      let setId!: (id: string) => void
      const id = new Promise<string>((resolve) => (setId = resolve))
      const met = holdFirstAnswer('failJobs', id, 100)
      const second = nextStart(id, (attempts) => attempts === 2)
      const job = await enqueue(service, { type: 'flaky', payload: { failTimes: 1 } })
      setId(job.id)
      assert.equal(await met, true, 'a claim took the retry while its failure was unanswered here')
      await second
      const done = await pollUntil(service, job.id, (j) => j.state === 'succeeded')
      assert.equal(done.attempts, 2)
      const row = await expectJson<ApiJob & { startedAt: string; runAt: string }>(
        await service.request(`/v1/jobs/${job.id}`),
        200,
      )
      assert.ok(Date.parse(row.startedAt) >= Date.parse(row.runAt), 'the retry started no earlier than its runAt')
    })

    it('runs the next slice of a yielded job claimed while its yield settles, not after its lease', async () => {
      let setId!: (id: string) => void
      const id = new Promise<string>((resolve) => (setId = resolve))
      const met = holdFirstAnswer('requeueYieldedJobs', id, 0)
      // Counted from before the enqueue: the first slice may start before its answer reaches the test.
      const started: string[] = []
      let heldId: string | undefined
      const nextSlice = service.runner.events.waitFor(
        'job:start',
        (e) => started.push(e.job.id) > 0 && started.filter((startedId) => startedId === heldId).length === 2,
        { signal: AbortSignal.timeout(10_000) },
      )
      const job = await enqueue(service, { type: 'sliced', payload: { to: 15, stepMs: 20 } })
      heldId = job.id
      setId(job.id)
      assert.equal(await met, true, 'a claim took the yielded job while its yield was unanswered here')
      await nextSlice
      const done = await pollUntil(service, job.id, (j) => j.state === 'succeeded')
      assert.equal((done.result as { counted: number }).counted, 15)
    })
  })
}
