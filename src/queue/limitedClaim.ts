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
 * its own index by type and queue (migration 019), a limited queue's through the claim index. So the
 * first candidate of a key fits its perKey as read; only a key's later candidates need its count.
 */
import type { PendingQuery, Row, Sql, TransactionSql } from 'postgres'
import type { SchemaIdentifier } from '../db/schemaIdentifier.js'
import type { Json } from './job.js'
import { pipelinedTransaction } from '../db/pipelinedTransaction.js'
import { claimedColumns, claimedJob, type ClaimedValues } from './claimedColumns.js'
import type { ClaimedJob } from './store.js'

/** Limits of a job type or a queue; null for none. */
export interface Limits {
  perKey: number | null
  total: number | null
  /** Rate limit (GCRA): one start every `intervalMs`, up to `toleranceMs / intervalMs + 1` at once. */
  intervalMs?: number | null
  toleranceMs?: number | null
  /** The rate limit holds for each concurrency key apart (jobs without a key share one limiter). */
  rateByKey?: boolean
}

/** A job type's limits (`defineJob({ concurrency, rateLimit })`). */
export interface LimitedType extends Limits {
  type: string
}

/** A queue's limits (`QUEUE_LIMITS`). */
export interface LimitedQueue extends Limits {
  queue: string
}

export type LimitScope = 'type' | 'queue'

export interface LimitedClaimParams {
  instanceId: string
  queues: readonly string[]
  /** Jobs to claim for free slots. */
  limit: number
  /**
   * Jobs to claim in all, free slots and the local queue's room together, when every limit that
   * holds them is a `perKey` alone: such a job claimed ahead holds only its own key's place, which
   * its key's next job would wait for anyway. A job under a `total` or a rate limit is claimed only
   * for a free slot (`limit`): held ahead, it would keep a place another instance could run now, or
   * start later than its limiter let it. Default: `limit`.
   */
  aheadLimit?: number
  leaseMs: number
  types: readonly LimitedType[]
  /** Queues with limits, among `queues`: every job of theirs is claimed here. */
  limitedQueues?: readonly LimitedQueue[]
  /** Job types left alone in limited queues (paused ones). */
  exceptTypes?: readonly string[]
  /**
   * Told when rate-limited work may start again (milliseconds since the epoch, the database's
   * clock), after a claim that took some of it: the runner wakes then (src/runner/dueTimer.ts).
   */
  onNextStart?: (atMs: number) => void
  /**
   * Told, after a claim with free slots that took nothing while a rate limiter of these types or
   * queues was out of starts, when the first such limiter lets one through (milliseconds since the
   * epoch, the database's clock). The claim that moved the limiter on announced that time already
   * (`onNextStart`), but an instance that started later, or whose LISTEN connection was down then,
   * missed it: without this it waits for its poll. For this instance alone: the claim is not the
   * news, so it is not sent on. Only limiters of a whole type or queue (not `rateLimit.key`): see
   * `nextRateStart`.
   */
  onRateWait?: (atMs: number) => void
}

/**
 * Candidates read per limit and claim: as many as the claim may take, and at least this many. Keys
 * already at their limit are skipped by the scan itself, so the candidates read are jobs of keys with
 * room; a key with room for fewer jobs than it has among them leaves the claim short, and the next
 * claim, which comes at once (a limited claim always ends short), finds the jobs behind them. Reading
 * twice as many did not pay for itself: every candidate is sorted and ranked by key, and a keyed drain
 * (1,000 keys, perKey 2) took fewer than a third of them (bench/RESULTS.md).
 */
const MIN_CANDIDATES = 32
/**
 * One claim in this many of rate-limited work also deletes per-key limiters long past (a limiter
 * whose time has passed allows what a missing one does), so that many keys leave no growing table
 * behind; a few hundred at a time, to keep the claim short.
 */
const PRUNE_EVERY = 50
/** How late, in intervals, a start may come and still keep its limiter's schedule (see the advance below). */
const LATE_SLACK = 0.5

interface ScopeRow extends Limits {
  scope: LimitScope
  name: string
}

/** The limits in force as the rows `l` of a statement, one per type or queue. */
function limitRows(tx: Sql | TransactionSql, scopes: readonly ScopeRow[]): PendingQuery<Row[]> {
  return tx`jsonb_to_recordset(${tx.json(scopes as unknown as Json)})
    as l(scope text, name text, "perKey" int, total int, "intervalMs" float8, "toleranceMs" float8, "rateByKey" boolean)`
}

/** The limiter's key a job's start advances: its concurrency key when the limit is per key, '' otherwise. */
export function rateKeyOf(limits: Limits, concurrencyKey: string | null): string {
  return limits.rateByKey ? (concurrencyKey ?? '') : ''
}

export async function claimLimitedJobs(
  sql: Sql,
  schema: SchemaIdentifier,
  {
    instanceId,
    queues,
    limit,
    aheadLimit = limit,
    leaseMs,
    types,
    limitedQueues = [],
    exceptTypes = [],
    onNextStart,
    onRateWait,
  }: LimitedClaimParams,
): Promise<ClaimedJob[]> {
  const servedLimitedQueues = limitedQueues.filter((q) => queues.includes(q.queue))
  const most = Math.max(limit, aheadLimit)
  if (most <= 0 || (types.length === 0 && servedLimitedQueues.length === 0) || queues.length === 0) return []
  const scopes: ScopeRow[] = [
    ...types.map(({ type, ...limits }) => ({ scope: 'type' as const, name: type, ...limits })),
    ...servedLimitedQueues.map(({ queue, ...limits }) => ({ scope: 'queue' as const, name: queue, ...limits })),
  ]
  const typeNames = types.map((t) => t.type).sort()
  const queueNames = servedLimitedQueues.map((q) => q.queue).sort()
  const candidates = Math.max(MIN_CANDIDATES, most)
  const list = (names: readonly string[]) => sql`string_to_array(${names.join(',')}, ',')`
  const exceptFilter = exceptTypes.length === 0 ? sql`` : sql`and type <> all(${list(exceptTypes)})`
  const startable = sql`state = 'queued' and run_at <= now() and (expires_at is null or expires_at > now())`
  // The statement holds only the parts the limits in force need: each stage applies one kind of
  // limit of one scope to what the stage before kept, and a kind no scope has would keep every row
  // (and still cost its sort and its planning, on every claim).
  const typeScopes = scopes.filter((l) => l.scope === 'type')
  const queueScopes = scopes.filter((l) => l.scope === 'queue')
  const anyOf = (of: readonly ScopeRow[], holds: (l: ScopeRow) => boolean) => of.some(holds)
  const hasPerKey = (l: ScopeRow) => l.perKey !== null
  const hasTotal = (l: ScopeRow) => l.total !== null
  const hasRate = (l: ScopeRow) => l.intervalMs != null
  // A type's held jobs are found by migration 016's index of every job this claim took; a queue's by
  // the index by queue, which since migration 027 holds only the jobs taken under their queue's limits.
  const heldBy = {
    type: { flag: sql`j.claimed_limited`, column: sql`j.type` },
    queue: { flag: sql`j.claimed_under_queue_limit`, column: sql`j.queue` },
  }
  const runningOf = (scope: LimitScope, names: readonly string[]) => sql`
    select ${scope}::text as scope, ${heldBy[scope].column} as name, j.concurrency_key as key, count(*)::int as n
    from ${schema}.job_runner_jobs j
    where ${heldBy[scope].flag} and j.lease_expires_at is not null and ${heldBy[scope].column} = any(${list(names)})
    group by ${heldBy[scope].column}, j.concurrency_key`
  const runningRows =
    queueScopes.length === 0
      ? runningOf('type', typeNames)
      : typeScopes.length === 0
        ? runningOf('queue', queueNames)
        : sql`${runningOf('type', typeNames)} union all ${runningOf('queue', queueNames)}`
  const totals = anyOf(scopes, hasTotal)
    ? sql`running_total as materialized (select scope, name, sum(n)::int as n from running group by scope, name),`
    : sql``
  const rates = anyOf(scopes, hasRate)
    ? sql`
      -- GCRA: starts each limiter allows now, from its theoretical arrival time.
      rate as materialized (
        select s.scope, s.name, s.key,
               greatest(0, floor((l."toleranceMs" - greatest(0, extract(epoch from s.tat - now()) * 1000)) / l."intervalMs") + 1)::int as allowed
        from limits l join ${schema}.job_runner_rate_limits s on s.scope = l.scope and s.name = l.name
        where l."intervalMs" is not null and (l."rateByKey" or s.key = '')
      ),`
    : sql``
  // Keys to skip in a scan: at the scope's perKey, or out of starts under a per-key rate limit.
  const keysAvailable = sql`
    ${
      anyOf(scopes, hasPerKey)
        ? sql`and (l."perKey" is null or concurrency_key is null or concurrency_key not in (
           select r.key from running r where r.scope = l.scope and r.name = l.name and r.key is not null and r.n >= l."perKey"))`
        : sql``
    }
    ${
      anyOf(scopes, (l) => hasRate(l) && l.rateByKey === true)
        ? sql`and (l."rateByKey" is not true or coalesce(concurrency_key, '') not in (
           select s.key from ${schema}.job_runner_rate_limits s
           where s.scope = l.scope and s.name = l.name and s.tat > now() + l."toleranceMs" * interval '1 millisecond'))`
        : sql``
    }`
  // One scan per type and served queue, in claim order: with "queue = any(...)" the planner reads and
  // sorts every queued job of the type instead. (Matching (type, queue) by row comparisons, so that
  // the planner would read job_runner_jobs_claim_by_type rather than the claim index, made it
  // underestimate the rows and read and sort every queued job of the type, on every claim.)
  // The type is matched as a range of one name, and the order starts with it: only the index by type
  // gives that order, so the planner reads it rather than the claim index filtered by type, which it
  // took when the type's jobs looked evenly spread through the queue and which then read every queued
  // job of other types ahead of them (20 ms a claim behind 100,000 of them). An equality would let it
  // drop the type from the order as a constant, and both indexes would do again.
  const byType = sql`
    select c.* from limits l
    cross join unnest(${list(queues)}) as q(name)
    cross join lateral (
      select id, type, queue, concurrency_key as key, priority, run_at from ${schema}.job_runner_jobs
      where ${startable} and type >= l.name and type <= l.name and queue = q.name ${keysAvailable}
      order by type, priority, run_at, id
      limit ${candidates}
    ) c
    where l.scope = 'type'`
  const byQueue = sql`
    select c.* from limits l
    cross join lateral (
      select id, type, queue, concurrency_key as key, priority, run_at from ${schema}.job_runner_jobs
      where ${startable} and queue = l.name ${exceptFilter} ${keysAvailable}
      order by priority, run_at, id
      limit ${candidates}
    ) c
    where l.scope = 'queue'`
  // A job of a limited type in a limited queue is a candidate of both scans: kept once.
  const candidateRows =
    queueScopes.length === 0
      ? byType
      : typeScopes.length === 0
        ? byQueue
        : sql`select distinct on (c.id) c.* from (${byType} union all ${byQueue}) c order by c.id`
  const columns = sql`c.id, c.type, c.queue, c.key, c.priority, c.run_at`
  const order = sql`c.priority, c.run_at, c.id`
  let stages = sql``
  let kept = sql`candidate`
  const stage = (name: string, body: (from: PendingQuery<Row[]>) => PendingQuery<Row[]>) => {
    stages = sql`${stages} ${sql(name)} as (${body(kept)}),`
    kept = sql`${sql(name)}`
  }
  // Partitions by name and key compare bytes ("C"): any order partitions alike, and a locale's
  // collation made the sort of the candidates by key a large part of the per-key stage.
  const inC = (column: PendingQuery<Row[]>) => sql`${column} collate "C"`
  type StageBody = (scope: LimitScope, column: PendingQuery<Row[]>, from: PendingQuery<Row[]>) => PendingQuery<Row[]>
  // Whether every candidate was read by a scan that skipped the keys at this scope's perKey: when the
  // scans are all of this scope's kind. With limited types and limited queues both, a candidate may
  // come from the other kind's scan alone.
  const scannedUnder = (scope: LimitScope) => (scope === 'type' ? queueScopes : typeScopes).length === 0
  const kinds: [suffix: string, holds: (l: ScopeRow) => boolean, body: StageBody][] = [
    [
      'per_key',
      hasPerKey,
      // A candidate fits when its key's held jobs and the candidates of its key before it leave it a
      // place. The first of its key needs no count when the scan that read it skipped the keys at
      // their limit (`scannedUnder`): every key it met had a place left. The others read their key's
      // count from one map made of only the keys that need it: a map of every held key cost each
      // claim its size (10,000 keys held: two fifths of a claim of 1,030 jobs; bench/RESULTS.md).
      // Its keys are picked by `not ... not in`, which PostgreSQL answers from a hash of the
      // candidates; an `in` became a nested loop over held keys and candidates. Joined to the
      // candidates instead, a table the planner thinks holds one row (it has no statistics of a
      // CTE) became a nested loop too. Partitions start with the key, which tells rows apart: a sort
      // whose first column is the same in every row (the type) compares every column of every pair.
      (scope, column, from) => sql`
      with ranked as materialized (
        select c.*, row_number() over (partition by ${inC(sql`c.key`)}, ${inC(column)} order by ${order}) as nth
        from ${from} c
      ),
      held as materialized (
        select jsonb_object_agg(r.name || chr(31) || r.key, r.n) as counts from running r
        where r.scope = ${scope} and not (r.name, r.key) not in (
          select ${column}, c.key from ranked c where c.key is not null ${scannedUnder(scope) ? sql`and c.nth > 1` : sql``})
      )
      select ${columns} from ranked c
      left join limits l on l.scope = ${scope} and l.name = ${column}
      where l."perKey" is null or c.key is null ${scannedUnder(scope) ? sql`or c.nth = 1` : sql``}
         or (c.nth <= l."perKey"
             and coalesce(((select h.counts from held h) ->> (${column} || chr(31) || c.key))::int, 0) + c.nth <= l."perKey")`,
    ],
    [
      'total',
      hasTotal,
      (scope, column, from) => sql`
      select ${columns} from (
        select c.*, row_number() over (partition by ${inC(column)} order by ${order}) as nth from ${from} c
      ) c
      left join limits l on l.scope = ${scope} and l.name = ${column}
      left join running_total t on t.scope = ${scope} and t.name = ${column}
      where l.total is null or coalesce(t.n, 0) + c.nth <= l.total`,
    ],
    [
      'rate',
      hasRate,
      (scope, column, from) => sql`
      select ${columns} from (
        select c.*, l."intervalMs", l."toleranceMs", rk.key as rate_key,
               row_number() over (partition by ${inC(sql`rk.key`)}, ${inC(column)} order by ${order}) as nth
        from ${from} c
        left join limits l on l.scope = ${scope} and l.name = ${column}
        cross join lateral (select case when l."rateByKey" then coalesce(c.key, '') else '' end as key) rk
      ) c
      left join rate r on r.scope = ${scope} and r.name = ${column} and r.key = c.rate_key
      where c."intervalMs" is null or c.nth <= coalesce(r.allowed, floor(c."toleranceMs" / c."intervalMs")::int + 1)`,
    ],
  ]
  for (const [suffix, holds, body] of kinds) {
    for (const [scope, of, column] of [
      ['type', typeScopes, sql`c.type`],
      ['queue', queueScopes, sql`c.queue`],
    ] as const) {
      if (anyOf(of, holds)) stage(`${scope}_${suffix}`, (from) => body(scope, column, from))
    }
  }
  // Claimed ahead of the free slots only when no total or rate limit holds the job (see aheadLimit);
  // with perKey limits alone, every job may be.
  const nextRows = anyOf(scopes, (l) => hasTotal(l) || hasRate(l))
    ? sql`
      select id from (
        select c.id, c.priority, c.run_at, ahead.ok,
               row_number() over (order by ${order}) as nth,
               row_number() over (partition by ahead.ok order by ${order}) as nth_of_tier
        from ${kept} c
        left join limits lt on lt.scope = 'type' and lt.name = c.type
        left join limits lq on lq.scope = 'queue' and lq.name = c.queue
        cross join lateral (
          select lt.total is null and lt."intervalMs" is null and lq.total is null and lq."intervalMs" is null as ok
        ) ahead
      ) tiered
      where nth <= ${most} and (ok or nth_of_tier <= ${limit})
      order by priority, run_at, id`
    : sql`select c.id from ${kept} c order by ${order} limit ${most}`
  // The claim commits without waiting for its WAL, as the plain claim does (see `claimJobs`).
  // Type locks keep migration 017's keys, so that instances of the release before agree on them.
  // The locks and the claim are two statements, so that the claim's snapshot comes after the locks,
  // but they travel together, with the transaction's BEGIN and COMMIT (src/db/pipelinedTransaction.ts):
  // one round trip, rate limits included (their limiters advance in the claim's statement).
  // The claim reads its indexes by plain index scans, not bitmap scans: an index scan marks the
  // entries of rows no snapshot sees any more (jobs claimed or finished since) as dead, so the next
  // claim skips them, where a bitmap scan visits them all again; the running count read 20 times the
  // entries of the jobs it counted by the middle of a drain. The claim keeps one generic plan: left
  // to choose (plan_cache_mode auto), PostgreSQL went back and forth between generic and custom plans
  // as a drain went on, and half the keyed drains ran slow (16,000–20,000 jobs/s against
  // 22,000–23,700 with either plan held; bench/RESULTS.md).
  const locked = (tx: Sql | TransactionSql) => tx`
    select set_config('synchronous_commit', 'off', true), set_config('enable_bitmapscan', 'off', true),
           set_config('plan_cache_mode', 'force_generic_plan', true),
           (select count(*) from (
              select pg_advisory_xact_lock(hashtext('job_runner.concurrency'), hashtext(t))
              from (select unnest(${list(typeNames)}) as t order by 1) ordered
            ) locked_types),
           (select count(*) from (
              select pg_advisory_xact_lock(hashtext('job_runner.queue_limits'), hashtext(q))
              from (select unnest(${list(queueNames)}) as q order by 1) ordered
            ) locked_queues)`
  const update = (tx: Sql | TransactionSql) => tx`
    update ${schema}.job_runner_jobs j
    set state = 'running', updated_at = now(), started_at = now(), attempts = j.attempts + 1, claimed_limited = true,
        claimed_under_queue_limit = j.queue = any(${list(queueNames)}),
        lease_owner = ${instanceId}, lease_expires_at = now() + ${leaseMs} * interval '1 millisecond'
    where j.id = any(array(select id from next)) and j.state || '' = 'queued'
    returning ${claimedColumns(tx)}`
  // Each limiter that started jobs moves its arrival time on by one interval a start, from where it
  // stood, or from now when it stood further back than `LATE_SLACK` of an interval. A claim always
  // comes a little after the time it was due (the wake-up, the round trip): restarting the schedule
  // from now at every start would lose that much a start, ten starts a second becoming nine and a
  // half. Keeping the schedule lets a late start be followed by one that much sooner, so a second
  // holds at most one start over the limit (bench/RESULTS.md, rate-limit accuracy).
  // In the claim's own statement, after its update: the claim is then one round trip like the
  // others, and the type's lock is held for one statement's execution rather than across round
  // trips through an event loop busy with jobs, while every other instance's claim of the type waits
  // on it. Each claimed row carries, last, when a job like those claimed may start again.
  const advancing = (tx: Sql | TransactionSql) => tx`,
    claimed as (${update(tx)}),
    -- Each claimed job with each rate limiter its start advances (its type's, its queue's).
    limiter_of as (
      select c.id, l.scope, l.name, case when l."rateByKey" then coalesce(c.concurrency_key, '') else '' end as key,
             l."intervalMs" as interval_ms, l."toleranceMs" as tolerance
      from claimed c
      join limits l on l."intervalMs" is not null
        and ((l.scope = 'type' and l.name = c.type) or (l.scope = 'queue' and l.name = c.queue))
    ),
    advance as materialized (
      select scope, name, key, count(*) * interval_ms as ms, interval_ms * ${LATE_SLACK} as slack, tolerance
      from limiter_of
      group by scope, name, key, interval_ms, tolerance
    ),
    advanced as (
      insert into ${schema}.job_runner_rate_limits as s (scope, name, key, tat)
      select a.scope, a.name, a.key, now() + a.ms * interval '1 millisecond' from advance a
      on conflict (scope, name, key) do update
        set tat = greatest(s.tat, now() - (select a.slack from advance a where (a.scope, a.name, a.key) = (s.scope, s.name, s.key)) * interval '1 millisecond')
                  + (excluded.tat - now())
      returning s.scope, s.name, s.key, (extract(epoch from s.tat) * 1000)::float8
                - (select a.tolerance from advance a where (a.scope, a.name, a.key) = (s.scope, s.name, s.key)) as next_ms
    ),
    -- A job under its type's rate limit and its queue's may start when both allow it: the latest of
    -- its limiters. The soonest of those, over the jobs just claimed, is when the next like them may.
    next_start as (
      select min(allowed_ms) as ms from (
        select max(a.next_ms) as allowed_ms
        from limiter_of lo
        join advanced a on (a.scope, a.name, a.key) = (lo.scope, lo.name, lo.key)
        group by lo.id
      ) per_job
    )
    select c.*, (select ms from next_start) as next_start_ms from claimed c`
  // As arrays, as the plain claim reads its rows: see claimedJob (src/queue/claimedColumns.ts).
  const rated = anyOf(scopes, hasRate)
  const claiming = (tx: Sql | TransactionSql): PromiseLike<ClaimedValues[]> =>
    tx`
    with limits as materialized (select * from ${limitRows(tx, scopes)}),
    running as materialized (${runningRows}),
    ${totals}
    ${rates}
    candidate as (${candidateRows}),
    ${stages}
    next as (${nextRows})
    ${rated ? advancing(tx) : update(tx)}`.values() as unknown as PromiseLike<ClaimedValues[]>
  // In the same transaction, after the claim (see PRUNE_EVERY).
  const pruning = (tx: Sql | TransactionSql) => tx`
    delete from ${schema}.job_runner_rate_limits where ctid = any(array(
      select ctid from ${schema}.job_runner_rate_limits where key <> '' and tat < now() - interval '1 minute' limit 500))`
  const prune = rated && Math.random() * PRUNE_EVERY < 1
  // A keyed drain (50,000 jobs, 1,000 keys) claims one batch after another on an event loop busy with
  // the batch before: two round trips fewer a claim made it about a tenth faster (bench/RESULTS.md).
  const [, values] = await pipelinedTransaction<[unknown, ClaimedValues[], ...unknown[]]>(sql, (tx) => [
    locked(tx),
    claiming(tx),
    ...(prune ? [pruning(tx)] : []),
  ])
  if (rated && values.length > 0) {
    const nextStartMs = (values[0] as unknown as unknown[]).at(-1)
    if (nextStartMs != null) onNextStart?.(Number(nextStartMs))
  }
  if (rated && values.length === 0 && limit > 0 && onRateWait) {
    const atMs = await nextRateStart(sql, schema, scopes)
    if (atMs !== null) onRateWait(atMs)
  }
  return values.map(claimedJob)
}

/**
 * When the first of these scopes' rate limiters that is out of starts now lets one through: null
 * when none is. Limiters of a whole type or queue only, one per scope: the wake each gives may find
 * nothing (no job of the scope waits), once. Per-key limiters (`rateLimit.key`) are left out: which
 * of them have jobs waiting is not known without reading the backlog, and the soonest of a thousand
 * keys' limiters, most of them without work, would wake the instance a thousand times to find
 * nothing. A key's next start is announced by the claim that started its job (`onNextStart`); an
 * instance that missed that finds it at its poll.
 */
async function nextRateStart(sql: Sql, schema: SchemaIdentifier, scopes: readonly ScopeRow[]): Promise<number | null> {
  const [row] = await sql<{ ms: number | null }[]>`
    select min(extract(epoch from s.tat) * 1000 - l."toleranceMs")::float8 as ms
    from ${limitRows(sql, scopes)}
    join ${schema}.job_runner_rate_limits s on s.scope = l.scope and s.name = l.name
    where l."intervalMs" is not null and l."rateByKey" is not true and s.key = ''
      and s.tat > now() + l."toleranceMs" * interval '1 millisecond'`
  return row?.ms ?? null
}

/**
 * How many jobs of each limited type or queue, and key, hold a place now (the count the claim
 * makes): what tells a queued job that it waits for `concurrency` (src/observability/jobSignals.ts).
 */
export async function countLimitedRunning(
  sql: Sql,
  schema: SchemaIdentifier,
  { types, queues = [] }: { types: readonly string[]; queues?: readonly string[] },
): Promise<{ scope: LimitScope; name: string; key: string | null; running: number }[]> {
  if (types.length === 0 && queues.length === 0) return []
  return sql<{ scope: LimitScope; name: string; key: string | null; running: number }[]>`
    select 'type' as scope, j.type as name, j.concurrency_key as key, count(*)::int as running
    from ${schema}.job_runner_jobs j
    where j.claimed_limited and j.lease_expires_at is not null
      and j.type = any(string_to_array(${types.join(',')}, ','))
    group by j.type, j.concurrency_key
    union all
    select 'queue', j.queue, j.concurrency_key, count(*)::int
    from ${schema}.job_runner_jobs j
    where j.claimed_under_queue_limit and j.lease_expires_at is not null
      and j.queue = any(string_to_array(${queues.join(',')}, ','))
    group by j.queue, j.concurrency_key`
}

/**
 * The theoretical arrival time of each rate limiter of these types and queues (milliseconds since
 * the epoch), per key when the limit is per key; absent: never started, or long idle.
 */
export async function readRateLimits(
  sql: Sql,
  schema: SchemaIdentifier,
  { types, queues = [] }: { types: readonly string[]; queues?: readonly string[] },
): Promise<{ scope: LimitScope; name: string; key: string; tatMs: number }[]> {
  if (types.length === 0 && queues.length === 0) return []
  const rows = await sql<{ scope: LimitScope; name: string; key: string; tat_ms: number }[]>`
    select scope, name, key, (extract(epoch from tat) * 1000)::float8 as tat_ms from ${schema}.job_runner_rate_limits
    where tat > now()
      and ((scope = 'type' and name = any(string_to_array(${types.join(',')}, ',')))
        or (scope = 'queue' and name = any(string_to_array(${queues.join(',')}, ','))))`
  return rows.map((r) => ({ scope: r.scope, name: r.name, key: r.key, tatMs: Number(r.tat_ms) }))
}
