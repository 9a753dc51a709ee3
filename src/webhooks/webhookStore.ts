/**
 * Every SQL statement of webhooks: an owner's subscriptions (create, list, delete, disable) and the
 * outbox of deliveries (the rows the job store's outcome statements insert: src/queue/outbox.ts),
 * claimed by any instance under a lease with `FOR UPDATE SKIP LOCKED`, as jobs are, and settled
 * with the lease fence, so an instance that lost a delivery's lease (SIGKILL, a pause past it)
 * cannot overwrite the instance that took it over.
 *
 *   pending ──claim (attempts + 1, leased)──▶ pending, leased ──2xx──▶ delivered
 *      ▲                                          │ ├──410 / out of attempts / refused──▶ failed
 *      └──────── other answer: next_attempt_at ◀──┘ └──lease expired (SIGKILL): claimable again
 */
import type { Sql } from 'postgres'
import { schemaIdentifier, type SchemaIdentifier } from '../db/schemaIdentifier.js'
import type { Json } from '../queue/job.js'
import { ISO_TIMESTAMP } from '../queue/job.js'

export interface WebhookRow {
  id: string
  owner: string
  url: string
  events: string[] | null
  type: string | null
  queue: string | null
  disabledAt: string | null
  disabledReason: string | null
  createdAt: string
}

export interface ClaimedDelivery {
  id: string
  jobId: string
  webhookId: string | null
  url: string
  event: string
  payload: Json
  attempts: number
  /** The subscription's secret; null for a job's own callback (signed with WEBHOOK_SECRET). */
  secret: string | null
}

export interface DeliveryRow {
  id: string
  webhookId: string | null
  url: string
  event: string
  state: 'pending' | 'delivered' | 'failed'
  attempts: number
  nextAttemptAt: string | null
  lastStatus: number | null
  lastError: string | null
  lastResponse: string | null
  createdAt: string
  deliveredAt: string | null
}

export type DeliverySettlement =
  | { kind: 'delivered'; status: number; response: string }
  | { kind: 'retry'; status: number | null; error: string; response: string | null; delayMs: number }
  | { kind: 'failed'; status: number | null; error: string; response: string | null }

export class WebhookStore {
  /** Every table is named in this schema (src/db/schemaIdentifier.ts). */
  private readonly schema: SchemaIdentifier

  /** `schema`: the database's `schema` (`DATABASE_SCHEMA`). */
  constructor(
    private readonly sql: Sql,
    schema: string,
  ) {
    this.schema = schemaIdentifier(sql, schema)
  }

  /**
   * Stores a subscription, unless its owner holds `limit` already (null then). The count and the insert
   * run after a transaction-scoped lock of the owner's, each statement with a snapshot taken after it,
   * so that subscriptions created at once cannot pass the limit together (counted and then inserted
   * apart, 130 at once made 104). Disabled subscriptions count: they are listed until deleted.
   */
  async createWebhook(webhook: {
    owner: string
    url: string
    events: readonly string[] | null
    type: string | null
    queue: string | null
    secret: string
    limit: number
  }): Promise<WebhookRow | null> {
    return this.sql.begin(async (tx) => {
      await tx`select pg_advisory_xact_lock(hashtext('job_runner.webhooks'), hashtext(${webhook.owner}))`
      const [row] = await tx<WebhookRow[]>`
        insert into ${this.schema}.job_runner_webhooks (owner, url, events, type, queue, secret)
        select ${webhook.owner}, ${webhook.url}, ${webhook.events === null ? null : tx.json(webhook.events as unknown as Json)},
               ${webhook.type}, ${webhook.queue}, ${webhook.secret}
        where (select count(*) from ${this.schema}.job_runner_webhooks where owner = ${webhook.owner}) < ${webhook.limit}
        returning ${this.webhookColumns()}`
      return row ?? null
    })
  }

  /** Subscriptions by id, after `afterId` when given: an owner's, or every owner's (`owner` undefined). */
  async listWebhooks({
    owner,
    afterId,
    limit,
  }: {
    owner: string | undefined
    afterId?: string
    limit: number
  }): Promise<WebhookRow[]> {
    const sql = this.sql
    return sql<WebhookRow[]>`
      select ${this.webhookColumns()} from ${this.schema}.job_runner_webhooks w
      where true ${owner === undefined ? sql`` : sql`and w.owner = ${owner}`}
        ${afterId === undefined ? sql`` : sql`and w.id > ${afterId}`}
      -- w.id, the number: a bare "id" would name the text the select list makes of it (10 before 9)
      order by w.id limit ${limit}`
  }

  async deleteWebhook({ id, owner }: { id: string; owner: string | undefined }): Promise<boolean> {
    if (!/^[1-9][0-9]{0,17}$/.test(id)) return false
    const sql = this.sql
    const rows = await sql`
      delete from ${this.schema}.job_runner_webhooks where id = ${id} ${owner === undefined ? sql`` : sql`and owner = ${owner}`}
      returning id`
    return rows.length > 0
  }

  /** The receiver said 410 Gone: no more deliveries to it. */
  async disableWebhook({ id, reason }: { id: string; reason: string }): Promise<void> {
    await this.sql`
      update ${this.schema}.job_runner_webhooks set disabled_at = now(), disabled_reason = ${reason}
      where id = ${id} and disabled_at is null`
  }

  /**
   * Claims up to `limit` due deliveries (pending, their time come, not leased or their lease
   * expired) for `instanceId`, counting the attempt. A delivery whose subscription was deleted or
   * disabled meanwhile is failed instead of sent.
   */
  async claimDeliveries({
    instanceId,
    limit,
    leaseMs,
  }: {
    instanceId: string
    limit: number
    leaseMs: number
  }): Promise<ClaimedDelivery[]> {
    const sql = this.sql
    const rows = await sql<
      (Omit<ClaimedDelivery, 'id' | 'jobId' | 'webhookId'> & {
        id: string
        job_id: string
        webhook_id: string | null
      })[]
    >`
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
      order by c.id`
    return rows.map((r) => ({
      id: String(r.id),
      jobId: String(r.job_id),
      webhookId: r.webhook_id === null ? null : String(r.webhook_id),
      url: r.url,
      event: r.event,
      payload: r.payload,
      attempts: r.attempts,
      secret: r.secret,
    }))
  }

  /** Writes a delivery attempt's outcome, fenced by the lease; false when the lease was lost. */
  async settleDelivery({
    id,
    instanceId,
    settlement,
  }: {
    id: string
    instanceId: string
    settlement: DeliverySettlement
  }): Promise<boolean> {
    const sql = this.sql
    const state = settlement.kind === 'retry' ? 'pending' : settlement.kind
    const delayMs = settlement.kind === 'retry' ? settlement.delayMs : 0
    const rows = await sql`
      update ${this.schema}.job_runner_webhook_deliveries
      set state = ${state}, lease_owner = null, lease_expires_at = null,
          next_attempt_at = now() + ${delayMs} * interval '1 millisecond',
          delivered_at = case when ${state} = 'delivered' then now() end,
          last_status = ${settlement.status}, last_response = ${settlement.response},
          last_error = ${settlement.kind === 'delivered' ? null : settlement.error}
      where id = ${id} and lease_owner = ${instanceId} and state = 'pending'
      returning id`
    return rows.length > 0
  }

  /** A job's deliveries, oldest first (at most 100: a job has one per target). */
  async listDeliveries({ jobId }: { jobId: string }): Promise<DeliveryRow[]> {
    const sql = this.sql
    const rows = await sql<(DeliveryRow & { next_attempt_at: string | null })[]>`
      select id::text, webhook_id::text as "webhookId", url, event, state, attempts,
             case when state = 'pending' then to_char(next_attempt_at at time zone 'UTC', ${ISO_TIMESTAMP}) end as "nextAttemptAt",
             last_status as "lastStatus", last_error as "lastError", last_response as "lastResponse",
             to_char(created_at at time zone 'UTC', ${ISO_TIMESTAMP}) as "createdAt",
             to_char(delivered_at at time zone 'UTC', ${ISO_TIMESTAMP}) as "deliveredAt"
      from ${this.schema}.job_runner_webhook_deliveries d where d.job_id = ${jobId}
      -- d.id, the number: a bare "id" would name the text the select list makes of it (10 before 9)
      order by d.id limit 100`
    return rows.map((r) => ({ ...r }))
  }

  private webhookColumns() {
    const sql = this.sql
    return sql`id::text, owner, url, events, type, queue,
      to_char(disabled_at at time zone 'UTC', ${ISO_TIMESTAMP}) as "disabledAt", disabled_reason as "disabledReason",
      to_char(created_at at time zone 'UTC', ${ISO_TIMESTAMP}) as "createdAt"`
  }
}
