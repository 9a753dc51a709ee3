/**
 * NOTIFYs to other instances, coalesced: messages published during the same turn of the event
 * loop (a batch of jobs settling, a batch enqueue) go out as one `pg_notify` statement instead of
 * one round trip and one commit each, and the messages of one channel travel together as one
 * comma-separated payload (every payload is a job id or a queue name, neither holds a comma), so a
 * batch of 500 completions is a handful of notifications, not 500 for every listener to parse.
 * Duplicates within a batch are dropped, which listeners tolerate (every message is a hint).
 */
import type { Sql } from 'postgres';
import { Batcher } from '../support/batcher.js';
export interface RemoteMessage {
    channel: string;
    payload: string;
}
export declare const PAYLOAD_SEPARATOR = ",";
/** Told of each batch's notifications as sent (before the statement, which may echo at once) and as failed. */
export interface SentNotifications {
    sending(packed: readonly RemoteMessage[]): void;
    failed(packed: readonly RemoteMessage[]): void;
}
export declare function notifyBatches(sql: Sql, sent?: SentNotifications): Batcher<RemoteMessage, void>;
/** Sends each payload as a notification of its own on `channel`, in one statement (for payloads that must not be packed). */
export declare function notifyEach(sql: Sql, channel: string, payloads: readonly string[]): Promise<void>;
/** One message per channel and up to `MAX_PAYLOAD_BYTES`, payloads joined in the order published. */
export declare function packMessages(messages: readonly RemoteMessage[]): RemoteMessage[];
