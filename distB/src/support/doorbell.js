/**
 * Wakes the claim loop: rung when jobs become available, a slot frees up or the runner stops. A ring
 * while nobody waits is remembered, so a wake-up that races with a claim query is never lost.
 */
export class Doorbell {
    rung = false;
    wake;
    ring() {
        this.rung = true;
        this.wake?.();
    }
    /** Resolves on the next ring (or a remembered one), or after `timeoutMs`. */
    async wait(timeoutMs) {
        if (this.rung) {
            this.rung = false;
            return;
        }
        await new Promise((resolve) => {
            const timer = setTimeout(done, timeoutMs);
            function done() {
                clearTimeout(timer);
                resolve();
            }
            this.wake = done;
        });
        this.wake = undefined;
        this.rung = false;
    }
}
//# sourceMappingURL=doorbell.js.map