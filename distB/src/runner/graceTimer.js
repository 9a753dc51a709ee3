/**
 * The stop deadline, which a later, stricter stop may bring forward. `reserveReached` resolves a
 * little before it: the time kept back to write abandoned jobs' checkpoints and deregister.
 */
export class GraceTimer {
    deadlineAt;
    timer;
    resolveReserve;
    reserveReached = new Promise((resolve) => (this.resolveReserve = resolve));
    constructor(deadlineAt) {
        this.deadlineAt = deadlineAt;
        this.arm();
    }
    remainingMs() {
        return Math.max(0, this.deadlineAt - Date.now());
    }
    tighten(deadlineAt) {
        if (deadlineAt >= this.deadlineAt)
            return;
        this.deadlineAt = deadlineAt;
        this.arm();
    }
    arm() {
        clearTimeout(this.timer);
        if (!Number.isFinite(this.deadlineAt))
            return;
        const remaining = this.remainingMs();
        const reserveMs = Math.min(2000, remaining * 0.25);
        this.timer = setTimeout(() => this.resolveReserve(), Math.max(0, remaining - reserveMs));
        this.timer.unref();
    }
}
//# sourceMappingURL=graceTimer.js.map