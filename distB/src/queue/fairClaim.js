import { fixedStatement, quotedIdentifier, runFixed } from '../db/fixedStatement.js';
import { cached } from '../support/cached.js';
import { CLAIMED_COLUMNS } from './claimedColumns.js';
export async function claimFairly(sql, schema, { instanceId, queues, limit, leaseMs, exceptTypes, fromOwner, lookaheadMs = 0, byType = false }) {
    const excepting = exceptTypes.length > 0;
    const plainShape = { schema, excepting, byType: excepting && byType };
    const fairShape = { schema, excepting, byType: false };
    const values = {
        queues: queues.join(','),
        lookaheadMs,
        limit,
        twiceLimit: 2 * limit,
        instanceId,
        leaseMs,
        // Type names hold no comma (JOB_NAME in jobs/defineJob.ts), so the list travels as one string.
        exceptTypes: exceptTypes.join(','),
        fromOwner,
    };
    // As arrays: see claimedJob (src/queue/claimedColumns.ts).
    const plain = await runFixed(sql, cached(plainStatements, shapeKey(plainShape), () => plainStatement(plainShape)), values).values();
    const mixed = plain[0]?.[MIXED] === true;
    const backlog = excepting ? { exceptedBacklog: plain[0]?.[MIXED + 1] === true } : {};
    if (!mixed)
        return { rows: plain.filter((row) => row[0] !== null), ...backlog };
    const rows = await runFixed(sql, cached(fairStatements, shapeKey(fairShape), () => fairStatement(fairShape)), values).values();
    return { rows: rows, ...backlog };
}
/** Each shape's statements, written at its first claim: a few shapes per instance. */
const plainStatements = new Map();
const fairStatements = new Map();
/** What a shape's statements are kept under. */
function shapeKey({ schema, excepting, byType }) {
    return `${schema} ${excepting} ${byType}`;
}
/** The parts both statements share, for one shape; each call names its parameters where it stands. */
function parts(p, { schema, excepting }) {
    const s = quotedIdentifier(schema);
    const except = () => `string_to_array(${p('exceptTypes')}, ',')`;
    // Queued in `queue`, startable now (or within the lookahead): runnable, not excepted, not past its
    // start-by deadline (the expire row marks those).
    const dueBy = () => `now() + ${p('lookaheadMs')} * interval '1 millisecond'`;
    const startable = () => `state = 'queued' and run_at <= ${dueBy()} and (expires_at is null or expires_at > now()) ${excepting ? `and type <> all(${except()})` : ''}`;
    const firstOwner = (after) => `
    select owner from ${s}.job_runner_jobs where state = 'queued' and queue = q.name ${after} order by owner limit 1`;
    // The head of queue q (served q), in claim order: a scan of the claim index.
    const queueHead = () => `
    select id, priority, run_at from ${s}.job_runner_jobs
    where queue = q.name and ${startable()}
    order by priority, run_at, id
    limit ${p('limit')}
    for update skip locked`;
    // Leases the jobs of the `next` CTE to this instance.
    const leaseNext = () => `
    update ${s}.job_runner_jobs j
    set state = 'running', updated_at = now(), started_at = greatest(now(), j.run_at), attempts = j.attempts + 1,
        lease_owner = ${p('instanceId')}, lease_expires_at = now() + ${p('leaseMs')} * interval '1 millisecond'
    where j.id = any(array(select id from next))
    returning ${CLAIMED_COLUMNS}`;
    const noFlushWait = `
    no_flush_wait as materialized (
      -- true: for this transaction only; referenced below so that it runs.
      select set_config('synchronous_commit', 'off', true)
    )`;
    return { s, except, dueBy, startable, firstOwner, queueHead, leaseNext, noFlushWait };
}
function plainStatement(shape) {
    return fixedStatement((p) => {
        const { s, except, dueBy, firstOwner, queueHead, leaseNext, noFlushWait } = parts(p, shape);
        const { excepting, byType } = shape;
        // The head of every served queue in claim order, leaving the excepted types' jobs alone: a scan of
        // the claim index per queue, which skips each excepted job it meets (one heap fetch apiece), or,
        // behind a backlog of them (`byType`), the heads of the other types (see the header), their ids
        // locked here. Reading each other type's head costs up to `limit` entries a type, however few of
        // them the claim takes (20 ms a claim of 500 among 50 types, against the scan's 9), so it is kept
        // for the backlogs that need it. The two are separate statements, each keeping its own plan.
        const queueScan = () => `
    next as (
      select c.id from served q
      cross join lateral (${queueHead()}) c
      where not (select mixed from mixed)
      order by c.priority, c.run_at, c.id
      limit ${p('limit')}
    )`;
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
        limit ${p('limit')}
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
    )`;
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
    ),`;
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
    from mixed m left join claimed c on true`;
    });
}
function fairStatement(shape) {
    return fixedStatement((p) => {
        const { s, startable, firstOwner, queueHead, leaseNext, noFlushWait } = parts(p, shape);
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
    ${leaseNext()}`;
    });
}
/** Where the plain statement's `mixed` column comes: after the columns of `claimedColumns` (typed so). */
const MIXED = 29;
/**
 * Where the next claim's walk of owners starts: after the last owner this claim served, in the
 * walk's circular order from `fromOwner`.
 */
export function nextOwnerCursor(fromOwner, claimedOwners) {
    let wrapped;
    let after;
    for (const owner of claimedOwners) {
        if (owner > fromOwner)
            after = after === undefined || owner > after ? owner : after;
        else
            wrapped = wrapped === undefined || owner > wrapped ? owner : wrapped;
    }
    return wrapped ?? after ?? fromOwner;
}
//# sourceMappingURL=fairClaim.js.map