/**
 * The stop deadline, which a later, stricter stop may bring forward. `reserveReached` resolves a
 * little before it: the time kept back to write abandoned jobs' checkpoints and deregister.
 */
export declare class GraceTimer {
    private deadlineAt;
    private timer;
    private resolveReserve;
    readonly reserveReached: Promise<void>;
    constructor(deadlineAt: number);
    remainingMs(): number;
    tighten(deadlineAt: number): void;
    private arm;
}
