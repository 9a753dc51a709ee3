import type { JobDefinition } from '../../jobs/defineJob.js';
export interface RetryDecision {
    /** Ignored when the job gives up or has no attempts left. */
    delayMs: number;
    giveUp: boolean;
}
export declare function decideRetry(definition: JobDefinition<unknown, unknown, unknown> | undefined, attempt: number, error: Error, { defaultBaseMs, onPolicyError }: {
    defaultBaseMs: number;
    onPolicyError: (error: unknown) => void;
}): RetryDecision;
