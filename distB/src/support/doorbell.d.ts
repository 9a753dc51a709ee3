/**
 * Wakes the claim loop: rung when jobs become available, a slot frees up or the runner stops. A ring
 * while nobody waits is remembered, so a wake-up that races with a claim query is never lost.
 */
export declare class Doorbell {
    private rung;
    private wake;
    ring(): void;
    /** Resolves on the next ring (or a remembered one), or after `timeoutMs`. */
    wait(timeoutMs: number): Promise<void>;
}
