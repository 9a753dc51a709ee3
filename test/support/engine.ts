/**
 * The engine without HTTP: database → store → notifier → registry → job service → runner(s), built
 * by hand so a test controls every knob (lease, intervals, backoff) and can start a second runner,
 * or a runner that has not started yet. `close()` stops every runner it made and closes the database.
 */
import type { TestDatabase } from './databases.js'
import { captureLogs, type CapturedLogs } from './logs.js'
import { holdDriverFaultSkip } from './driverFaults.js'
import { connectDatabase } from '../../src/db/connect.js'
import type { Database } from '../../src/db/database.js'
import { JobService } from '../../src/queue/jobService.js'
import { Notifier } from '../../src/queue/notifier.js'
import { JobStore, type NewJob } from '../../src/queue/store.js'
import { Runner, type RunnerConfig } from '../../src/runner/runner.js'
import type { RunnerEvents } from '../../src/runner/events.js'
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
  /** A runner on this engine's connection, not started; `close()` stops it. */
  newRunner(config?: Partial<RunnerConfig>): Runner
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
    newRunner(config = {}) {
      const runner = new Runner({ ...ENGINE_DEFAULTS, ...config }, { store, notifier, registry, log: logs.log })
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
