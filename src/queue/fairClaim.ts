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
 * each has), each type's head of 2 × limit jobs is read without row locks, and the first `limit` of
 * their union in claim order are locked (SKIP LOCKED), out of twice as many read, so that a claim
 * racing another one takes the jobs after the ones the other locked (with heads of `limit`, a claim
 * racing another for one type's jobs read only the ones locked, and took none). Owners are shared out by the fair statement as
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
import type { Sql } from 'postgres'
import { fixedStatement, quotedIdentifier, runFixed, type FixedStatement } from '../db/fixedStatement.js'
import { cached } from '../support/cached.js'
import { CLAIMED_COLUMNS, type ClaimedValues } from './claimedColumns.js'

export interface FairClaimParams {
  instanceId: string
  queues: readonly string[]
  limit: number
  leaseMs: number
  /** Job types this claim leaves alone (limited and paused ones); empty adds nothing. */
  exceptTypes: readonly string[]
  /** The walk of owners starts after this one ('' for the first). */
  fromOwner: string
  /**
   * Also claims jobs due within this many milliseconds; such a job's `started_at` is its `run_at`,
   * and the runner holds it until then (the runner's start lookahead, src/runner/generation.ts).
   */
  lookaheadMs?: number
  /**
   * Read each other type's head instead of the queue's (see the header): what the claim before
   * answered in `exceptedBacklog`. Only with `exceptTypes`.
   */
  byType?: boolean
}

export interface FairClaim {
  rows: ClaimedValues[]
  /**
   * With `exceptTypes`: whether 2 × limit excepted jobs or more were due, so that the next claim
   * reads by type (`byType`). Undefined without.
   */
  exceptedBacklog?: boolean
}

export async function claimFairly(
  sql: Sql,
  schema: string,
  { instanceId, queues, limit, leaseMs, exceptTypes, fromOwner, lookaheadMs = 0, byType = false }: FairClaimParams,
): Promise<FairClaim> {
  const excepting = exceptTypes.length > 0
  const plainShape: Shape = { schema, excepting, byType: excepting && byType }
  const fairShape: Shape = { schema, excepting, byType: false }
  const values: Record<PlainParam | FairParam, string | number> = {
    queues: queues.join(','),
    lookaheadMs,
    limit,
    twiceLimit: 2 * limit,
    instanceId,
    leaseMs,
    // Type names hold no comma (JOB_NAME in jobs/defineJob.ts), so the list travels as one string.
    exceptTypes: exceptTypes.join(','),
    fromOwner,
  }
  // As arrays: see claimedJob (src/queue/claimedColumns.ts).
  const plain = await runFixed(
    sql,
    cached(plainStatements, shapeKey(plainShape), () => plainStatement(plainShape)),
    values,
  ).values()
  const mixed = plain[0]?.[MIXED] === true
  const backlog = excepting ? { exceptedBacklog: plain[0]?.[MIXED + 1] === true } : {}
  if (!mixed) return { rows: plain.filter((row) => row[0] !== null) as unknown as ClaimedValues[], ...backlog }
  const rows = await runFixed(
    sql,
    cached(fairStatements, shapeKey(fairShape), () => fairStatement(fairShape)),
    values,
  ).values()
  return { rows: rows as unknown as ClaimedValues[], ...backlog }
}

/** What a claim's statement text depends on: everything else travels as parameters. */
interface Shape {
  schema: string
  excepting: boolean
  byType: boolean
}
type PlainParam = 'queues' | 'lookaheadMs' | 'limit' | 'twiceLimit' | 'instanceId' | 'leaseMs' | 'exceptTypes'
type FairParam = 'queues' | 'lookaheadMs' | 'limit' | 'instanceId' | 'leaseMs' | 'exceptTypes' | 'fromOwner'

/** Each shape's statements, written at its first claim: a few shapes per instance. */
const plainStatements = new Map<string, FixedStatement<PlainParam>>()
const fairStatements = new Map<string, FixedStatement<FairParam>>()

/** What a shape's statements are kept under. */
function shapeKey({ schema, excepting, byType }: Shape): string {
  return `${schema} ${excepting} ${byType}`
}

/** The parts both statements share, for one shape; each call names its parameters where it stands. */
function parts(p: (name: PlainParam & FairParam) => string, { schema, excepting }: Shape) {
  const s = quotedIdentifier(schema)
  const except = () => `string_to_array(${p('exceptTypes')}, ',')`
  // Queued in `queue`, startable now (or within the lookahead): runnable, not excepted, not past its
  // start-by deadline (the expire row marks those).
  const dueBy = () => `now() + ${p('lookaheadMs')} * interval '1 millisecond'`
  const startable = () =>
    `state = 'queued' and run_at <= ${dueBy()} and (expires_at is null or expires_at > now()) ${excepting ? `and type <> all(${except()})` : ''}`
  const firstOwner = (after: string) => `
    select owner from ${s}.job_runner_jobs where state = 'queued' and queue = q.name ${after} order by owner limit 1`
  // The head of queue q (served q), in claim order: a scan of the claim index.
  const queueHead = () => `
    select id, priority, run_at from ${s}.job_runner_jobs
    where queue = q.name and ${startable()}
    order by priority, run_at, id
    limit ${p('limit')}
    for update skip locked`
  // Leases the jobs of the `next` CTE to this instance.
  const leaseNext = () => `
    update ${s}.job_runner_jobs j
    set state = 'running', updated_at = now(), started_at = greatest(now(), j.run_at), attempts = j.attempts + 1,
        lease_owner = ${p('instanceId')}, lease_expires_at = now() + ${p('leaseMs')} * interval '1 millisecond'
    where j.id = any(array(select id from next))
    returning ${CLAIMED_COLUMNS}`
  const noFlushWait = `
    no_flush_wait as materialized (
      -- true: for this transaction only; referenced below so that it runs.
      select set_config('synchronous_commit', 'off', true)
    )`
  return { s, except, dueBy, startable, firstOwner, queueHead, leaseNext, noFlushWait }
}

function plainStatement(shape: Shape): FixedStatement<PlainParam> {
  return fixedStatement<PlainParam>((p) => {
    const { s, except, dueBy, firstOwner, queueHead, leaseNext, noFlushWait } = parts(p, shape)
    const { excepting, byType } = shape
    // The head of every served queue in claim order, leaving the excepted types' jobs alone: a scan of
    // the claim index per queue, which skips each excepted job it meets (one heap fetch apiece), or,
    // behind a backlog of them (`byType`), the heads of the other types (see the header), their ids
    // locked here. Reading each other type's head costs up to 2 × limit entries a type, however few of
    // them the claim takes (20 ms a claim of 500 among 50 types, against the scan's 9, when it read
    // `limit`), so it is kept for the backlogs that need it. The two are separate statements, each keeping its own plan.
    const queueScan = () => `
    next as (
      select c.id from served q
      cross join lateral (${queueHead()}) c
      where not (select mixed from mixed)
      order by c.priority, c.run_at, c.id
      limit ${p('limit')}
    )`
    const typeHeads = () => `
    -- Every type with queued jobs, one probe of the index by type each.
    queued_types(name) as (
      select min(type) from ${s}.job_runner_jobs where state = 'queued'
      union all
      select (select min(type) from ${s}.job_runner_jobs where state = 'queued' and type > t.name)
      from queued_types t where t.name is not null
    ),
    type_heads as (
      select c.id, c.priority, c.run_at from served q
      cross join queued_types t
      cross join lateral (
        select id, priority, run_at from ${s}.job_runner_jobs
        -- Nothing but the index by type's own columns (the start-by deadline is checked as they are
        -- locked), so that the planner reads that index alone, not the claim index (queue, priority,
        -- ...) filtered by type, which it would take thinking the type's jobs spread evenly through it:
        -- the very read of the other types' jobs this avoids.
        where type = t.name and queue = q.name and state = 'queued' and run_at <= ${dueBy()}
        order by priority, run_at, id
        -- Twice the claim, as the union below (see the header).
        limit ${p('twiceLimit')}
      ) c
      where t.name is not null and t.name <> all(${except()})
        and not (select mixed from mixed)
    ),
    next as (
      select id from ${s}.job_runner_jobs
      -- (state || ''): not the partial indexes' own predicate, which would have the planner read every
      -- queued job from one of them to intersect with the ids (see src/queue/limitedClaim.ts).
      where id = any(array(select id from type_heads order by priority, run_at, id limit ${p('twiceLimit')}))
        and (state || '') = 'queued' and (expires_at is null or expires_at > now())
      order by priority, run_at, id
      limit ${p('limit')}
      for update skip locked
    )`
    // With types excepted: whether 2 × limit of their jobs or more are due (at most that many entries of
    // the index by type read), the answer the next claim chooses its form by.
    const exceptedBacklog = () => `
    excepted_backlog as materialized (
      select count(*) >= ${p('twiceLimit')} as large from (
        select 1 from served q
        cross join lateral (
          select 1 from ${s}.job_runner_jobs
          where type = any(${except()}) and queue = q.name and state = 'queued' and run_at <= ${dueBy()}
          limit ${p('twiceLimit')}
        ) e
        limit ${p('twiceLimit')}
      ) due
    ),`
    return `
    with ${excepting && byType ? 'recursive' : ''} ${noFlushWait},
    -- regexp_split_to_table, not unnest(string_to_array(...)): the planner estimates unnest's rows
    -- from a constant array only, so a custom plan (one queue) looked ten times cheaper than the
    -- generic one (ten queues), and PostgreSQL planned this statement afresh at every execution,
    -- about 0.3 ms of a 0.4 ms claim. Estimated alike, the prepared statement keeps its generic plan.
    served as (
      select q.name from no_flush_wait, regexp_split_to_table(${p('queues')}, ',') as q(name)
    ),
    -- Whether the queued jobs of the served queues have two (queue, owner) pairs or more, as the fair
    -- statement counts its shares: each queue's first owner, then one after it. Both are probes of
    -- the index by owner in its order (order by owner limit 1): written as exists (...), the second
    -- one became a sequential scan of the whole table once ANALYZE had counted its rows (10 ms a
    -- claim with 120,000 jobs, growing with every finished job kept).
    mixed as materialized (
      select count(*) > 1 or coalesce(bool_or((${firstOwner('and owner > f.owner')}) is not null), false) as mixed
      from served q
      cross join lateral (${firstOwner('')}) f
    ),
    ${excepting ? exceptedBacklog() : ''}
    ${excepting && byType ? typeHeads() : queueScan()},
    claimed as (
      ${leaseNext()}
    )
    -- One row with nulls when nothing was claimed; \`mixed\` (and the excepted backlog) past the
    -- columns claimedJob reads.
    select c.*, m.mixed ${excepting ? ', (select large from excepted_backlog)' : ''}
    from mixed m left join claimed c on true`
  })
}

function fairStatement(shape: Shape): FixedStatement<FairParam> {
  return fixedStatement<FairParam>((p) => {
    const { s, startable, firstOwner, queueHead, leaseNext, noFlushWait } = parts(p, shape)
    return `
    with ${noFlushWait},
    served as (
      select q.name from no_flush_wait, unnest(string_to_array(${p('queues')}, ',')) as q(name)
    ),
    -- Each queue's first owner, probed once: the walk wraps around to it. During a drain this probe
    -- steps over the index entries of the jobs claimed just before (not yet dead to every snapshot),
    -- which the probes after an owner never meet.
    heads as materialized (
      select q.name, (${firstOwner('')}) as first_owner from served q
    ),
    -- The owners with queued jobs in each queue, from the one after fromOwner round to it.
    owners as materialized (
      select q.name as queue, w.owner from heads q
      cross join lateral (
        with recursive walk(owner, first, n) as (
          select o.owner, o.owner, 1 from (
            -- offset 0: evaluated once, not once for each use of o.owner.
            select coalesce((${firstOwner(`and owner > ${p('fromOwner')}`)}), q.first_owner) as owner offset 0
          ) o where o.owner is not null
          union all
          select s.owner, s.first, s.n from (
            select coalesce((${firstOwner('and owner > w.owner')}), q.first_owner) as owner, w.first, w.n + 1 as n
            from walk w where w.n < ${p('limit')}
          ) s where s.owner <> s.first
        )
        select owner from walk
      ) w
    ),
    shares as (
      select queue, owner, ceil(${p('limit')}::float8 / count(*) over ())::int as share from owners
    ),
    -- One owner (the usual case): the plain claim's scan of the claim index, unchanged.
    single as (
      select c.id, c.priority, c.run_at, null::bigint as nth from served q
      cross join lateral (${queueHead()}) c
      where (select count(*) from owners) <= 1
    ),
    fair as materialized (
      select c.id, c.priority, c.run_at,
             row_number() over (partition by s.queue, s.owner order by c.priority, c.run_at, c.id) as nth
      from shares s
      cross join lateral (
        select id, priority, run_at from ${s}.job_runner_jobs
        where queue = s.queue and owner = s.owner and ${startable()}
        order by priority, run_at, id
        limit s.share
        for update skip locked
      ) c
      where (select count(*) from owners) > 1
    ),
    -- What owners short of their share left, from the head of each queue (one index scan per queue,
    -- in claim order: with "queue = any(...)" the planner would sort every queued job instead).
    fill as (
      select c.id, c.priority, c.run_at, null::bigint as nth from served q
      cross join lateral (
        select id, priority, run_at from ${s}.job_runner_jobs
        where queue = q.name and ${startable()} and id <> all(array(select id from fair))
        order by priority, run_at, id
        limit greatest(0, ${p('limit')} - (select count(*) from fair))
        for update skip locked
      ) c
      where (select count(*) from owners) > 1
    ),
    next as (
      select id from (select * from single union all select * from fair union all select * from fill) picked
      order by priority, nth nulls last, run_at, id
      limit ${p('limit')}
    )
    ${leaseNext()}`
  })
}

/** Where the plain statement's `mixed` column comes: after the columns of `claimedColumns` (typed so). */
const MIXED: ClaimedValues['length'] = 29

/**
 * Where the next claim's walk of owners starts: after the last owner this claim served, in the
 * walk's circular order from `fromOwner`.
 */
export function nextOwnerCursor(fromOwner: string, claimedOwners: readonly string[]): string {
  let wrapped: string | undefined
  let after: string | undefined
  for (const owner of claimedOwners) {
    if (owner > fromOwner) after = after === undefined || owner > after ? owner : after
    else wrapped = wrapped === undefined || owner > wrapped ? owner : wrapped
  }
  return wrapped ?? after ?? fromOwner
}
