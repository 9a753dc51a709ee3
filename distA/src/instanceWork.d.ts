/**
 * The work of an instance as the lifecycle starts and stops it: the runner, and the workers beside it
 * that act on jobs (the scheduler that enqueues them, the bulk action worker that retries or cancels
 * them). A start (start-up, a resume) starts the runner, then the workers; a stop (a drain, a
 * shutdown) stops them all within the one grace:
 *
 *   stop: scheduler ──(a fire under way commits or rolls back)──▶ runner ‖ bulk worker ──▶ report
 *
 * The scheduler stops first, so a drained instance enqueues nothing more. A draining instance takes
 * no new work, and a bulk action is work: its lease goes back so that another instance carries it
 * on at once.
 */
import type { ControlledRunner } from './lifecycle.js';
import type { Runner } from './runner/runner.js';
/** A worker started and stopped with the runner; its stop ends what is under way. */
export interface Companion {
    start(): void;
    stop(): Promise<void>;
}
export interface InstanceWorkOptions {
    /** Stopped before the runner (the scheduler), each given at most `firstStopBudgetMs`. */
    stopFirst?: readonly Companion[];
    /** Stopped beside the runner, within the grace (the bulk action worker). */
    stopBeside?: readonly Companion[];
    /** A fire in progress is one short transaction; past this the stop goes on (closing the database rolls it back). */
    firstStopBudgetMs?: number;
}
export declare function instanceWork(runner: Runner, { stopFirst, stopBeside, firstStopBudgetMs }: InstanceWorkOptions): ControlledRunner;
