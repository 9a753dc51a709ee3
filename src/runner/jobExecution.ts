/**
 * One run of one job: its cancellation token, its timeout, and its in-memory checkpoint and
 * progress. `saveCheckpoint` and `progress` only touch memory and bump a version; whoever writes
 * (the periodic flusher, `flush()`, the outcome) records which version reached the database, so a
 * write is skipped when nothing changed and never rolls a newer state back.
 */
import type { Logger } from 'pino'
import type { AbortReason, JobContext, JobDefinition } from '../../jobs/defineJob.js'
import type { Json, JobProgress, OwnedJob } from '../queue/job.js'
import type { JobSnapshot } from '../queue/store.js'
import { coerceError } from '../log.js'

export type Settlement = { kind: 'resolved'; result: Json | null } | { kind: 'rejected'; error: Error }

export class JobExecution {
  readonly startedAt = Date.now()
  /**
   * Made when the job first looks at its signal, or when it is aborted: a short job that never
   * reads its token (most no-op and I/O-light jobs) then costs no AbortController and no AbortSignal,
   * a measurable share of a runner that starts tens of thousands of jobs a second.
   */
  private controller: AbortController | undefined
  private checkpoint: Json | null
  private progressValue: JobProgress | null
  private version = 0
  private writtenVersion = 0
  private timeout: NodeJS.Timeout | undefined
  private settlement: Settlement | undefined
  /** Resolves when `run` has returned or thrown. */
  readonly settled: Promise<Settlement>
  /** Set when the runner gave up waiting (grace deadline): a late outcome is then ignored. */
  abandoned = false
  /** The runner's write of this run's outcome, once it is under way (an abandoned run's never ends). */
  outcomeWritten: Promise<void> | undefined
  private jobLog: Logger | undefined

  constructor(
    readonly job: OwnedJob,
    definition: JobDefinition<unknown, unknown, unknown> | undefined,
    private readonly runnerLog: Logger,
    private readonly flushNow: (execution: JobExecution) => Promise<void>,
  ) {
    this.checkpoint = job.checkpoint
    this.progressValue = job.progress
    if (job.timeoutSeconds !== null) {
      this.timeout = setTimeout(() => this.abort('timeout'), job.timeoutSeconds * 1000)
      this.timeout.unref()
    }
    this.settled = this.run(definition).then((settlement) => {
      clearTimeout(this.timeout)
      this.settlement = settlement
      return settlement
    })
  }

  /** The job's logger, made on first use: most short jobs never log, and a child logger is not free. */
  get log(): Logger {
    return (this.jobLog ??= this.runnerLog.child({ jobId: this.job.id, type: this.job.type }))
  }

  get signal(): AbortSignal {
    return (this.controller ??= new AbortController()).signal
  }

  /** Why the token fired, if it did. */
  get abortReason(): AbortReason | undefined {
    const signal = this.controller?.signal
    return signal?.aborted ? (signal.reason as AbortReason) : undefined
  }

  get isSettled(): boolean {
    return this.settlement !== undefined
  }

  /** The first reason wins: a job cancelled during a shutdown stays cancelled. */
  abort(reason: AbortReason): void {
    const signal = this.signal
    if (!signal.aborted) this.controller!.abort(reason)
  }

  get dirty(): boolean {
    return this.version !== this.writtenVersion
  }

  /** The state to write, and a function to call once it is written. */
  snapshot(): { snapshot: JobSnapshot; markWritten: () => void } {
    const version = this.version
    return {
      snapshot: { id: this.job.id, checkpoint: this.checkpoint, progress: this.progressValue },
      markWritten: () => {
        this.writtenVersion = Math.max(this.writtenVersion, version)
      },
    }
  }

  private async run(definition: JobDefinition<unknown, unknown, unknown> | undefined): Promise<Settlement> {
    if (!definition) {
      return { kind: 'rejected', error: new Error(`unknown job type ${JSON.stringify(this.job.type)}: no job file defines it`) }
    }
    const execution = this
    const context: JobContext<unknown, unknown> = {
      jobId: this.job.id,
      payload: this.job.payload,
      attempt: this.job.attempts,
      get signal() {
        return execution.signal
      },
      checkpoint: this.checkpoint ?? undefined,
      saveCheckpoint: (state) => {
        this.checkpoint = (state ?? null) as Json | null
        this.version += 1
      },
      flush: () => this.flushNow(this),
      progress: (fraction, message) => {
        const clamped = Math.min(1, Math.max(0, Number.isFinite(fraction) ? fraction : 0))
        this.progressValue = message === undefined ? { fraction: clamped } : { fraction: clamped, message: String(message) }
        this.version += 1
      },
      get log() {
        return execution.log
      },
    }
    try {
      const result = await definition.run(context)
      return { kind: 'resolved', result: result === undefined ? null : (result as Json) }
    } catch (thrown) {
      return { kind: 'rejected', error: coerceError(thrown) }
    }
  }
}
