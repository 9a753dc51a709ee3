/**
 * What a run resumes from when its type's checkpoint shape has moved on (issue 23): the stored
 * checkpoint as it is when its version is the type's `checkpointVersion` and it passes the type's
 * `checkpointSchema`; otherwise what `migrateCheckpoint(old, fromVersion)` makes of it; and when
 * there is no migration, or it throws, or its answer fails the schema, nothing — the run starts
 * fresh, with a warning in the job's log naming why. A deploy that changes the shape must not crash
 * the jobs it resumes, so nothing here throws.
 */
import type { Logger } from 'pino'
import type { JobDefinition } from '../../jobs/defineJob.js'
import { coerceError } from '../log.js'
import type { Json } from '../queue/job.js'
import { checkpointProblems, describeProblems } from '../validation/checkpointSchema.js'

export interface ResumedCheckpoint {
  readonly checkpoint: Json | null
  readonly version: number
  /** It differs from the stored one (migrated, or dropped for a fresh start): it is to be written. */
  readonly changed: boolean
}

type AnyDefinition = JobDefinition<unknown, unknown, unknown>

/** True when a stored checkpoint must go through `resumeCheckpoint` before the run sees it. */
export function needsResumeCheck(definition: AnyDefinition, stored: Json | null, storedVersion: number): boolean {
  return (
    stored !== null &&
    (storedVersion !== (definition.checkpointVersion ?? 1) || definition.checkpointSchema !== undefined)
  )
}

export async function resumeCheckpoint(
  definition: AnyDefinition,
  stored: Json,
  storedVersion: number,
  log: () => Logger,
): Promise<ResumedCheckpoint> {
  const version = definition.checkpointVersion ?? 1
  const fresh = (why: string): ResumedCheckpoint => {
    log().warn(
      { checkpointVersion: storedVersion, typeCheckpointVersion: version },
      `starting fresh: the stored checkpoint ${why}`,
    )
    return { checkpoint: null, version, changed: true }
  }
  if (storedVersion === version) {
    const problems = checkpointProblems(definition, stored)
    if (problems.length === 0) return { checkpoint: stored, version, changed: false }
    return fresh(`fails the checkpointSchema of ${definition.name}: ${describeProblems(problems)}`)
  }
  const ofVersion = `is of version ${storedVersion} and ${definition.name} is now at version ${version}`
  if (!definition.migrateCheckpoint) return fresh(`${ofVersion}, with no migrateCheckpoint`)
  let migrated: unknown
  try {
    migrated = await definition.migrateCheckpoint(stored, storedVersion)
  } catch (error) {
    return fresh(`${ofVersion}, and migrateCheckpoint threw: ${coerceError(error).message}`)
  }
  if (migrated === undefined || migrated === null) return fresh(`${ofVersion}, and migrateCheckpoint returned nothing`)
  const problems = checkpointProblems(definition, migrated)
  if (problems.length > 0) {
    return fresh(
      `${ofVersion}, and what migrateCheckpoint made of it fails the checkpointSchema: ${describeProblems(problems)}`,
    )
  }
  log().info(
    { fromVersion: storedVersion, toVersion: version },
    `checkpoint migrated from version ${storedVersion} to ${version}`,
  )
  return { checkpoint: migrated as Json, version, changed: true }
}

/** A checkpoint a job saved that its type's `checkpointSchema` refuses. */
export class CheckpointSchemaError extends Error {
  override name = 'CheckpointSchemaError'
  constructor(
    readonly jobType: string,
    detail: string,
  ) {
    super(`job type ${jobType}: saveCheckpoint refused a checkpoint that fails its checkpointSchema: ${detail}`)
  }
}

/**
 * Throws `CheckpointSchemaError` when `definition` declares a schema that `state` fails. Null (no
 * checkpoint: the next run starts fresh) is always allowed.
 */
export function checkSavedCheckpoint(definition: AnyDefinition | undefined, state: unknown): void {
  if (definition?.checkpointSchema === undefined || state === null || state === undefined) return
  const problems = checkpointProblems(definition, state)
  if (problems.length > 0) throw new CheckpointSchemaError(definition.name, describeProblems(problems))
}
