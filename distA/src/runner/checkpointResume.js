import { coerceError } from '../log.js';
import { checkpointProblems, describeProblems } from '../validation/checkpointSchema.js';
/** True when a stored checkpoint must go through `resumeCheckpoint` before the run sees it. */
export function needsResumeCheck(definition, stored, storedVersion) {
    return (stored !== null &&
        (storedVersion !== (definition.checkpointVersion ?? 1) || definition.checkpointSchema !== undefined));
}
export async function resumeCheckpoint(definition, stored, storedVersion, log) {
    const version = definition.checkpointVersion ?? 1;
    const fresh = (why) => {
        log().warn({ checkpointVersion: storedVersion, typeCheckpointVersion: version }, `starting fresh: the stored checkpoint ${why}`);
        return { checkpoint: null, version, changed: true };
    };
    if (storedVersion === version) {
        const problems = checkpointProblems(definition, stored);
        if (problems.length === 0)
            return { checkpoint: stored, version, changed: false };
        return fresh(`fails the checkpointSchema of ${definition.name}: ${describeProblems(problems)}`);
    }
    const ofVersion = `is of version ${storedVersion} and ${definition.name} is now at version ${version}`;
    if (!definition.migrateCheckpoint)
        return fresh(`${ofVersion}, with no migrateCheckpoint`);
    let migrated;
    try {
        migrated = await definition.migrateCheckpoint(stored, storedVersion);
    }
    catch (error) {
        return fresh(`${ofVersion}, and migrateCheckpoint threw: ${coerceError(error).message}`);
    }
    if (migrated === undefined || migrated === null)
        return fresh(`${ofVersion}, and migrateCheckpoint returned nothing`);
    const problems = checkpointProblems(definition, migrated);
    if (problems.length > 0) {
        return fresh(`${ofVersion}, and what migrateCheckpoint made of it fails the checkpointSchema: ${describeProblems(problems)}`);
    }
    log().info({ fromVersion: storedVersion, toVersion: version }, `checkpoint migrated from version ${storedVersion} to ${version}`);
    return { checkpoint: migrated, version, changed: true };
}
/** A checkpoint a job saved that its type's `checkpointSchema` refuses. */
export class CheckpointSchemaError extends Error {
    jobType;
    name = 'CheckpointSchemaError';
    constructor(jobType, detail) {
        super(`job type ${jobType}: saveCheckpoint refused a checkpoint that fails its checkpointSchema: ${detail}`);
        this.jobType = jobType;
    }
}
/**
 * Throws `CheckpointSchemaError` when `definition` declares a schema that `state` fails. Null (no
 * checkpoint: the next run starts fresh) is always allowed.
 */
export function checkSavedCheckpoint(definition, state) {
    if (definition?.checkpointSchema === undefined || state === null || state === undefined)
        return;
    const problems = checkpointProblems(definition, state);
    if (problems.length > 0)
        throw new CheckpointSchemaError(definition.name, describeProblems(problems));
}
//# sourceMappingURL=checkpointResume.js.map