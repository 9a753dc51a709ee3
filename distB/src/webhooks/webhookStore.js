import { schemaIdentifier } from '../db/schemaIdentifier.js';
import { ISO_TIMESTAMP } from '../queue/job.js';
export class WebhookStore {
    sql;
    /** Every table is named in this schema (src/db/schemaIdentifier.ts). */
    schema;
    /** `schema`: the database's `schema` (`DATABASE_SCHEMA`). */
    constructor(sql, schema) {
        this.sql = sql;
        this.schema = schemaIdentifier(sql, schema);
    }
    async createWebhook(webhook) {
        const sql = this.sql;
        const [row] = await sql `
      insert into ${this.schema}.job_runner_webhooks (owner, url, events, type, queue, secret)
      values (${webhook.owner}, ${webhook.url}, ${webhook.events === null ? null : sql.json(webhook.events)},
              ${webhook.type}, ${webhook.queue}, ${webhook.secret})
      returning ${this.webhookColumns()}`;
        return row;
    }
    async countWebhooks({ owner }) {
        const [row] = await this.sql `
      select count(*)::int as count from ${this.schema}.job_runner_webhooks where owner = ${owner}`;
        return row.count;
    }
    /** An owner's subscriptions (every owner's for undefined), oldest first, at most `limit`. */
    async listWebhooks({ owner, limit }) {
        const sql = this.sql;
        return sql `
      select ${this.webhookColumns()} from ${this.schema}.job_runner_webhooks
      where true ${owner === undefined ? sql `` : sql `and owner = ${owner}`}
      order by id limit ${limit}`;
    }
    async deleteWebhook({ id, owner }) {
        if (!/^[1-9][0-9]{0,17}$/.test(id))
            return false;
        const sql = this.sql;
        const rows = await sql `
      delete from ${this.schema}.job_runner_webhooks where id = ${id} ${owner === undefined ? sql `` : sql `and owner = ${owner}`}
      returning id`;
        return rows.length > 0;
    }
    /** The receiver said 410 Gone: no more deliveries to it. */
    async disableWebhook({ id, reason }) {
        await this.sql `
      update ${this.schema}.job_runner_webhooks set disabled_at = now(), disabled_reason = ${reason}
      where id = ${id} and disabled_at is null`;
    }
    /**
     * Claims up to `limit` due deliveries (pending, their time come, not leased or their lease
     * expired) for `instanceId`, counting the attempt. A delivery whose subscription was deleted or
     * disabled meanwhile is failed instead of sent.
     */
    async claimDeliveries({ instanceId, limit, leaseMs, }) {
        const sql = this.sql;
        const rows = await sql `
      with due as (
        select id from ${this.schema}.job_runner_webhook_deliveries
        where state = 'pending' and next_attempt_at <= now()
          and (lease_expires_at is null or lease_expires_at < now())
        order by next_attempt_at, id
        limit ${limit}
        for update skip locked
      ),
      claimed as (
        update ${this.schema}.job_runner_webhook_deliveries d
        set attempts = d.attempts + 1, lease_owner = ${instanceId},
            lease_expires_at = now() + ${leaseMs} * interval '1 millisecond'
        from due where d.id = due.id
        returning d.id, d.job_id, d.webhook_id, d.url, d.event, d.payload, d.attempts
      )
      select c.id, c.job_id, c.webhook_id, c.url, c.event, c.payload, c.attempts, w.secret
      from claimed c left join ${this.schema}.job_runner_webhooks w on w.id = c.webhook_id and w.disabled_at is null
      order by c.id`;
        return rows.map((r) => ({
            id: String(r.id),
            jobId: String(r.job_id),
            webhookId: r.webhook_id === null ? null : String(r.webhook_id),
            url: r.url,
            event: r.event,
            payload: r.payload,
            attempts: r.attempts,
            secret: r.secret,
        }));
    }
    /** Writes a delivery attempt's outcome, fenced by the lease; false when the lease was lost. */
    async settleDelivery({ id, instanceId, settlement, }) {
        const sql = this.sql;
        const state = settlement.kind === 'retry' ? 'pending' : settlement.kind;
        const delayMs = settlement.kind === 'retry' ? settlement.delayMs : 0;
        const rows = await sql `
      update ${this.schema}.job_runner_webhook_deliveries
      set state = ${state}, lease_owner = null, lease_expires_at = null,
          next_attempt_at = now() + ${delayMs} * interval '1 millisecond',
          delivered_at = case when ${state} = 'delivered' then now() end,
          last_status = ${settlement.status}, last_response = ${settlement.response},
          last_error = ${settlement.kind === 'delivered' ? null : settlement.error}
      where id = ${id} and lease_owner = ${instanceId} and state = 'pending'
      returning id`;
        return rows.length > 0;
    }
    /** A job's deliveries, oldest first (at most 100: a job has one per target). */
    async listDeliveries({ jobId }) {
        const sql = this.sql;
        const rows = await sql `
      select id::text, webhook_id::text as "webhookId", url, event, state, attempts,
             case when state = 'pending' then to_char(next_attempt_at at time zone 'UTC', ${ISO_TIMESTAMP}) end as "nextAttemptAt",
             last_status as "lastStatus", last_error as "lastError", last_response as "lastResponse",
             to_char(created_at at time zone 'UTC', ${ISO_TIMESTAMP}) as "createdAt",
             to_char(delivered_at at time zone 'UTC', ${ISO_TIMESTAMP}) as "deliveredAt"
      from ${this.schema}.job_runner_webhook_deliveries where job_id = ${jobId}
      order by id limit 100`;
        return rows.map((r) => ({ ...r }));
    }
    webhookColumns() {
        const sql = this.sql;
        return sql `id::text, owner, url, events, type, queue,
      to_char(disabled_at at time zone 'UTC', ${ISO_TIMESTAMP}) as "disabledAt", disabled_reason as "disabledReason",
      to_char(created_at at time zone 'UTC', ${ISO_TIMESTAMP}) as "createdAt"`;
    }
}
//# sourceMappingURL=webhookStore.js.map