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
 * The rate limit is a generic cell rate algorithm: the type's theoretical arrival time (one row of
 * `job_runner_rate_limits`) says how many starts it allows now; the claim takes no more, and moves
 * the time on by one interval per start, in the same transaction and under the same lock.
 *
 * A job claimed here counts as running from its claim on, waiting in the local queue included; the
 * runner therefore claims limited jobs only for free slots, never ahead of them. A job without a
 * key is held to `total` only.
 *
 * Counted rows come from the `job_runner_jobs_limited_running` index (migration 016), which only
 * jobs claimed here enter. Candidates are read in claim order, skipping keys already at their limit,
 * through the claim index of each served queue: a limited type shares its queue's scan with every
 * other type there, so a limited type is cheapest in a queue of its own.
 */
import type { Sql } from 'postgres'
import type { JobFields, Json } from './job.js'
import { claimedColumns } from './claimedColumns.js'

/** A job type's limits; null for none. */
export interface LimitedType {
  type: string
  perKey: number | null
  total: number | null
  /** Rate limit (GCRA): one start every `intervalMs`, up to `toleranceMs / intervalMs + 1` at once. */
  intervalMs?: number | null
  toleranceMs?: number | null
}

export interface LimitedClaimParams {
  instanceId: string
  queues: readonly string[]
  limit: number
  leaseMs: number
  types: readonly LimitedType[]
  /**
   * Told when rate-limited types may start again (milliseconds since the epoch, the database's
   * clock), after a claim that took some of them: the runner wakes then (src/runner/dueTimer.ts).
   */
  onNextStart?: (atMs: number) => void
}

/** Candidates read per type and claim, beyond `limit`: some of them may belong to keys at their limit. */
const CANDIDATE_FACTOR = 4
const MIN_CANDIDATES = 32

export async function claimLimitedJobs(
  sql: Sql,
  { instanceId, queues, limit, leaseMs, types, onNextStart }: LimitedClaimParams,
): Promise<JobFields[]> {
  if (limit <= 0 || types.length === 0 || queues.length === 0) return []
  const names = types.map((t) => t.type).sort()
  const candidates = Math.max(MIN_CANDIDATES, limit * CANDIDATE_FACTOR)
  const rateTypes = new Map(types.filter((t) => t.intervalMs != null).map((t) => [t.type, t]))
  const claimed = (await sql.begin(async (tx) => {
    // The claim commits without waiting for its WAL, as the plain claim does (see `claimJobs`).
    await tx`
      select set_config('synchronous_commit', 'off', true),
             (select count(*) from (
                select pg_advisory_xact_lock(hashtext('job_runner.concurrency'), hashtext(t))
                from (select unnest(string_to_array(${names.join(',')}, ',')) as t order by 1) ordered
              ) locked)`
    const rows = await tx<JobFields[]>`
      with limits as materialized (
        select * from jsonb_to_recordset(${tx.json(types as unknown as Json)})
          as l(type text, "perKey" int, total int, "intervalMs" float8, "toleranceMs" float8)
      ),
      -- GCRA: starts allowed now by the rate limit, from the type's theoretical arrival time (null: no rate limit).
      rate as materialized (
        select l.type,
               greatest(0, floor((l."toleranceMs" - extract(epoch from greatest(coalesce(s.tat, now()), now()) - now()) * 1000)
                                 / l."intervalMs") + 1)::int as allowed
        from limits l left join job_runner_rate_limits s on s.type = l.type
        where l."intervalMs" is not null
      ),
      running as materialized (
        select j.type, j.concurrency_key as key, count(*)::int as n
        from job_runner_jobs j
        where j.claimed_limited and j.lease_expires_at is not null
          and j.type in (select type from limits)
        group by j.type, j.concurrency_key
      ),
      running_total as materialized (
        select type, sum(n)::int as n from running group by type
      ),
      candidate as (
        select c.* from limits l
        cross join lateral (
          select id, type, concurrency_key as key, priority, run_at from job_runner_jobs
          where state = 'queued' and type = l.type and run_at <= now() and (expires_at is null or expires_at > now())
            and queue = any(string_to_array(${queues.join(',')}, ','))
            and (l."perKey" is null or concurrency_key is null or concurrency_key not in (
                   select r.key from running r where r.type = l.type and r.key is not null and r.n >= l."perKey"))
          order by priority, run_at, id
          limit ${candidates}
          for update skip locked
        ) c
      ),
      ranked as (
        select c.*, l."perKey", l.total,
               row_number() over (partition by c.type, c.key order by c.priority, c.run_at, c.id) as nth_of_key
        from candidate c join limits l on l.type = c.type
      ),
      within_key as (
        select r.* from ranked r
        left join running k on k.type = r.type and k.key = r.key
        where r."perKey" is null or r.key is null or coalesce(k.n, 0) + r.nth_of_key <= r."perKey"
      ),
      within_total as (
        select w.id, w.priority, w.run_at, w.total, coalesce(t.n, 0) as running_n, r.allowed,
               row_number() over (partition by w.type order by w.priority, w.run_at, w.id) as nth_of_type
        from within_key w left join running_total t on t.type = w.type left join rate r on r.type = w.type
      ),
      next as (
        select id from within_total
        where (total is null or running_n + nth_of_type <= total) and (allowed is null or nth_of_type <= allowed)
        order by priority, run_at, id
        limit ${limit}
      )
      update job_runner_jobs j
      set state = 'running', updated_at = now(), started_at = now(), attempts = j.attempts + 1, claimed_limited = true,
          lease_owner = ${instanceId}, lease_expires_at = now() + ${leaseMs} * interval '1 millisecond'
      where j.id = any(array(select id from next))
      returning ${claimedColumns(tx)}`
    if (rateTypes.size === 0 || rows.length === 0) return rows
    // The rate-limited types that started jobs move their arrival time on by one interval a start.
    const advances = new Map<string, number>()
    for (const row of rows) {
      const rate = rateTypes.get(row.type)
      if (rate) advances.set(row.type, (advances.get(row.type) ?? 0) + rate.intervalMs!)
    }
    if (advances.size === 0) return rows
    const advanced = await tx<{ type: string; next_ms: number }[]>`
      with x as (
        select * from jsonb_to_recordset(${tx.json([...advances].map(([type, ms]) => ({ type, ms })) as unknown as Json)})
          as x(type text, ms float8)
      )
      insert into job_runner_rate_limits as s (type, tat)
      select x.type, now() + x.ms * interval '1 millisecond' from x
      on conflict (type) do update set tat = greatest(s.tat, now()) + (excluded.tat - now())
      returning s.type, (extract(epoch from s.tat) * 1000)::float8 as next_ms`
    for (const { type, next_ms } of advanced) onNextStart?.(Number(next_ms) - (rateTypes.get(type)!.toleranceMs ?? 0))
    return rows
  })) as JobFields[]
  return claimed
}

/**
 * How many jobs of each limited type and key hold a place now (the count the claim makes): what
 * tells a queued job that it waits for `concurrency` (src/observability/jobSignals.ts).
 */
export async function countLimitedRunning(
  sql: Sql,
  { types }: { types: readonly string[] },
): Promise<{ type: string; key: string | null; running: number }[]> {
  if (types.length === 0) return []
  return sql<{ type: string; key: string | null; running: number }[]>`
    select j.type, j.concurrency_key as key, count(*)::int as running
    from job_runner_jobs j
    where j.claimed_limited and j.lease_expires_at is not null
      and j.type = any(string_to_array(${types.join(',')}, ','))
    group by j.type, j.concurrency_key`
}

/** The theoretical arrival time of each rate-limited type (milliseconds since the epoch); absent: never started. */
export async function readRateLimits(
  sql: Sql,
  { types }: { types: readonly string[] },
): Promise<{ type: string; tatMs: number }[]> {
  if (types.length === 0) return []
  const rows = await sql<{ type: string; tat_ms: number }[]>`
    select type, (extract(epoch from tat) * 1000)::float8 as tat_ms from job_runner_rate_limits
    where type = any(string_to_array(${types.join(',')}, ','))`
  return rows.map((r) => ({ type: r.type, tatMs: Number(r.tat_ms) }))
}
