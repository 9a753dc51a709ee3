/**
 * The plain claim's statement, fair between owners: one owner's long backlog does not stand in front
 * of another owner's jobs. Each claim walks the owners with queued jobs in each served queue (one
 * probe of `job_runner_jobs_claim_by_owner` per owner, migration 019), gives each an equal share of
 * the claim and takes that share from the owner's head, in claim order; what owners with fewer jobs
 * than their share leave is filled from the head of the queue, as the claim did before.
 *
 *   queue "default":  A A A A A … (100,000)  B B (2)          claim of 10 → A×5, B×2, then A×3
 *
 * Priority holds within an owner and orders the claimed jobs, but does not let one owner take
 * another's share. With one owner (or none) the claim is the plain one, the same scan of the claim
 * index as before; the fair part does not run.
 *
 * The walk starts after `fromOwner` and wraps around, at most `limit` owners: with more owners than
 * a claim has jobs, the caller passes the last owner served (`nextOwnerCursor`), so that successive
 * claims go round all of them.
 *
 * The common case, one owner in one queue with jobs, is one statement (`plain` below): a probe of
 * each queue's first owner and of one after it, and the plain claim's scan of the claim index, which
 * that probe turns off when there are two (queue, owner) pairs or more; only then does the fair
 * statement run, a second round trip. The fair statement is planned afresh at every execution (about 0.5 ms), which the
 * plain one is not.
 *
 * With types to leave alone (`exceptTypes`: types with limits, which the limited claim takes, and
 * paused ones), the scan of the claim index skips each of their jobs it meets: a paused type's backlog
 * of 100,000 jobs at the head of a queue made every claim of the queue's other jobs read and skip all
 * of them (19 ms a claim, each instance, each poll; 330 ms behind 1,000,000). So each such claim also
 * tells whether 2 × limit excepted jobs or more are due (`exceptedBacklog`), and while they are the
 * next claim reads the head of each other type instead (`typeHeads`), through the index by type: the
 * types are found by skipping from one to the next in that index (a few probes, however many jobs
 * each has), each type's head is read without row locks, and the first `limit` of their union in
 * claim order are locked (SKIP LOCKED), out of twice as many read, so that a claim racing another one
 * takes the jobs after the ones the other locked. Owners are shared out by the fair statement as
 * before; its scans of each owner's jobs still skip an excepted type's jobs one by one.
 *
 * SKIP LOCKED lets many instances claim at once without waiting on each other or taking the same job.
 * The claim commits without waiting for its WAL (see `JobStore.claimJobs`).
 *
 * Both statements are written once per shape (schema, types excepted or not, read by type or not)
 * and sent with their values (src/db/fixedStatement.ts): composed of fragments at every claim, as
 * postgres.js composes a tagged template, the plain claim cost an idle instance's enqueue → start
 * path a third more of what each young-generation collection found alive, and longer pauses.
 */
import type { Sql } from 'postgres';
import { type ClaimedValues } from './claimedColumns.js';
export interface FairClaimParams {
    instanceId: string;
    queues: readonly string[];
    limit: number;
    leaseMs: number;
    /** Job types this claim leaves alone (limited and paused ones); empty adds nothing. */
    exceptTypes: readonly string[];
    /** The walk of owners starts after this one ('' for the first). */
    fromOwner: string;
    /**
     * Also claims jobs due within this many milliseconds; such a job's `started_at` is its `run_at`,
     * and the runner holds it until then (the runner's start lookahead, src/runner/generation.ts).
     */
    lookaheadMs?: number;
    /**
     * Read each other type's head instead of the queue's (see the header): what the claim before
     * answered in `exceptedBacklog`. Only with `exceptTypes`.
     */
    byType?: boolean;
}
export interface FairClaim {
    rows: ClaimedValues[];
    /**
     * With `exceptTypes`: whether 2 × limit excepted jobs or more were due, so that the next claim
     * reads by type (`byType`). Undefined without.
     */
    exceptedBacklog?: boolean;
}
export declare function claimFairly(sql: Sql, schema: string, { instanceId, queues, limit, leaseMs, exceptTypes, fromOwner, lookaheadMs, byType }: FairClaimParams): Promise<FairClaim>;
/**
 * Where the next claim's walk of owners starts: after the last owner this claim served, in the
 * walk's circular order from `fromOwner`.
 */
export declare function nextOwnerCursor(fromOwner: string, claimedOwners: readonly string[]): string;
