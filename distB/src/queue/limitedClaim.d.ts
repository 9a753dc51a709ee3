/**
 * The `claim` row for job types with concurrency limits (`defineJob({ concurrency: { perKey, total } })`)
 * or a rate limit (`rateLimit`): at most `perKey` jobs of one concurrency key and `total` jobs of the
 * type hold a lease at once, and starts come no faster than the rate allows, across every instance. Jobs of other types never come here: the plain claim (`JobStore.claimJobs`)
 * stays one statement with no per-job extra work, and leaves these types alone (`exceptTypes`).
 *
 * How the limit holds across instances: one transaction takes a transaction-scoped advisory lock per
 * limited type (in name order, so two claims never wait on each other in a cycle), then counts the
 * type's leased jobs and claims within what is left, in one statement whose snapshot is taken after
 * the locks: it sees every earlier claim of the type, which committed before releasing them. Only
 * this claim moves a limited job into `running` (a release, an interruption, a lease recovery or an
 * outcome only lowers the count), so the overshoot is zero — as long as every instance runs the same
 * job files: an instance that does not know a type's limit claims it with the plain claim.
 *
 * The same locks keep two limited claims from reading the same candidates, so candidates are read
 * without row locks (the plain claim's FOR UPDATE SKIP LOCKED): a claim reads several times the jobs
 * it takes, and locking each one wrote it (and its WAL record) for nothing. The update itself waits
 * for a row some other statement holds (a cancel, a replace) and re-checks that it is still queued
 * (written `state || ''` so that the planner does not read the whole index of queued jobs, which
 * the plain `state = 'queued'` matches, to intersect it with the few ids taken).
 *
 * The rate limit is a generic cell rate algorithm: the type's theoretical arrival time (one row of
 * `job_runner_rate_limits`, one per key with `rateLimit.key`) says how many starts it allows now;
 * the claim takes no more, and moves the time on by one interval per start, in the same statement
 * and under the same lock.
 *
 * A queue may carry the same limits (`QUEUE_LIMITS`, src/queue/queueLimits.ts): then every job of the
 * queue, whatever its type, comes here; the queue's lock is taken after the types' (types first, each
 * list in name order, on every instance, so no two claims wait on each other in a cycle), its leased
 * jobs are counted through an index of their own (migration 027: only jobs taken while their queue had
 * limits enter it), and a job must fit its type's limits and its queue's. The limits are applied one
 * after another over the candidates, each counting only the candidates the ones before kept, so a job
 * refused by one does not use a place of another.
 *
 * A job claimed here counts as running from its claim on, waiting in the local queue included; the
 * runner therefore claims limited jobs only for free slots, unless `perKey` limits alone hold them
 * (`aheadLimit`): such a job held ahead holds only its own key's place. A job without a key is held
 * to `total` only.
 *
 * Counted rows come from the `job_runner_jobs_limited_running` index (migration 016) and its twin by
 * queue (019, narrowed by 027), which only jobs claimed here enter. Since migration 029 the first also
 * serves as their lease index, in place of the one the plain claim's jobs enter: a job claimed here
 * costs its claim no more index entries than one claimed there, unless its queue has limits.
 *
 * Candidates are read in claim order, skipping keys already at their limit: a limited type's through
 * its own index by type and queue (migration 019), a limited queue's through the claim index.
 */
import type { Sql } from 'postgres';
import type { SchemaIdentifier } from '../db/schemaIdentifier.js';
import type { ClaimedJob } from './store.js';
/** Limits of a job type or a queue; null for none. */
export interface Limits {
    perKey: number | null;
    total: number | null;
    /** Rate limit (GCRA): one start every `intervalMs`, up to `toleranceMs / intervalMs + 1` at once. */
    intervalMs?: number | null;
    toleranceMs?: number | null;
    /** The rate limit holds for each concurrency key apart (jobs without a key share one limiter). */
    rateByKey?: boolean;
}
/** A job type's limits (`defineJob({ concurrency, rateLimit })`). */
export interface LimitedType extends Limits {
    type: string;
}
/** A queue's limits (`QUEUE_LIMITS`). */
export interface LimitedQueue extends Limits {
    queue: string;
}
export type LimitScope = 'type' | 'queue';
export interface LimitedClaimParams {
    instanceId: string;
    queues: readonly string[];
    /** Jobs to claim for free slots. */
    limit: number;
    /**
     * Jobs to claim in all, free slots and the local queue's room together, when every limit that
     * holds them is a `perKey` alone: such a job claimed ahead holds only its own key's place, which
     * its key's next job would wait for anyway. A job under a `total` or a rate limit is claimed only
     * for a free slot (`limit`): held ahead, it would keep a place another instance could run now, or
     * start later than its limiter let it. Default: `limit`.
     */
    aheadLimit?: number;
    leaseMs: number;
    types: readonly LimitedType[];
    /** Queues with limits, among `queues`: every job of theirs is claimed here. */
    limitedQueues?: readonly LimitedQueue[];
    /** Job types left alone in limited queues (paused ones). */
    exceptTypes?: readonly string[];
    /**
     * Told when rate-limited work may start again (milliseconds since the epoch, the database's
     * clock), after a claim that took some of it: the runner wakes then (src/runner/dueTimer.ts).
     */
    onNextStart?: (atMs: number) => void;
    /**
     * Told, after a claim with free slots that took nothing while a rate limiter of these types or
     * queues was out of starts, when the first such limiter lets one through (milliseconds since the
     * epoch, the database's clock). The claim that moved the limiter on announced that time already
     * (`onNextStart`), but an instance that started later, or whose LISTEN connection was down then,
     * missed it: without this it waits for its poll. For this instance alone: the claim is not the
     * news, so it is not sent on. Only limiters of a whole type or queue (not `rateLimit.key`): see
     * `nextRateStart`.
     */
    onRateWait?: (atMs: number) => void;
}
/** The limiter's key a job's start advances: its concurrency key when the limit is per key, '' otherwise. */
export declare function rateKeyOf(limits: Limits, concurrencyKey: string | null): string;
export declare function claimLimitedJobs(sql: Sql, schema: SchemaIdentifier, { instanceId, queues, limit, aheadLimit, leaseMs, types, limitedQueues, exceptTypes, onNextStart, onRateWait, }: LimitedClaimParams): Promise<ClaimedJob[]>;
/**
 * How many jobs of each limited type or queue, and key, hold a place now (the count the claim
 * makes): what tells a queued job that it waits for `concurrency` (src/observability/jobSignals.ts).
 */
export declare function countLimitedRunning(sql: Sql, schema: SchemaIdentifier, { types, queues }: {
    types: readonly string[];
    queues?: readonly string[];
}): Promise<{
    scope: LimitScope;
    name: string;
    key: string | null;
    running: number;
}[]>;
/**
 * The theoretical arrival time of each rate limiter of these types and queues (milliseconds since
 * the epoch), per key when the limit is per key; absent: never started, or long idle.
 */
export declare function readRateLimits(sql: Sql, schema: SchemaIdentifier, { types, queues }: {
    types: readonly string[];
    queues?: readonly string[];
}): Promise<{
    scope: LimitScope;
    name: string;
    key: string;
    tatMs: number;
}[]>;
