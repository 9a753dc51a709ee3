/**
 * A harness for the people who write jobs (`import { testJob } from 'job-runner/testing'`), after
 * River's `rivertest`: it runs one job definition with the runner's own job context — the same
 * `JobExecution` the service uses, so `signal`, `saveCheckpoint`, `flush`, `progress` and `log`
 * behave as in production — but with no server and no database. The test aborts the run with a
 * reason, and reads every checkpoint, progress report and log line, and the outcome the runner would
 * write: succeeded, interrupted (back to the queue with its checkpoint), cancelled, retry (after a
 * delay) or failed.
 *
 * @example
 * const run = testJob(count, { payload: { to: 100, stepMs: 1 } })
 * await run.untilCheckpoint(3)
 * run.abort('shutdown')
 * const { state, checkpoint } = await run.outcome // 'interrupted', { cursor: 2, runs: 1 }
 * const again = await testJob(count, { payload: { to: 100, stepMs: 1 }, checkpoint }).outcome
 *
 * A type's `checkpointSchema` holds here as in the service (`saveCheckpoint` throws for a checkpoint
 * that fails it), and so do `checkpointVersion` and `migrateCheckpoint`: give `checkpointVersion`
 * with an earlier `checkpoint` to see what a run after a deploy resumes from (`run.resumedFrom`).
 */
import type { AbortReason, JobDefinition } from '../../jobs/defineJob.js'
import { JobRegistry, type PayloadProblem } from '../../jobs/registry.js'
import { createLogger } from '../log.js'
import type { Json, JobProgress, OwnedJob } from '../queue/job.js'
import { JobExecution, type Settlement } from '../runner/jobExecution.js'
import { decideRetry } from '../runner/retryPolicy.js'

export interface TestJobOptions<Payload, Checkpoint> {
  readonly payload: Payload
  /** The state an earlier run saved: the run starts from it, as a resumed job does. */
  readonly checkpoint?: Checkpoint
  /**
   * The version of the job type's checkpoint shape `checkpoint` was saved in (default: the type's
   * `checkpointVersion`). Another version goes through the type's `migrateCheckpoint`, or the run
   * starts fresh with a warning in `logs`, as in the service.
   */
  readonly checkpointVersion?: number
  /** The attempt this run is (default 1): retry policies and `maxAttempts` read it. */
  readonly attempt?: number
  /** Default: the job type's `defaults.timeoutSeconds`. */
  readonly timeoutSeconds?: number | null
  readonly jobId?: string
  /** The job's `concurrencyKey`, as `ctx.job` shows it (default none). */
  readonly concurrencyKey?: string
  /** Checks the payload against the job's `payloadSchema` first, as an enqueue would (default true). */
  readonly validatePayload?: boolean
  /** The service's `RETRY_BASE_MS` for a job without its own backoff (default 1000). */
  readonly retryBaseMs?: number
}

/** What the runner would write for this run. */
export type TestJobOutcome<Checkpoint, Result> =
  | { readonly state: 'succeeded'; readonly result: Result; readonly checkpoint: Checkpoint | undefined }
  /** Stopped on a `shutdown` token: back to the queue with its checkpoint, the attempt refunded. */
  | { readonly state: 'interrupted'; readonly error: Error; readonly checkpoint: Checkpoint | undefined }
  | { readonly state: 'cancelled'; readonly error: Error; readonly checkpoint: Checkpoint | undefined }
  /** A failed attempt with attempts left: queued again after `retryDelayMs`. */
  | {
      readonly state: 'retry'
      readonly error: Error
      readonly retryDelayMs: number
      readonly checkpoint: Checkpoint | undefined
    }
  | { readonly state: 'failed'; readonly error: Error; readonly checkpoint: Checkpoint | undefined }

/** A log line the job wrote through `ctx.log`, as pino made it. */
export interface TestLogLine {
  readonly level: 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'fatal'
  readonly msg: string | undefined
  readonly [field: string]: unknown
}

/** A payload the job's schema refuses: the 422 an enqueue would answer. */
export class InvalidPayloadError extends Error {
  override name = 'InvalidPayloadError'
  constructor(
    readonly job: string,
    readonly problems: readonly PayloadProblem[],
  ) {
    super(`payload for ${job} is invalid: ${problems.map((p) => `${p.pointer} ${p.message}`).join('; ')}`)
  }
}

const LEVELS: Record<number, TestLogLine['level']> = {
  10: 'trace',
  20: 'debug',
  30: 'info',
  40: 'warn',
  50: 'error',
  60: 'fatal',
}

export class TestJobRun<Checkpoint, Result> {
  /** Every state passed to `saveCheckpoint`, in order. */
  readonly checkpoints: Checkpoint[] = []
  /** Every `progress` report, in order. */
  readonly progress: JobProgress[] = []
  readonly logs: TestLogLine[] = []
  /** The checkpoint as each `flush()` wrote it. */
  readonly flushes: (Checkpoint | undefined)[] = []
  /** Resolves with what the runner would write; never rejects for the job's own errors. */
  readonly outcome: Promise<TestJobOutcome<Checkpoint, Result>>
  readonly #execution: JobExecution
  readonly #waiters: { count: number; resolve: () => void }[] = []

  constructor(definition: JobDefinition<unknown, unknown, unknown>, options: TestJobOptions<unknown, Checkpoint>) {
    if (options.validatePayload !== false) {
      const problems = new JobRegistry([definition]).validatePayload(definition.name, options.payload)
      if (problems.length > 0) throw new InvalidPayloadError(definition.name, problems)
    }
    const attempt = options.attempt ?? 1
    const job = testJobRow(definition, options, attempt)
    const log = createLogger({
      level: 'trace',
      pretty: false,
      destination: { write: (line: string) => void this.logs.push(readLogLine(line)) },
    })
    this.#execution = new JobExecution(
      job,
      definition,
      log,
      async (execution) => {
        this.flushes.push((execution.currentState().checkpoint ?? undefined) as Checkpoint | undefined)
      },
      undefined,
      (execution) => {
        const progress = execution.currentState().progress
        if (progress) this.progress.push(progress)
      },
    )
    // Every checkpoint is recorded as it is saved, through the execution the runner uses.
    const save = this.#execution.saveCheckpoint.bind(this.#execution)
    this.#execution.saveCheckpoint = (state) => {
      save(state)
      this.checkpoints.push((state ?? undefined) as Checkpoint)
      for (const waiter of this.#waiters.filter((w) => this.checkpoints.length >= w.count)) waiter.resolve()
    }
    this.#execution.start()
    const retryBaseMs = options.retryBaseMs ?? 1000
    this.outcome = this.#execution.settled.then((settlement) =>
      this.decide(settlement, definition, attempt, retryBaseMs),
    )
  }

  /** Fires the job's token with `reason`, as a SIGTERM (`shutdown`), a cancel or a timeout would. */
  abort(reason: AbortReason): void {
    this.#execution.abort(reason)
  }

  /** The checkpoint the run started from: the one given, migrated, or undefined for a fresh start. */
  get resumedFrom(): Checkpoint | undefined {
    return (this.#execution.resumedCheckpoint ?? undefined) as Checkpoint | undefined
  }

  /** The checkpoint saved last, or the one the run started from. */
  get checkpoint(): Checkpoint | undefined {
    return (this.#execution.currentState().checkpoint ?? undefined) as Checkpoint | undefined
  }

  /** Resolves once the job has saved `count` checkpoints (the moment to abort it mid-way). */
  untilCheckpoint(count = 1): Promise<void> {
    if (this.checkpoints.length >= count) return Promise.resolve()
    return new Promise((resolve) => this.#waiters.push({ count, resolve }))
  }

  private decide(
    settlement: Settlement,
    definition: JobDefinition<unknown, unknown, unknown>,
    attempt: number,
    retryBaseMs: number,
  ): TestJobOutcome<Checkpoint, Result> {
    const checkpoint = this.checkpoint
    if (settlement.kind === 'resolved') return { state: 'succeeded', result: settlement.result as Result, checkpoint }
    const { error } = settlement
    const reason = this.#execution.abortReason
    if (reason === 'shutdown') return { state: 'interrupted', error, checkpoint }
    if (reason === 'cancelled') return { state: 'cancelled', error, checkpoint }
    const decision = decideRetry(definition, attempt, error, {
      defaultBaseMs: retryBaseMs,
      onPolicyError: (policyError) => {
        throw policyError
      },
    })
    if (decision.giveUp || attempt >= definition.defaults.maxAttempts) return { state: 'failed', error, checkpoint }
    return { state: 'retry', error, retryDelayMs: decision.delayMs, checkpoint }
  }
}

/**
 * Runs `definition` once with `options.payload`; see `TestJobRun` for what to read. Throws
 * `InvalidPayloadError` at once for a payload the job's schema refuses.
 */
export function testJob<Payload, Checkpoint, Result>(
  definition: JobDefinition<Payload, Checkpoint, Result>,
  options: TestJobOptions<Payload, Checkpoint>,
): TestJobRun<Checkpoint, Result> {
  return new TestJobRun<Checkpoint, Result>(
    definition as unknown as JobDefinition<unknown, unknown, unknown>,
    options as TestJobOptions<unknown, Checkpoint>,
  )
}

function testJobRow(
  definition: JobDefinition<unknown, unknown, unknown>,
  options: TestJobOptions<unknown, unknown>,
  attempt: number,
): OwnedJob {
  const now = new Date().toISOString()
  return {
    id: options.jobId ?? '1',
    owner: 'test',
    type: definition.name,
    queue: definition.defaults.queue,
    state: 'running',
    payload: options.payload as Json,
    priority: 0,
    attempts: attempt,
    maxAttempts: definition.defaults.maxAttempts,
    timeoutSeconds: options.timeoutSeconds === undefined ? definition.defaults.timeoutSeconds : options.timeoutSeconds,
    runAt: now,
    createdAt: now,
    startedAt: now,
    finishedAt: null,
    cancelRequested: false,
    cancelRequestedAt: null,
    cancelAcknowledgedAt: null,
    pauseRequested: false,
    checkpoint: (options.checkpoint ?? null) as Json | null,
    checkpointVersion: options.checkpointVersion ?? definition.checkpointVersion ?? 1,
    progress: null,
    result: null,
    error: null,
    interruptions: 0,
    maxInterruptions: definition.defaults.maxInterruptions,
    waitReason: null,
    retries: 0,
    replayOf: null,
    errors: [],
    concurrencyKey: options.concurrencyKey ?? null,
    expiresAt: null,
  }
}

function readLogLine(line: string): TestLogLine {
  const {
    level,
    msg,
    time: _time,
    pid: _pid,
    hostname: _hostname,
    ...fields
  } = JSON.parse(line) as Record<string, unknown>
  return { ...fields, level: LEVELS[level as number] ?? 'info', msg: typeof msg === 'string' ? msg : undefined }
}
