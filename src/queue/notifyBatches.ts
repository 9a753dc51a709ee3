/**
 * NOTIFYs to other instances, coalesced: messages published during the same turn of the event
 * loop (a batch of jobs settling, a batch enqueue) go out as one `pg_notify` statement instead of
 * one round trip and one commit each, and the messages of one channel travel together as one
 * comma-separated payload (every payload is a job id or a queue name, neither holds a comma), so a
 * batch of 500 completions is a handful of notifications, not 500 for every listener to parse.
 * Duplicates within a batch are dropped, which listeners tolerate (every message is a hint).
 */
import type { Sql } from 'postgres'
import { Batcher } from '../support/batcher.js'

export interface RemoteMessage {
  channel: string
  payload: string
}

/** PostgreSQL refuses payloads of 8,000 bytes or more. */
const MAX_PAYLOAD_BYTES = 7_000
export const PAYLOAD_SEPARATOR = ','

/** Told of each batch's notifications as sent (before the statement, which may echo at once) and as failed. */
export interface SentNotifications {
  sending(packed: readonly RemoteMessage[]): void
  failed(packed: readonly RemoteMessage[]): void
}

export function notifyBatches(sql: Sql, sent?: SentNotifications): Batcher<RemoteMessage, void> {
  return new Batcher(async (messages) => {
    const packed = packMessages(messages)
    // One JSON document rather than array parameters: the connection does not fetch array types.
    const pairs = packed.map((m) => [m.channel, m.payload])
    sent?.sending(packed)
    try {
      await sql`select pg_notify(m ->> 0, m ->> 1) from jsonb_array_elements(${sql.json(pairs)}) with ordinality as x(m, n) order by n`
    } catch (error) {
      sent?.failed(packed)
      throw error
    }
  })
}

/** Sends each payload as a notification of its own on `channel`, in one statement (for payloads that must not be packed). */
export async function notifyEach(sql: Sql, channel: string, payloads: readonly string[]): Promise<void> {
  if (payloads.length === 0) return
  await sql`select pg_notify(${channel}, p) from jsonb_array_elements_text(${sql.json(payloads as string[])}) as x(p)`
}

/** One message per channel and up to `MAX_PAYLOAD_BYTES`, payloads joined in the order published. */
export function packMessages(messages: readonly RemoteMessage[]): RemoteMessage[] {
  const byChannel = new Map<string, Set<string>>()
  for (const { channel, payload } of messages) {
    let payloads = byChannel.get(channel)
    if (!payloads) byChannel.set(channel, (payloads = new Set()))
    payloads.add(payload)
  }
  const packed: RemoteMessage[] = []
  for (const [channel, payloads] of byChannel) {
    let current = ''
    for (const payload of payloads) {
      if (current !== '' && current.length + 1 + payload.length > MAX_PAYLOAD_BYTES) {
        packed.push({ channel, payload: current })
        current = ''
      }
      current = current === '' ? payload : current + PAYLOAD_SEPARATOR + payload
    }
    if (current !== '') packed.push({ channel, payload: current })
  }
  return packed
}
