import { cached } from '../support/cached.js';
import { ISO_TIMESTAMP } from './job.js';
/** The states whose arrival is a webhook event. */
export const WEBHOOK_EVENTS = ['succeeded', 'failed', 'cancelled', 'expired'];
/**
 * Each fragment below is built once per `sql` (or schema) and reused by every statement: postgres.js
 * makes a fragment a `Query`, and the young-generation collector finds each one made alive, however
 * short its use (src/db/fixedStatement.ts says how that showed). A fragment is only read when a
 * statement is written, so statements running at once can share it.
 */
const movedColumnsOf = new WeakMap();
const outboxOf = new WeakMap();
const queuedDeliveriesOf = new WeakMap();
/** What an outcome statement's `moved` CTE must return for the outbox (prefixed `j.`). */
export function movedColumns(sql) {
    return cached(movedColumnsOf, sql, () => sql `j.id, j.owner, j.type, j.queue, j.state, j.attempts, j.result, j.error, j.callback, j.finished_at`);
}
/** `, outbox as (insert … from moved …)`: append after a `moved as (update … returning movedColumns)` CTE. */
export function outboxFromMoved(sql, schema) {
    return cached(outboxOf, schema, () => outbox(sql, schema));
}
function outbox(sql, schema) {
    return sql `, outbox as (
    insert into ${schema}.job_runner_webhook_deliveries (job_id, owner, webhook_id, url, event, payload)
    select m.id, m.owner, t.webhook_id, t.url, m.state,
           jsonb_build_object(
             'type', 'job.' || m.state,
             'timestamp', to_char(now() at time zone 'UTC', ${ISO_TIMESTAMP}),
             'data', jsonb_build_object(
               'id', m.id::text, 'type', m.type, 'queue', m.queue, 'state', m.state, 'attempts', m.attempts,
               'result', m.result, 'error', m.error,
               'finishedAt', to_char(m.finished_at at time zone 'UTC', ${ISO_TIMESTAMP})))
    from moved m
    cross join lateral (
      select null::bigint as webhook_id, m.callback->>'url' as url
      where m.callback is not null and (m.callback->'events' is null or m.callback->'events' ? m.state)
      union all
      select w.id, w.url from ${schema}.job_runner_webhooks w
      where w.owner = m.owner and w.disabled_at is null
        and (w.events is null or w.events ? m.state)
        and (w.type is null or w.type = m.type) and (w.queue is null or w.queue = m.queue)
    ) t
    where m.state in ('succeeded', 'failed', 'cancelled', 'expired')
      -- Evaluated once per statement: with no live subscription anywhere (the common case), a job
      -- without a callback skips the per-job probe of its owner's subscriptions.
      and (m.callback is not null or (select exists (select 1 from ${schema}.job_runner_webhooks where disabled_at is null)))
    returning job_id
  )`;
}
/**
 * A column for the outcome statement's final select: how many deliveries its outbox inserted, the
 * same on every row (evaluated once). Most outcomes insert none, and then nobody needs to look for
 * deliveries to send (`JobStoreOptions.onDeliveriesQueued`).
 */
export function queuedDeliveries(sql) {
    return cached(queuedDeliveriesOf, sql, () => sql `(select count(*)::int from outbox) as queued_deliveries`);
}
//# sourceMappingURL=outbox.js.map