export class LiveRuns {
    runs = new Map();
    held = 0;
    /** Slots held by live runs. */
    get slotsTaken() {
        return this.held;
    }
    /** Live runs, abandoned ones included. */
    get size() {
        return this.runs.size;
    }
    has(id) {
        return this.runs.has(id);
    }
    add(execution) {
        this.runs.set(execution.job.id, { execution, holdsSlot: true });
        this.held += 1;
    }
    /** The run goes on, but no longer holds a slot. */
    releaseSlot(execution) {
        const run = this.runs.get(execution.job.id);
        if (run?.execution !== execution || !run.holdsSlot)
            return;
        run.holdsSlot = false;
        this.held -= 1;
    }
    /** The run's code returned or threw. */
    end(execution) {
        const run = this.runs.get(execution.job.id);
        if (run?.execution !== execution)
            return;
        this.runs.delete(execution.job.id);
        if (run.holdsSlot)
            this.held -= 1;
    }
}
//# sourceMappingURL=liveRuns.js.map