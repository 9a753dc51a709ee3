/**
 * The claims a store makes, counted: its plain claim (`claimJobs`) and its limited claim
 * (`claimLimitedJobs`), each wrapped on this store alone. What the claim-loop tests count to show
 * which claims a notice or a settle runs. `restore()` gives the store its own methods back.
 *
 *   const claims = countClaims(engine.store)
 *   …
 *   assert.ok(claims.plain <= 2)
 *   claims.restore()
 */
import type { JobStore } from '../../src/queue/store.js';
export interface ClaimCounts {
    readonly plain: number;
    readonly limited: number;
    /** Resolves once the first plain claim counted here has its answer (or failed). */
    readonly firstPlainAnswered: Promise<void>;
    /** Resolves with the jobs of the next limited claim to start after this call, once answered. */
    nextLimitedAnswer(): Promise<readonly unknown[]>;
    restore(): void;
}
export declare function countClaims(store: JobStore): ClaimCounts;
