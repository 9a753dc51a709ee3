/**
 * Writes the in-memory checkpoints and progress of running jobs every `intervalMs`, in one
 * statement for all of them, skipping jobs whose state has not changed since the last write; and
 * their log lines, in one more statement for all of them.
 */
import { Periodic } from '../support/periodic.js';
export class CheckpointFlusher {
    deps;
    periodic;
    constructor(config, deps) {
        this.deps = deps;
        this.periodic = new Periodic('checkpointFlusher', config.intervalMs, () => this.flush(), deps.onError);
    }
    start() {
        this.periodic.start();
    }
    stop() {
        return this.periodic.stop();
    }
    async flush() {
        // A run whose only news is log lines is written too: its lines go out with this flush.
        const dirty = [...this.deps.executions()].filter((execution) => (execution.dirty || execution.hasPendingLogs) && !execution.isSettled);
        if (dirty.length > 0)
            await this.deps.write(dirty);
    }
}
//# sourceMappingURL=checkpointFlusher.js.map