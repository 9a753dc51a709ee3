/**
 * NOTIFYs to other instances, coalesced: messages published during the same turn of the event
 * loop (a batch of jobs settling, a batch enqueue) go out as one `pg_notify` statement instead of
 * one round trip and one commit each. Delivery order within a batch is kept, and PostgreSQL folds
 * identical messages of one transaction into one, which listeners tolerate (every message is a hint).
 */
import type { Sql } from 'postgres'
import { Batcher } from '../support/batcher.js'

export interface RemoteMessage {
  channel: string
  payload: string
}

export function notifyBatches(sql: Sql): Batcher<RemoteMessage, void> {
  return new Batcher(async (messages) => {
    // One JSON document rather than array parameters: the connection does not fetch array types.
    const pairs = messages.map((m) => [m.channel, m.payload])
    await sql`select pg_notify(m ->> 0, m ->> 1) from jsonb_array_elements(${sql.json(pairs)}) with ordinality as x(m, n) order by n`
  })
}
