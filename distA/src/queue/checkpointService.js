import { checkpointProblems, describeProblems } from '../validation/checkpointSchema.js';
import { MAX_CHECKPOINT_BYTES } from './job.js';
import { answersInTime } from './jobService.js';
/** A checkpoint an operator may not store: null, over the size limit, or refused by the type's schema. */
export class InvalidCheckpointError extends Error {
    problems;
    name = 'InvalidCheckpointError';
    constructor(message, problems = []) {
        super(message);
        this.problems = problems;
    }
}
export class CheckpointService {
    store;
    registry;
    notifier;
    constructor(store, registry, notifier) {
        this.store = store;
        this.registry = registry;
        this.notifier = notifier;
    }
    async get(scope) {
        const stored = await answersInTime(this.store.getCheckpoint(scope));
        if (!stored)
            return { kind: 'not-found' };
        if (stored.checkpoint === null || stored.etag === null)
            return { kind: 'no-checkpoint', state: stored.state };
        return { kind: 'found', checkpoint: stored.checkpoint, version: stored.version, etag: stored.etag };
    }
    /**
     * Stores `checkpoint` as job `id`'s if its current one still has a tag of `ifMatch`. Throws
     * `InvalidCheckpointError` before any write for a checkpoint the job could not resume from.
     */
    async replace(scope, { checkpoint, ifMatch }) {
        // The type never changes, so reading it first leaves no race: state and tag are decided by the write.
        const stored = await answersInTime(this.store.getCheckpoint(scope));
        if (!stored)
            return { kind: 'not-found' };
        if (checkpoint === null) {
            throw new InvalidCheckpointError('a checkpoint may not be null; to start over, retry with {"from":"start"}', [
                { pointer: '/', message: 'may not be null' },
            ]);
        }
        const bytes = Buffer.byteLength(JSON.stringify(checkpoint), 'utf8');
        if (bytes > MAX_CHECKPOINT_BYTES) {
            throw new InvalidCheckpointError(`the checkpoint is ${bytes} bytes of JSON, over the limit of ${MAX_CHECKPOINT_BYTES} bytes`, [{ pointer: '/', message: `must be at most ${MAX_CHECKPOINT_BYTES} bytes of JSON` }]);
        }
        // A type this instance does not know (removed, or served elsewhere) keeps its stored version unchecked.
        const definition = this.registry.get(stored.type);
        if (definition) {
            const problems = checkpointProblems(definition, checkpoint);
            if (problems.length > 0) {
                throw new InvalidCheckpointError(`the checkpoint fails the checkpointSchema of ${stored.type}: ${describeProblems(problems)}`, problems);
            }
        }
        const version = definition ? (definition.checkpointVersion ?? 1) : stored.version;
        const outcome = await answersInTime(this.store.replaceCheckpoint({ ...scope, checkpoint, version, ifMatch }));
        if (outcome.kind === 'replaced')
            this.notifier.announce('jobChanged', scope.id);
        return { ...outcome, version };
    }
    /** The job's last checkpoints, newest first; undefined when the job is not the caller's (a 404). */
    async history(scope) {
        const job = await answersInTime(this.store.getJob(scope));
        if (!job)
            return undefined;
        return answersInTime(this.store.listCheckpointHistory({ jobId: job.id }));
    }
}
//# sourceMappingURL=checkpointService.js.map