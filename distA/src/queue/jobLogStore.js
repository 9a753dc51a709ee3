import { ISO_TIMESTAMP } from './job.js';
export const MAX_JOB_LOG_LINES = 1000;
export const MAX_JOB_LOG_BYTES = 256 * 1024;
/** Appends `lines` (of any jobs) and trims each job they belong to back to its bounds. */
export async function appendJobLogs(sql, schema, lines) {
    if (lines.length === 0)
        return;
    const rows = lines.map((line, ord) => ({
        ord,
        job_id: line.jobId,
        at: line.at,
        level: line.level,
        message: line.message,
        fields: line.fields,
        bytes: line.bytes,
    }));
    // A job deleted meanwhile (pruned, by its retention) takes no lines.
    await sql `
    insert into ${schema}.job_runner_job_logs (job_id, at, level, message, fields, bytes)
    select x.job_id, x.at, x.level, x.message, x.fields, x.bytes
    from jsonb_to_recordset(${sql.json(rows)}) as x(
      ord int, job_id bigint, at timestamptz, level text, message text, fields jsonb, bytes int)
    where exists (select 1 from ${schema}.job_runner_jobs j where j.id = x.job_id)
    order by x.ord`;
    const jobIds = [...new Set(lines.map((line) => line.jobId))];
    // A second statement: a data-modifying CTE could not see the rows the insert adds.
    await sql `
    delete from ${schema}.job_runner_job_logs l
    where l.id = any(array(
      select r.id from (
        select g.id, row_number() over w as n, sum(g.bytes) over w as total
        from ${schema}.job_runner_job_logs g
        where g.job_id = any(array(select jsonb_array_elements_text(${sql.json(jobIds)})::bigint))
        window w as (partition by g.job_id order by g.id desc)
      ) r
      where r.n > ${MAX_JOB_LOG_LINES} or r.total > ${MAX_JOB_LOG_BYTES}))`;
}
/** Lines of job `jobId` after line `afterId` (from the first when absent), oldest first. */
export async function listJobLogs(sql, schema, { jobId, afterId, limit }) {
    // `id` comes back as text (postgres.js reads bigint so), while the ordering is numeric.
    return sql `
    select id, to_char(at at time zone 'UTC', ${ISO_TIMESTAMP}) as at, level, message, fields
    from ${schema}.job_runner_job_logs
    where job_id = ${jobId} ${afterId === undefined ? sql `` : sql `and id > ${afterId}`}
    order by id
    limit ${limit}`;
}
/**
 * The lines of each job after its line id, oldest first, at most `limitPerJob` of each: what the
 * event streams following those jobs have not sent yet. One statement for every job of a flush.
 */
export async function listJobLogsAfter(sql, schema, { after, limitPerJob }) {
    if (after.length === 0)
        return [];
    const pairs = after.map(({ jobId, afterId }) => ({ job_id: jobId, after_id: afterId }));
    const rows = await sql `
    select l.id, l.job_id::text as "jobId", to_char(l.at at time zone 'UTC', ${ISO_TIMESTAMP}) as at, l.level,
      l.message, l.fields, j.owner, j.type, j.queue, j.state
    from jsonb_to_recordset(${sql.json(pairs)}) as x(job_id bigint, after_id bigint)
    join ${schema}.job_runner_jobs j on j.id = x.job_id
    cross join lateral (
      select g.* from ${schema}.job_runner_job_logs g
      where g.job_id = x.job_id and g.id > x.after_id
      order by g.id
      limit ${limitPerJob}) l
    order by l.id`;
    return rows.map(streamed);
}
/**
 * Lines after `afterId` of the jobs of `owner` (every owner's when undefined), oldest first, at most
 * `limit`: what a stream of many jobs missed while its client was away (its `Last-Event-ID`). Read
 * by line id, the table's primary key.
 */
export async function listOwnerJobLogsAfter(sql, schema, { owner, afterId, limit }) {
    const rows = await sql `
    select l.id, l.job_id::text as "jobId", to_char(l.at at time zone 'UTC', ${ISO_TIMESTAMP}) as at, l.level,
      l.message, l.fields, j.owner, j.type, j.queue, j.state
    from ${schema}.job_runner_job_logs l
    join ${schema}.job_runner_jobs j on j.id = l.job_id
    where l.id > ${afterId} ${owner === undefined ? sql `` : sql `and j.owner = ${owner}`}
    order by l.id
    limit ${limit}`;
    return rows.map(streamed);
}
function streamed({ owner, type, queue, state, ...line }) {
    return { ...line, job: { owner, type, queue, state } };
}
//# sourceMappingURL=jobLogStore.js.map