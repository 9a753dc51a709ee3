import { ISO_TIMESTAMP } from './job.js';
export const MAX_CHECKPOINT_HISTORY = 10;
/** Bytes of JSON past which a history entry keeps only the checkpoint's size: 10 entries stay under 1 MiB. */
export const MAX_CHECKPOINT_HISTORY_ENTRY_BYTES = 100 * 1024;
/** The states an operator may replace a checkpoint in: the job's code is not running. */
export const CHECKPOINT_EDITABLE_STATES = ['paused', 'queued', 'failed', 'cancelled'];
/**
 * The strong entity tag of `j`'s checkpoint, computed by the database so that the read and the
 * compare-and-set agree byte for byte: a hash of the version and of the jsonb text (which jsonb
 * writes in one canonical form). Null when the job has no checkpoint.
 */
function etagOfJ(sql) {
    return sql `case when j.checkpoint is null then null else
    '"' || left(encode(sha256(convert_to(j.checkpoint_version::text || ' ' || j.checkpoint::text, 'UTF8')), 'hex'), 32) || '"' end`;
}
/**
 * The job's checkpoint-write counter, advanced by one when `changed` (a fragment of the `set` of the
 * statement that writes checkpoints): the history slot of the entry it records.
 */
export function countCheckpointWrite(sql, changed) {
    return sql `checkpoint_writes = j.checkpoint_writes + case when ${changed} then 1 else 0 end`;
}
/**
 * `, recorded as (insert …)`: appended after a `written as (update … returning j.id, j.checkpoint,
 * j.checkpoint_version, j.checkpoint_writes, <changed>)` CTE whose update counted each changed
 * checkpoint (`countCheckpointWrite`), it records each one in slot `checkpoint_writes % 10` of its
 * job's ring, over the entry that slot held (the oldest).
 */
export function historyFromWritten(sql, schema, source) {
    return sql `, recorded as (
    insert into ${schema}.job_runner_checkpoint_history as h (job_id, slot, seq, version, source, checkpoint, bytes)
    select w.id, w.checkpoint_writes % ${MAX_CHECKPOINT_HISTORY}, w.checkpoint_writes, w.checkpoint_version, ${source},
           case when b.bytes <= ${MAX_CHECKPOINT_HISTORY_ENTRY_BYTES} then w.checkpoint end, b.bytes
    from written w cross join lateral (select octet_length(w.checkpoint::text) as bytes) b
    where w.changed and w.checkpoint is not null
    on conflict (job_id, slot) do update
      set seq = excluded.seq, written_at = now(), version = excluded.version, source = excluded.source,
          checkpoint = excluded.checkpoint, bytes = excluded.bytes
  )`;
}
/** The checkpoint of job `id` (the caller's, unless `owner` is undefined), or undefined for no such job. */
export async function readCheckpoint(sql, schema, { id, owner }) {
    const [row] = await sql `
    select j.type, j.state, j.checkpoint, j.checkpoint_version, ${etagOfJ(sql)} as etag
    from ${schema}.job_runner_jobs j
    where j.id = ${id} ${owner === undefined ? sql `` : sql `and j.owner = ${owner}`}`;
    if (!row)
        return undefined;
    return {
        type: row.type,
        state: row.state,
        checkpoint: row.checkpoint,
        version: row.checkpoint_version,
        etag: row.etag,
    };
}
/**
 * Replaces job `id`'s checkpoint if, and only if, the job is in an editable state and its current
 * checkpoint's tag matches `ifMatch`: one statement, the row locked while it decides, so no run,
 * claim or other replace slips in between the check and the write. The state is left as it is
 * (this is not a transition: the job's next run resumes from the new checkpoint). The answer says
 * why nothing was written.
 */
export async function replaceCheckpoint(sql, schema, { id, owner, checkpoint, version, ifMatch }) {
    const anyTag = ifMatch === '*';
    const tags = anyTag ? [] : [...ifMatch];
    const [row] = await sql `
    with target as (
      select j.id, j.state, ${etagOfJ(sql)} as etag from ${schema}.job_runner_jobs j
      where j.id = ${id} ${owner === undefined ? sql `` : sql `and j.owner = ${owner}`}
      for update
    ),
    written as (
      update ${schema}.job_runner_jobs j
      set checkpoint = ${sql.json(checkpoint)}::jsonb, checkpoint_version = ${version}, updated_at = now(),
          checkpoint_writes = j.checkpoint_writes + 1
      from target t
      where j.id = t.id and t.state in ${sql(CHECKPOINT_EDITABLE_STATES)} and t.etag is not null
        and (${anyTag} or t.etag in (select jsonb_array_elements_text(${sql.json(tags)})))
      returning j.id, j.checkpoint, j.checkpoint_version, j.checkpoint_writes, true as changed,
                ${etagOfJ(sql)} as new_etag
    )
    ${historyFromWritten(sql, schema, 'operator')}
    select t.state, t.etag, (select w.new_etag from written w) as new_etag from target t`;
    if (!row)
        return { kind: 'not-found' };
    if (row.new_etag !== null)
        return { kind: 'replaced', etag: row.new_etag };
    if (!CHECKPOINT_EDITABLE_STATES.includes(row.state)) {
        return { kind: 'wrong-state', state: row.state };
    }
    return { kind: 'stale', etag: row.etag };
}
/** The history of job `jobId`, newest first; the caller checks the job is visible. */
export async function listCheckpointHistory(sql, schema, { jobId }) {
    return sql `
    select to_char(written_at at time zone 'UTC', ${ISO_TIMESTAMP}) as "writtenAt", version, source, bytes, checkpoint
    from ${schema}.job_runner_checkpoint_history
    where job_id = ${jobId}
    order by seq desc
    limit ${MAX_CHECKPOINT_HISTORY}`;
}
//# sourceMappingURL=checkpointStore.js.map