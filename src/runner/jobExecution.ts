/**
 * One run of one job: its cancellation token, its timeout, and its in-memory checkpoint and
 * progress. `saveCheckpoint` and `progress` only touch memory and bump a version; whoever writes
 * (the periodic flusher, `flush()`, the outcome) records which version reached the database, so a
 * write is skipped when nothing changed and never rolls a newer state back.
 *
 *   created ──start()──▶ running ──run returns or throws──▶ settled
 *                          │
 *                          ├─ timeout: token fires with `timeout`; still running `abandonGraceMs`
 *                          │  later → `onTimeoutIgnored` (the runner abandons it and frees its slot)
 *                          ├─ cancel: token fires with `cancelled`; still running `cancelGraceMs`
 *                          │  later → `onCancelIgnored` (the runner abandons it as cancelled)
 *                          ├─ slice: its type's `maxSliceSeconds` after the start, token fires with `yield`
 *                          └─ abandoned (by the runner): its late outcome is ignored
 */
import type { Span } from '@opentelemetry/api'
import type { Logger } from 'pino'
import type { AbortReason, JobContext, JobDefinition } from '../../jobs/defineJob.js'
import type { Json, JobProgress, OwnedJob } from '../queue/job.js'
import type { CheckpointWrite, JobSnapshot } from '../queue/store.js'
import { checkSavedCheckpoint, needsResumeCheck, resumeCheckpoint } from './checkpointResume.js'
import { coerceError } from '../log.js'
import { endJobRunSpan, startJobRunSpan, withContext } from '../observability/tracing.js'
import type { NewJobLogLine } from '../queue/jobLogStore.js'
import { JobLogBuffer } from './jobLogBuffer.js'

export interface ExecutionTimeouts {
  /** How long a run may ignore its timeout's token before `onTimeoutIgnored`. */
  abandonGraceMs: number
  onTimeoutIgnored: (execution: JobExecution) => void
  /** How long a run may ignore a cancel's token before `onCancelIgnored` (CANCEL_GRACE_SECONDS); never when absent. */
  cancelGraceMs?: number
  onCancelIgnored?: (execution: JobExecution) => void
}

const NO_TIMEOUT_ABANDONMENT: ExecutionTimeouts = { abandonGraceMs: Infinity, onTimeoutIgnored: () => {} }

export type Settlement = { kind: 'resolved'; result: Json | null } | { kind: 'rejected'; error: Error }

export class JobExecution {
  readonly startedAt = Date.now()
  /** The start and the end of its code on the monotonic clock (`ranMs`). */
  private readonly startedMono = performance.now()
  private endedMono: number | undefined
  /**
   * Made when the job first looks at its signal, or when it is aborted: a short job that never
   * reads its token (most no-op and I/O-light jobs) then costs no AbortController and no AbortSignal,
   * a measurable share of a runner that starts tens of thousands of jobs a second.
   */
  private controller: AbortController | undefined
  private checkpoint: Json | null
  /** The version of the type's checkpoint shape `checkpoint` is in. */
  private checkpointVersion: number
  /** The checkpoint the run started from (after `resumeCheckpoint`): the context's `checkpoint`. */
  private resumedFrom: Json | null
  private progressValue: JobProgress | null
  private version = 0
  private writtenVersion = 0
  /** Counts checkpoint changes alone (not progress), so that only they enter the history. */
  private checkpointChanges = 0
  /**
   * The changes a write has already taken for the history: taken when the snapshot is, not when
   * it is written, so that the flusher and a job's `flush()` writing at once record a change once
   * (a write that fails loses that history entry; the checkpoint itself is written again).
   */
  private historyTaken = 0
  private timeout: NodeJS.Timeout | undefined
  /** The end of the time slice (`maxSliceSeconds`), then the cancel's grace: one timer at a time each. */
  private sliceTimer: NodeJS.Timeout | undefined
  private cancelGraceTimer: NodeJS.Timeout | undefined
  private settlement: Settlement | undefined
  /** `settled`, made when first asked for: the runner hears of the settlement through `onSettled`. */
  private settledPromise: Promise<Settlement> | undefined
  private resolveSettled: ((settlement: Settlement) => void) | undefined
  private abandonedByRunner = false
  /** The runner's write of this run's outcome, from its settlement on (an abandoned run gets none). */
  outcomeWritten: Promise<void> | undefined
  /** Set when this run is blamed for an uncaught exception: its outcome is a failed attempt, whatever it does next. */
  crashError: Error | undefined
  private jobLog: Logger | undefined

  constructor(
    /** `traceparent`: the enqueue's trace, which the run's span joins (src/observability/tracing.ts). */
    readonly job: OwnedJob & { readonly traceparent?: string | null },
    readonly definition: JobDefinition<unknown, unknown, unknown> | undefined,
    private readonly runnerLog: Logger,
    private readonly flushNow: (execution: JobExecution) => Promise<void>,
    private readonly timeouts: ExecutionTimeouts = NO_TIMEOUT_ABANDONMENT,
    /** Hears every progress report at once (the live progress board), without waiting for a flush. */
    private readonly onProgress?: (execution: JobExecution) => void,
    /** Hears the settlement once, in a later microtask than `start()`. */
    private readonly onSettled?: (execution: JobExecution, settlement: Settlement) => void,
  ) {
    this.checkpoint = job.checkpoint
    this.resumedFrom = job.checkpoint
    this.checkpointVersion = job.checkpointVersion ?? 1
    this.progressValue = job.progress
  }

  /** Resolves when `run` has returned or thrown; pending until `start()`. */
  get settled(): Promise<Settlement> {
    if (this.settledPromise) return this.settledPromise
    if (this.settlement) return (this.settledPromise = Promise.resolve(this.settlement))
    return (this.settledPromise = new Promise<Settlement>((resolve) => (this.resolveSettled = resolve)))
  }

  /** Runs the job's code (once its start is written). */
  start(): void {
    const { timeoutSeconds } = this.job
    if (timeoutSeconds !== null) {
      this.timeout = setTimeout(() => this.onTimeout(), timeoutSeconds * 1000)
      this.timeout.unref()
    }
    const sliceSeconds = this.definition?.maxSliceSeconds
    // Already stopped before its start (a cancel or pause heard while it waited): no slice to time.
    if (sliceSeconds !== undefined && this.abortReason === undefined) {
      this.sliceTimer = setTimeout(() => this.abort('yield'), sliceSeconds * 1000)
      this.sliceTimer.unref()
    }
    void this.run(this.definition)
  }

  private onTimeout(): void {
    this.abort('timeout')
    if (!Number.isFinite(this.timeouts.abandonGraceMs)) return
    // A job that ignores its own timeout would otherwise hold its slot (and its lease) forever.
    this.timeout = setTimeout(
      () => this.isSettled || this.timeouts.onTimeoutIgnored(this),
      this.timeouts.abandonGraceMs,
    )
    this.timeout.unref()
  }

  /** The lines `log` kept since the last write; made on first use, with the logger. */
  private logBuffer: JobLogBuffer | undefined

  /**
   * The job's logger, made on first use: most short jobs never log, and a child logger is not free.
   * Its lines also go to the job's stored log (src/runner/jobLogBuffer.ts).
   */
  get log(): Logger {
    if (this.jobLog) return this.jobLog
    this.logBuffer = new JobLogBuffer(this.job.id)
    return (this.jobLog = this.logBuffer.record(this.runnerLog.child({ jobId: this.job.id, type: this.job.type })))
  }

  /** True once the job has asked for its logger: only then can it have lines to write. */
  get usedLog(): boolean {
    return this.logBuffer !== undefined
  }

  /** True when log lines wait for the next write. */
  get hasPendingLogs(): boolean {
    return this.logBuffer !== undefined && !this.logBuffer.isEmpty
  }

  /** The log lines to write now; they are no longer pending afterwards. */
  takeLogLines(): NewJobLogLine[] {
    return this.logBuffer?.take() ?? []
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
    if (signal.aborted) return
    this.controller!.abort(reason)
    if (this.sliceTimer) clearTimeout(this.sliceTimer)
    const { cancelGraceMs, onCancelIgnored } = this.timeouts
    if (reason === 'cancelled' && onCancelIgnored && cancelGraceMs !== undefined && !this.isSettled) {
      // A job that ignores its cancel would otherwise hold its slot (and its lease) until it returns.
      this.cancelGraceTimer = setTimeout(() => this.isSettled || onCancelIgnored(this), cancelGraceMs)
      this.cancelGraceTimer.unref()
    }
  }

  /**
   * True once the checkpoint, its version or the progress differ from what the claim read: until
   * then an outcome need not write them (`Completion`'s `unchanged`).
   */
  get stateChanged(): boolean {
    return this.version !== 0 || this.checkpointVersion !== (this.job.checkpointVersion ?? 1)
  }

  get dirty(): boolean {
    return this.version !== this.writtenVersion
  }

  /** The checkpoint and progress as they are now: what an outcome write carries. */
  currentState(): JobSnapshot {
    return {
      id: this.job.id,
      attempt: this.job.attempts,
      checkpoint: this.checkpoint,
      checkpointVersion: this.checkpointVersion,
      progress: this.progressValue,
    }
  }

  /**
   * The state to write, and a function to call once it is written (for writes that keep the job
   * running). `changed`: the checkpoint itself changed since the last write (its history records it).
   */
  snapshot(): { snapshot: CheckpointWrite; markWritten: () => void } {
    const version = this.version
    const changed = this.checkpointChanges !== this.historyTaken
    this.historyTaken = this.checkpointChanges
    return {
      snapshot: { ...this.currentState(), changed },
      markWritten: () => {
        this.writtenVersion = Math.max(this.writtenVersion, version)
      },
    }
  }

  /** The checkpoint the run starts from: the stored one, migrated or dropped by `resumeCheckpoint`. */
  get resumedCheckpoint(): Json | null {
    return this.resumedFrom
  }

  /**
   * Remembers `state` in memory (the job's `saveCheckpoint`). A type with a `checkpointSchema`
   * refuses a state that fails it (`CheckpointSchemaError`, naming the type), before anything changes.
   */
  saveCheckpoint(state: Json | null): void {
    checkSavedCheckpoint(this.definition, state)
    this.checkpoint = state
    this.version += 1
    this.checkpointChanges += 1
  }

  /** Remembers the job's progress in memory (the job's `progress`). */
  setProgress(fraction: number, message?: string): void {
    const clamped = Math.min(1, Math.max(0, Number.isFinite(fraction) ? fraction : 0))
    this.progressValue = message === undefined ? { fraction: clamped } : { fraction: clamped, message: String(message) }
    this.version += 1
    this.onProgress?.(this)
  }

  /** Writes the checkpoint and progress now (the job's `flush`). */
  flush(): Promise<void> {
    return this.flushNow(this)
  }

  /**
   * Runs the job's code and settles once it returns or throws. No async function here: a drain of
   * no-op jobs starts tens of thousands a second, and each async frame, with its promise and await,
   * stays alive until the job settles (src/runner/generation.ts, `onSettled`).
   */
  private run(definition: JobDefinition<unknown, unknown, unknown> | undefined): void {
    if (!definition) {
      const error = new Error(`unknown job type ${JSON.stringify(this.job.type)}: no job file defines it`)
      return void Promise.resolve().then(() => this.settle({ kind: 'rejected', error }))
    }
    if (needsResumeCheck(definition, this.job.checkpoint, this.checkpointVersion)) {
      return void this.resumeThenRun(definition)
    }
    this.runCode(definition)
  }

  private async resumeThenRun(definition: JobDefinition<unknown, unknown, unknown>): Promise<void> {
    const resumed = await resumeCheckpoint(definition, this.job.checkpoint!, this.checkpointVersion, () => this.log)
    this.resumedFrom = resumed.checkpoint
    if (resumed.changed) {
      this.checkpoint = resumed.checkpoint
      this.version += 1
      this.checkpointChanges += 1
    }
    this.runCode(definition)
  }

  private runCode(definition: JobDefinition<unknown, unknown, unknown>): void {
    // Written in the type's version from now on (a checkpoint of the same version stays as it is).
    this.checkpointVersion = definition.checkpointVersion ?? 1
    const { span, context } = startJobRunSpan(this.job)
    let returned: unknown
    try {
      returned = withContext(context, () => definition.run(new ExecutionContext(this)))
    } catch (thrown) {
      // Settled in a later microtask all the same, as an async `run` that throws at once would be.
      returned = Promise.reject(thrown)
    }
    // `Promise.resolve` passes a promise through as it is, and waits for any other thenable.
    Promise.resolve(returned).then(
      (result) => this.endRun(span, { kind: 'resolved', result: result === undefined ? null : (result as Json) }),
      (thrown: unknown) => this.endRun(span, { kind: 'rejected', error: coerceError(thrown) }),
    )
  }

  private endRun(span: Span, settlement: Settlement): void {
    endJobRunSpan(span, settlement.kind === 'resolved' ? settlement : { ...settlement, abortReason: this.abortReason })
    this.settle(settlement)
  }

  /** Whether the runner gave up waiting (a deadline, an ignored timeout or cancel): a late outcome is then ignored. */
  get abandoned(): boolean {
    return this.abandonedByRunner
  }

  /** The runner gives up waiting: the run counts as ended now (`ranMs`), whenever its code returns. */
  abandon(): void {
    this.abandonedByRunner = true
    this.endedMono ??= performance.now()
  }

  /** How long its code ran: to its return or its abandonment, or until now while it runs. */
  get ranMs(): number {
    return (this.endedMono ?? performance.now()) - this.startedMono
  }

  private settle(settlement: Settlement): void {
    this.endedMono ??= performance.now()
    if (this.timeout) clearTimeout(this.timeout)
    if (this.sliceTimer) clearTimeout(this.sliceTimer)
    if (this.cancelGraceTimer) clearTimeout(this.cancelGraceTimer)
    this.settlement = settlement
    this.onSettled?.(this, settlement)
    this.resolveSettled?.(settlement)
  }
}

/**
 * What a job's `run` receives. One object per run whose functions are made only when the job reads
 * them (they are arrow functions, so a job may destructure them): a short job that only reads its
 * payload costs one allocation here, not one closure per capability.
 */
class ExecutionContext implements JobContext<unknown, unknown> {
  readonly #execution: JobExecution
  readonly jobId: string
  readonly payload: unknown
  readonly attempt: number
  readonly checkpoint: unknown
  #saveCheckpoint: ((state: unknown) => void) | undefined
  #flush: (() => Promise<void>) | undefined
  #progress: ((fraction: number, message?: string) => void) | undefined

  constructor(execution: JobExecution) {
    this.#execution = execution
    const { job } = execution
    this.jobId = job.id
    this.payload = job.payload
    this.attempt = job.attempts
    // The state saved by an earlier run, as it was when this run started (migrated to the type's
    // checkpoint version, or none for a fresh start: src/runner/checkpointResume.ts).
    this.checkpoint = execution.resumedCheckpoint ?? undefined
  }

  get signal(): AbortSignal {
    return this.#execution.signal
  }

  get log(): Logger {
    return this.#execution.log
  }

  get saveCheckpoint(): (state: unknown) => void {
    return (this.#saveCheckpoint ??= (state) => this.#execution.saveCheckpoint((state ?? null) as Json | null))
  }

  get flush(): () => Promise<void> {
    return (this.#flush ??= () => this.#execution.flush())
  }

  get progress(): (fraction: number, message?: string) => void {
    return (this.#progress ??= (fraction, message) => this.#execution.setProgress(fraction, message))
  }
}
