/**
 * Whether a claim is worth running: open while it may find work, closed once it came back short,
 * and in any case run again a poll interval after its last run, the fallback for work nobody
 * announced. The runner keeps one for each of its two claims when limits are served (the plain one
 * and the limited one, src/runner/generation.ts): a claim that cannot find anything still reads the
 * jobs it has to skip, and without a gate it ran on every settle.
 *
 * The gate closes when its claim starts, so that a notice arriving while the claim runs opens it
 * again for the next one; a claim that fails leaves it open.
 */
export declare class ClaimGate {
    private readonly pollIntervalMs;
    private mayFind;
    private lastRunAt;
    constructor(pollIntervalMs: number);
    /** Whether the claim may find work now (the poll aside). */
    get isOpen(): boolean;
    /** Work may have become claimable (a notice, a due time, a resync, a resume). */
    open(): void;
    /**
     * Runs `claim` when the gate is open or a poll interval has passed since it last ran; otherwise
     * answers `skipped` without running it. The gate stays open after it when `mayFindMore` says so of
     * what it found.
     */
    run<T>(claim: () => Promise<T>, mayFindMore: (found: T) => boolean, skipped: T): Promise<T>;
}
