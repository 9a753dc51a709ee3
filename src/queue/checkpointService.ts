/**
 * Checkpoints as a resource (issue 23), as the HTTP routes use them: read a job's checkpoint with its
 * entity tag; replace it — checked against the size limit and the job type's `checkpointSchema`,
 * then stored with a compare-and-set on the tag in one statement (src/queue/checkpointStore.ts), in
 * the type's current checkpoint version — and list its history. Like the job service, it knows
 * nothing of HTTP; refusals are domain outcomes and errors that the routes map to problem+json.
 */
import type { JobRegistry } from '../../jobs/registry.js'
import { checkpointProblems, describeProblems, type CheckpointProblem } from '../validation/checkpointSchema.js'
import type { CheckpointHistoryEntry, ReplaceCheckpointOutcome } from './checkpointStore.js'
import { MAX_CHECKPOINT_BYTES, type Json, type JobState } from './job.js'
import { answersInTime } from './jobService.js'
import type { Notifier } from './notifier.js'
import type { JobScope, JobStore } from './store.js'

export type CheckpointRead =
  | { kind: 'found'; checkpoint: Json; version: number; etag: string }
  | { kind: 'no-checkpoint'; state: JobState }
  | { kind: 'not-found' }

/** A checkpoint an operator may not store: null, over the size limit, or refused by the type's schema. */
export class InvalidCheckpointError extends Error {
  override name = 'InvalidCheckpointError'
  constructor(
    message: string,
    readonly problems: readonly CheckpointProblem[] = [],
  ) {
    super(message)
  }
}

export class CheckpointService {
  constructor(
    private readonly store: JobStore,
    private readonly registry: Pick<JobRegistry, 'get'>,
    private readonly notifier: Pick<Notifier, 'announce'>,
  ) {}

  async get(scope: JobScope & { id: string }): Promise<CheckpointRead> {
    const stored = await answersInTime(this.store.getCheckpoint(scope))
    if (!stored) return { kind: 'not-found' }
    if (stored.checkpoint === null || stored.etag === null) return { kind: 'no-checkpoint', state: stored.state }
    return { kind: 'found', checkpoint: stored.checkpoint, version: stored.version, etag: stored.etag }
  }

  /**
   * Stores `checkpoint` as job `id`'s if its current one still has a tag of `ifMatch`. Throws
   * `InvalidCheckpointError` before any write for a checkpoint the job could not resume from.
   */
  async replace(
    scope: JobScope & { id: string },
    { checkpoint, ifMatch }: { checkpoint: Json; ifMatch: readonly string[] | '*' },
  ): Promise<ReplaceCheckpointOutcome & { version?: number }> {
    // The type never changes, so reading it first leaves no race: state and tag are decided by the write.
    const stored = await answersInTime(this.store.getCheckpoint(scope))
    if (!stored) return { kind: 'not-found' }
    if (checkpoint === null) {
      throw new InvalidCheckpointError('a checkpoint may not be null; to start over, retry with {"from":"start"}', [
        { pointer: '/', message: 'may not be null' },
      ])
    }
    const bytes = Buffer.byteLength(JSON.stringify(checkpoint), 'utf8')
    if (bytes > MAX_CHECKPOINT_BYTES) {
      throw new InvalidCheckpointError(
        `the checkpoint is ${bytes} bytes of JSON, over the limit of ${MAX_CHECKPOINT_BYTES} bytes`,
        [{ pointer: '/', message: `must be at most ${MAX_CHECKPOINT_BYTES} bytes of JSON` }],
      )
    }
    // A type this instance does not know (removed, or served elsewhere) keeps its stored version unchecked.
    const definition = this.registry.get(stored.type)
    if (definition) {
      const problems = checkpointProblems(definition, checkpoint)
      if (problems.length > 0) {
        throw new InvalidCheckpointError(
          `the checkpoint fails the checkpointSchema of ${stored.type}: ${describeProblems(problems)}`,
          problems,
        )
      }
    }
    const version = definition ? (definition.checkpointVersion ?? 1) : stored.version
    const outcome = await answersInTime(this.store.replaceCheckpoint({ ...scope, checkpoint, version, ifMatch }))
    if (outcome.kind === 'replaced') this.notifier.announce('jobChanged', scope.id)
    return { ...outcome, version }
  }

  /** The job's last checkpoints, newest first; undefined when the job is not the caller's (a 404). */
  async history(scope: JobScope & { id: string }): Promise<CheckpointHistoryEntry[] | undefined> {
    const job = await answersInTime(this.store.getJob(scope))
    if (!job) return undefined
    return answersInTime(this.store.listCheckpointHistory({ jobId: job.id }))
  }
}
