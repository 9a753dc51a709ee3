/**
 * The engine without HTTP: database → store → notifier → registry → job service → runner(s), built
 * by hand so a test controls every knob (lease, intervals, backoff) and can start a second runner,
 * or a runner that has not started yet. `close()` stops every runner it made and closes the database.
 */
import assert from 'node:assert/strict'
import type { TestDatabase } from './databases.js'
import { captureLogs, type CapturedLogs } from './logs.js'
import { holdDriverFaultSkip } from './driverFaults.js'
import { connectDatabase } from '../../src/db/connect.js'
import type { Database } from '../../src/db/database.js'
import { JobService } from '../../src/queue/jobService.js'
import { Notifier } from '../../src/queue/notifier.js'
import { JobStore, type NewJob } from '../../src/queue/store.js'
import { Runner, type RunnerConfig, type RunnerDependencies } from '../../src/runner/runner.js'
import type { RunnerEvents } from '../../src/runner/events.js'
import { PauseBoard } from '../../src/queue/pauses.js'
import { PauseStore } from '../../src/queue/pauseStore.js'
import type { ClaimCounts } from './claimCounts.js'
import { JobRegistry, loadJobRegistry, type AnyJobDefinition } from '../../jobs/registry.js'

export const ENGINE_DEFAULTS: RunnerConfig = {
  concurrency: 4,
  queues: ['default'],
  leaseMs: 1500,
  checkpointIntervalMs: 100,
  pollIntervalMs: 200,
  retryBaseMs: 20,
  sweepIntervalMs: 100,
}

export interface Engine {
  readonly db: Database
  readonly store: JobStore
  readonly notifier: Notifier
  readonly registry: JobRegistry
  readonly jobs: JobService
  readonly logs: CapturedLogs
  /** A runner on this engine's connection, not started (with `pauses`, it heeds them); `close()` stops it. */
  newRunner(config?: Partial<RunnerConfig>, deps?: Pick<RunnerDependencies, 'pauses'>): Runner
  /** Stops every runner made so far (between tests that share the engine). */
  stopRunners(): Promise<void>
  close(): Promise<void>
}

export interface EngineOptions {
  /** Job definitions added to the shipped ones. */
  extraJobs?: readonly AnyJobDefinition[]
  maxConnections?: number
}

export async function openEngine(
  database: TestDatabase,
  { extraJobs = [], maxConnections }: EngineOptions = {},
): Promise<Engine> {
  // As the service connects: through PgBouncer when the run has one (test/support/databases.ts).
  const db = await connectDatabase({ ...database.serviceConnection, ...(maxConnections ? { maxConnections } : {}) })
  const store = new JobStore(db.sql, db.schema)
  const notifier = new Notifier(db)
  await notifier.start()
  const shipped = await loadJobRegistry()
  const registry = new JobRegistry([...shipped.names().map((name) => shipped.get(name)!), ...extraJobs])
  const jobs = new JobService(store, registry, notifier)
  const logs = captureLogs('warn')
  const runners: Runner[] = []
  const stopRunners = async () => {
    await Promise.allSettled(runners.splice(0).map((runner) => runner.stop({ graceMs: 2000 })))
  }
  // Suites that cut the engine's connections (its LISTEN's, with pg_terminate_backend) meet the
  // driver's fault as a service would: skipped, as main.ts does (driverFaults.ts).
  const releaseDriverFaultSkip = holdDriverFaultSkip()
  return {
    db,
    store,
    notifier,
    registry,
    jobs,
    logs,
    newRunner(config = {}, deps = {}) {
      const runner = new Runner(
        { ...ENGINE_DEFAULTS, ...config },
        { store, notifier, registry, log: logs.log, ...deps },
      )
      runners.push(runner)
      return runner
    },
    stopRunners,
    async close() {
      try {
        await stopRunners()
        await notifier.stop()
        await db.close({ timeoutSeconds: 1 })
      } finally {
        releaseDriverFaultSkip()
      }
    },
  }
}

/** A job row as the store takes it, with the defaults of a plain `echo`. */
export function newJob(fields: Partial<NewJob> = {}): NewJob {
  return {
    type: 'echo',
    queue: 'default',
    payload: {},
    priority: 0,
    maxAttempts: 3,
    maxInterruptions: 20,
    timeoutSeconds: null,
    runAt: null,
    idempotencyKey: null,
    requestHash: null,
    ...fields,
  }
}

/** Resolves with the `job:settled` event of job `id` on `runner`. Register it before the job can settle. */
export function settled(runner: Runner, id: string): Promise<RunnerEvents['job:settled']> {
  return runner.events.waitFor('job:settled', (event) => event.job.id === id)
}

/** The cluster's pauses on this engine's database: their store, and a started board that follows them. */
export async function openPauses(engine: Engine): Promise<{ store: PauseStore; board: PauseBoard }> {
  const store = new PauseStore(engine.db.sql, engine.db.schema)
  const board = new PauseBoard({ store, notifier: engine.notifier, onError: () => {} })
  await board.start()
  return { store, board }
}

/**
 * Resolves once `runner` would start a plain job where it is enqueued (src/runner/localStarts.ts):
 * its last claim found the queue empty. `claims` counts the store's claims meanwhile. The probe's
 * reservation is cancelled, as a failed insert's is.
 */
export async function untilOffering(runner: Runner, claims: ClaimCounts): Promise<void> {
  for (;;) {
    const answered = claims.nextPlainAnswer()
    const offer = runner.reserveStarts([newJob()])
    if (offer) return offer.cancel()
    await answered
  }
}

/**
 * Teaches a started one-slot runner a start rate, so that its local queue wants jobs ahead of its
 * slot, then takes the slot with a job of `holderType` (a gated job, holding it until its gate opens).
 * Resolves with the holder's id.
 */
export async function holdTheOneSlot(engine: Engine, runner: Runner, holderType: string): Promise<string> {
  // Heard from before the enqueues: the notice may reach the runner before the enqueue's answer is
  // read here, and a job run and settle by then (waiting for settles registered after it once hung
  // a test on a loaded machine).
  const settledIds = new Set<string>()
  let settledOne = () => {}
  const stopListening = runner.events.on('job:settled', ({ job }) => {
    settledIds.add(job.id)
    settledOne()
  })
  const holderStarted = runner.events.waitFor('job:start', (e) => e.job.type === holderType)
  try {
    const quick = await engine.jobs.enqueue({
      owner: 'alice',
      jobs: Array.from({ length: 50 }, (_, i) => ({ type: 'echo', payload: i })),
    })
    while (!quick.every(({ job }) => settledIds.has(job.id))) {
      await new Promise<void>((resolve) => (settledOne = resolve))
    }
  } finally {
    stopListening()
  }
  const [holder] = await engine.jobs.enqueue({ owner: 'alice', jobs: [{ type: holderType }] })
  assert.equal((await holderStarted).job.id, holder!.job.id)
  return holder!.job.id
}
