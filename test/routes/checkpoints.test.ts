/**
 * Checkpoints as a resource (issue 23) on each database, against one service: a failed job's
 * checkpoint read with its ETag, edited with If-Match (the job stays failed), retried, and the run
 * resumes from the edit; 428, 412, 409 for a running job (naming its state; once cancelled it may be
 * edited, and stays cancelled), 422 (size, null, schema) and 404 (no job, no checkpoint); a checkpoint of an earlier version migrated on resume, and one of a version with no
 * migration dropped for a fresh start with a warning in the job's log; a saved checkpoint the schema
 * refuses fails the run naming the type; and the history: newest first, at most 10 entries, one
 * over 100 KiB kept by its size alone.
 */
import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import { describe, it } from 'node:test'
import { defineJob, PermanentError } from '../../jobs/defineJob.js'
import { JobRegistry } from '../../jobs/registry.js'
import type { Scope } from '../../src/auth/scopes.js'
import { databaseTargets, onceSkip, ROUTES_THROUGH_THE_STORE } from '../support/databases.js'
import { enqueue, expectJson, expectProblem, pollUntil } from '../support/http.js'
import type { TestService } from '../support/service.js'
import { suiteService } from '../support/suiteService.js'

interface LedgerCheckpoint {
  cursor: number
}

/** Version 2 of its checkpoint: `{cursor}`; version 1 was `{position}`. */
const ledger = defineJob<
  { failFirst?: boolean; bad?: boolean; hold?: boolean },
  LedgerCheckpoint,
  { resumedFrom: number | null }
>({
  name: 'ledger',
  payloadSchema: { type: 'object' },
  defaults: { maxAttempts: 1 },
  checkpointVersion: 2,
  checkpointSchema: {
    type: 'object',
    properties: { cursor: { type: 'integer', minimum: 0 } },
    required: ['cursor'],
    additionalProperties: false,
  },
  migrateCheckpoint(old, fromVersion) {
    if (fromVersion !== 1) throw new Error(`no migration from version ${fromVersion}`)
    return { cursor: (old as { position: number }).position }
  },
  async run({ payload, checkpoint, saveCheckpoint, flush, signal }) {
    if (payload.hold) {
      saveCheckpoint({ cursor: 1 })
      await flush()
      // Runs until its token fires (a cancel).
      await new Promise((_, reject) => signal.addEventListener('abort', () => reject(signal.reason as Error)))
    }
    if (payload.bad) saveCheckpoint({ cursor: 'one' } as unknown as LedgerCheckpoint)
    if (payload.failFirst && checkpoint === undefined) {
      saveCheckpoint({ cursor: 1 })
      await flush()
      throw new PermanentError('stopped after the first step')
    }
    return { resumedFrom: checkpoint?.cursor ?? null }
  },
})

/** At version 3 with no migration: an older checkpoint cannot be read, so the run starts fresh. */
const legacy = defineJob<Record<string, never>, unknown, { resumedFrom: unknown }>({
  name: 'legacy',
  payloadSchema: { type: 'object' },
  checkpointVersion: 3,
  async run({ checkpoint }) {
    return { resumedFrom: checkpoint ?? null }
  },
})

interface HistoryEntry {
  writtenAt: string
  version: number
  source: string
  bytes: number
  checkpoint: unknown
}

const LATER = new Date(Date.now() + 3_600_000).toISOString()

for (const target of databaseTargets()) {
  describe(
    `job checkpoints as a resource (${target.name})`,
    { skip: onceSkip(target, ROUTES_THROUGH_THE_STORE) },
    () => {
      let service: TestService

      suiteService(target, (started) => (service = started), {}, { registry: new JobRegistry([ledger, legacy]) })

      // Another owner, without admin (which sees every owner's jobs).
      const mallory = { sub: 'mallory', scopes: ['jobs:read', 'jobs:write'] as Scope[] }
      const getCheckpoint = (id: string, as = {}) => service.request(`/v1/jobs/${id}/checkpoint`, as)
      const putCheckpoint = (id: string, body: unknown, ifMatch?: string) =>
        service.request(`/v1/jobs/${id}/checkpoint`, {
          method: 'PUT',
          body: JSON.stringify(body),
          headers: ifMatch === undefined ? {} : { 'if-match': ifMatch },
        })
      const history = async (id: string) =>
        (await expectJson<{ checkpoints: HistoryEntry[] }>(await service.request(`/v1/jobs/${id}/checkpoints`), 200))
          .checkpoints
      const failedLedger = async () => {
        const job = await enqueue(service, { type: 'ledger', payload: { failFirst: true } })
        await pollUntil(service, job.id, (j) => j.state === 'failed')
        return job.id
      }
      /** Stores a checkpoint as an earlier deploy of the type would have written it. */
      const storeAsEarlierDeploy = (id: string, checkpoint: unknown, version: number) =>
        service.db.sql`
        update job_runner.job_runner_jobs set checkpoint = ${service.db.sql.json(checkpoint as never)}, checkpoint_version = ${version}
        where id = ${id}`

      it('lets an operator fix a failed job’s cursor and retry it: the run resumes from the edit', async () => {
        const id = await failedLedger()
        const read = await getCheckpoint(id)
        assert.deepEqual(await expectJson(read, 200), { cursor: 1 })
        const etag = read.headers.get('etag')!
        assert.match(etag, /^"[0-9a-f]{32}"$/)
        assert.equal(read.headers.get('checkpoint-version'), '2')

        const put = await putCheckpoint(id, { cursor: 42 }, etag)
        assert.deepEqual(await expectJson(put, 200), { cursor: 42 })
        const newEtag = put.headers.get('etag')!
        assert.notEqual(newEtag, etag)
        const edited = await getCheckpoint(id)
        assert.deepEqual(await edited.json(), { cursor: 42 })
        assert.equal(edited.headers.get('etag'), newEtag)
        // The job stays failed until the operator retries it.
        assert.equal((await expectJson(await service.request(`/v1/jobs/${id}`), 200)).state, 'failed')
        // The stale tag no longer matches.
        await expectProblem(await putCheckpoint(id, { cursor: 7 }, etag), 412, 'precondition-failed')

        await expectJson(await service.request(`/v1/jobs/${id}/retry`, { method: 'POST' }), 200)
        const done = await pollUntil(service, id, (j) => j.state === 'succeeded')
        assert.deepEqual(done.result, { resumedFrom: 42 })

        const entries = await history(id)
        assert.deepEqual(
          entries.map((e) => [e.source, e.version, e.checkpoint]),
          [
            ['operator', 2, { cursor: 42 }],
            ['run', 2, { cursor: 1 }],
          ],
        )
        assert.ok(entries.every((e) => !Number.isNaN(Date.parse(e.writtenAt)) && e.bytes > 0))

        // Succeeded: its checkpoint is kept, but no longer replaceable.
        const problem = await expectProblem(
          await putCheckpoint(id, { cursor: 1 }, (await getCheckpoint(id)).headers.get('etag')!),
          409,
          'checkpoint-not-editable',
        )
        assert.match(problem.detail!, /is succeeded/)
      })

      it('refuses a write without If-Match (428), over the size limit, null or against the schema (422), naming the problem', async () => {
        const id = await failedLedger()
        const etag = (await getCheckpoint(id)).headers.get('etag')!
        await expectProblem(await putCheckpoint(id, { cursor: 2 }), 428, 'precondition-required')
        const tooBig = await expectProblem(
          await putCheckpoint(id, { cursor: 2, pad: 'x'.repeat(300_000) }, etag),
          422,
          'invalid-checkpoint',
        )
        assert.match(tooBig.detail!, /over the limit of 262144 bytes/)
        await expectProblem(await putCheckpoint(id, null, etag), 422, 'invalid-checkpoint')
        const refused = await expectProblem(await putCheckpoint(id, { cursor: 'two' }, etag), 422, 'invalid-checkpoint')
        assert.match(refused.detail!, /checkpointSchema of ledger/)
        assert.deepEqual(
          refused.errors?.map((e) => e.pointer),
          ['/cursor'],
        )
        await expectProblem(await putCheckpoint(id, { cursor: 2 }, '"not-the-tag"'), 412, 'precondition-failed')
        // Nothing was written by any of them.
        assert.deepEqual(await (await getCheckpoint(id)).json(), { cursor: 1 })
        assert.equal((await history(id)).length, 1)
        // `*` matches the checkpoint whatever it is.
        await expectJson(await putCheckpoint(id, { cursor: 3 }, '*'), 200)
      })

      it('answers 404 saying whether the job or its checkpoint is missing; another owner sees no job', async () => {
        const queued = await enqueue(service, { type: 'ledger', payload: {}, runAt: LATER })
        const none = await expectProblem(await getCheckpoint(queued.id), 404, 'not-found')
        assert.match(none.detail!, new RegExp(`job ${queued.id} \\(queued\\) has no checkpoint`))
        // Nothing to replace: If-Match * matches no checkpoint.
        await expectProblem(await putCheckpoint(queued.id, { cursor: 5 }, '*'), 412, 'precondition-failed')
        const id = await failedLedger()
        const other = await expectProblem(await getCheckpoint(id, mallory), 404, 'not-found')
        assert.match(other.detail!, /no job/)
        const otherPut = await service.request(`/v1/jobs/${id}/checkpoint`, {
          ...mallory,
          method: 'PUT',
          body: '{"cursor":9}',
          headers: { 'if-match': '*' },
        })
        await expectProblem(otherPut, 404, 'not-found')
        await expectProblem(await service.request(`/v1/jobs/${id}/checkpoints`, mallory), 404, 'not-found')
      })

      it('refuses to replace a running job’s checkpoint (409 naming the state); once cancelled it may, and it stays cancelled', async () => {
        const job = await enqueue(service, { type: 'ledger', payload: { hold: true } })
        await pollUntil(service, job.id, (j) => j.state === 'running' && j.checkpoint !== null)
        const etag = (await getCheckpoint(job.id)).headers.get('etag')!
        const problem = await expectProblem(
          await putCheckpoint(job.id, { cursor: 5 }, etag),
          409,
          'checkpoint-not-editable',
        )
        assert.match(problem.detail!, /is running; .* only while it is paused, queued, failed, cancelled/)
        await expectJson(await service.request(`/v1/jobs/${job.id}/cancel`, { method: 'POST' }), 202)
        await pollUntil(service, job.id, (j) => j.state === 'cancelled')
        const cancelledTag = (await getCheckpoint(job.id)).headers.get('etag')!
        await expectJson(await putCheckpoint(job.id, { cursor: 5 }, cancelledTag), 200)
        assert.equal((await expectJson(await service.request(`/v1/jobs/${job.id}`), 200)).state, 'cancelled')
      })

      it('migrates a checkpoint of an earlier version when the run resumes, and stores it in the new version', async () => {
        const id = await failedLedger()
        await storeAsEarlierDeploy(id, { position: 7 }, 1)
        const read = await getCheckpoint(id)
        assert.equal(read.headers.get('checkpoint-version'), '1')
        await expectJson(await service.request(`/v1/jobs/${id}/retry`, { method: 'POST' }), 200)
        const done = await pollUntil(service, id, (j) => j.state === 'succeeded')
        assert.deepEqual(done.result, { resumedFrom: 7 })
        assert.deepEqual([done.checkpoint, done.checkpointVersion], [{ cursor: 7 }, 2])
      })

      it('starts fresh with a warning in the job’s log when a checkpoint’s version has no migration (or it throws)', async () => {
        const job = await enqueue(service, { type: 'legacy', payload: {}, runAt: LATER })
        await storeAsEarlierDeploy(job.id, { page: 12 }, 1)
        await service.db.sql`update job_runner.job_runner_jobs set run_at = now() where id = ${job.id}`
        const done = await pollUntil(service, job.id, (j) => j.state === 'succeeded')
        assert.deepEqual(done.result, { resumedFrom: null })
        const { lines } = await expectJson<{ lines: { level: string; message: string }[] }>(
          await service.request(`/v1/jobs/${job.id}/logs`),
          200,
        )
        assert.deepEqual(
          lines.map((l) => [l.level, l.message]),
          [
            [
              'warn',
              'starting fresh: the stored checkpoint is of version 1 and legacy is now at version 3, with no migrateCheckpoint',
            ],
          ],
        )

        const id = await failedLedger()
        await storeAsEarlierDeploy(id, { cursor: 4 }, 5)
        await expectJson(await service.request(`/v1/jobs/${id}/retry`, { method: 'POST' }), 200)
        const fresh = await pollUntil(service, id, (j) => j.state === 'failed' && (j.retries as number) === 1)
        // Fresh: it failed its first step again, from no checkpoint.
        assert.deepEqual(fresh.checkpoint, { cursor: 1 })
        const logged = await expectJson<{ lines: { message: string }[] }>(
          await service.request(`/v1/jobs/${id}/logs`),
          200,
        )
        assert.match(logged.lines.at(-1)!.message, /version 5 .* migrateCheckpoint threw: no migration from version 5/)
      })

      it('fails a run whose saved checkpoint its type’s schema refuses, naming the type', async () => {
        const job = await enqueue(service, { type: 'ledger', payload: { bad: true } })
        const failed = await pollUntil(service, job.id, (j) => j.state === 'failed')
        assert.match(failed.error as string, /job type ledger: saveCheckpoint refused .* \/cursor must be integer/)
      })

      it('keeps the last 10 checkpoints, one over 100 KiB by its size alone', async () => {
        const [queued] = await service.store.enqueueJobs({
          owner: 'alice',
          jobs: [
            {
              type: 'ledger',
              queue: 'served-elsewhere',
              payload: {},
              priority: 0,
              maxAttempts: 1,
              maxInterruptions: 1,
              timeoutSeconds: null,
              runAt: null,
              idempotencyKey: null,
              requestHash: null,
            },
          ],
        })
        const id = queued!.job.id
        const instanceId = randomUUID()
        const [claimed] = await service.store.claimJobs({
          instanceId,
          queues: ['served-elsewhere'],
          limit: 1,
          leaseMs: 600_000,
        })
        const write = (checkpoint: unknown, changed = true) =>
          service.store.writeCheckpoints({
            instanceId,
            jobs: [
              {
                id,
                attempt: claimed!.attempts,
                checkpoint: checkpoint as never,
                checkpointVersion: 2,
                progress: null,
                changed,
              },
            ],
          })
        for (let cursor = 1; cursor <= 12; cursor++) await write({ cursor })
        // A write whose checkpoint did not change (progress, log lines) adds nothing.
        await write({ cursor: 12 }, false)
        let entries = await history(id)
        assert.deepEqual(
          entries.map((e) => (e.checkpoint as LedgerCheckpoint).cursor),
          [12, 11, 10, 9, 8, 7, 6, 5, 4, 3],
        )
        await write({ cursor: 13, pad: 'x'.repeat(102_400) })
        await write({ cursor: 14, pad: 'y'.repeat(100_000) })
        entries = await history(id)
        assert.equal(entries.length, 10)
        assert.deepEqual(
          entries
            .slice(0, 3)
            .map((e) => [(e.checkpoint as LedgerCheckpoint | null)?.cursor ?? null, e.bytes > 102_400]),
          [
            [14, false],
            [null, true],
            [12, false],
          ],
        )
      })

      it('shows checkpointVersion and checkpointSchema in GET /v1/job-types', async () => {
        const { jobTypes } = await expectJson<{ jobTypes: Record<string, unknown>[] }>(
          await service.request('/v1/job-types'),
          200,
        )
        const byName = new Map(jobTypes.map((t) => [t.name, t]))
        assert.equal(byName.get('ledger')!.checkpointVersion, 2)
        assert.deepEqual(byName.get('ledger')!.checkpointSchema, ledger.checkpointSchema)
        assert.equal(byName.get('legacy')!.checkpointVersion, 3)
        assert.equal('checkpointSchema' in byName.get('legacy')!, false)
      })
    },
  )
}
