/**
 * The webhook outbox, as part of the job store's outcome statements: a fragment each statement
 * that can finish a job appends as one more common table expression, after its update (`moved`),
 * so that the deliveries of a finished job are inserted by the same statement, in the same
 * transaction, as its outcome (an outbox: committed together or not at all). One delivery per
 * matching target: the job's own `callback` (unless its `events` leave the state out) and each of
 * its owner's live subscriptions whose events, type and queue match. While any live subscription
 * exists, a job without a callback adds one probe of its owner's subscriptions (an index of live
 * ones) to its outcome write; while none does, one probe per statement.
 *
 * The payload is the Standard Webhooks envelope, fixed at insert: `{type: "job.<state>",
 * timestamp, data: {id, type, queue, state, attempts, result, error, finishedAt}}`.
 */
import type { PendingQuery, Row, Sql } from 'postgres';
import type { SchemaIdentifier } from '../db/schemaIdentifier.js';
/** The states whose arrival is a webhook event. */
export declare const WEBHOOK_EVENTS: readonly ["succeeded", "failed", "cancelled", "expired"];
export type WebhookEvent = (typeof WEBHOOK_EVENTS)[number];
/** What an outcome statement's `moved` CTE must return for the outbox (prefixed `j.`). */
export declare function movedColumns(sql: Sql): PendingQuery<Row[]>;
/** `, outbox as (insert … from moved …)`: append after a `moved as (update … returning movedColumns)` CTE. */
export declare function outboxFromMoved(sql: Sql, schema: SchemaIdentifier): PendingQuery<Row[]>;
/**
 * A column for the outcome statement's final select: how many deliveries its outbox inserted, the
 * same on every row (evaluated once). Most outcomes insert none, and then nobody needs to look for
 * deliveries to send (`JobStoreOptions.onDeliveriesQueued`).
 */
export declare function queuedDeliveries(sql: Sql): PendingQuery<Row[]>;
