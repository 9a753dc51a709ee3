/**
 * How `DATABASE_URL` shares PostgreSQL's server connections (`DATABASE_POOLING`), and what the
 * service's pool must then do without.
 *
 * - `none`: the URL reaches PostgreSQL itself; each connection is a session of ours.
 * - `session`: a pooler (PgBouncer's `pool_mode = session`) lends a server connection for as long
 *   as our client connection lives: for us, the same as `none`.
 * - `transaction`: a pooler (PgBouncer's `pool_mode = transaction`, as Heroku's and most managed
 *   PostgreSQL's poolers run) lends a server connection for one transaction; the next one of the
 *   same client connection may land on another. Nothing may then outlive a transaction: no named
 *   prepared statements (postgres.js's default; PgBouncer before 1.21 does not carry them over, and
 *   the next statement fails with "prepared statement … does not exist"), no startup parameters but
 *   the few PgBouncer tracks (a `search_path` is refused), no `SET`, no LISTEN, no session advisory
 *   lock. The store names its tables with their schema (src/db/schemaIdentifier.ts), sets settings
 *   with `set_config(…, true)` (for the transaction), takes advisory locks with `pg_advisory_xact_lock`
 *   and runs statements unprepared here; LISTEN and migrations go to `DATABASE_DIRECT_URL`.
 *
 * The price: without a prepared statement postgres.js learns a statement's parameter types anew each
 * time, so every statement with parameters takes two round trips (Parse and Describe, then Bind and
 * Execute), and the pooler lends the server connection for both and for the service's turn between
 * them. A busy event loop (a job's CPU work in-process) thus holds pooled server connections, and
 * each statement costs a round trip more than direct (bench/RESULTS.md, P12). PgBouncer 1.21 and
 * later carry prepared statements in transaction mode (`max_prepared_statements`); Debian's 1.18,
 * which the tests run, does not, and through it concurrent clients with prepared statements hang.
 *
 * PgBouncer cannot be told apart from PostgreSQL over the protocol, nor its pool mode seen from a
 * client, so the mode is said, not detected. Statement pooling is refused in src/config.ts: it
 * cannot run the transactions every claim and outcome uses.
 */
import type { Options, PostgresType, Sql } from 'postgres';
export declare const DATABASE_POOLING_MODES: readonly ["none", "session", "transaction"];
export type DatabasePooling = (typeof DATABASE_POOLING_MODES)[number];
export declare function isDatabasePooling(value: string): value is DatabasePooling;
/** The options of a pool on `DATABASE_URL` that differ with `pooling`. */
export declare function poolingOptions(pooling: DatabasePooling, schema: string): Pick<Options<Record<string, PostgresType>>, 'prepare' | 'connection'>;
/**
 * What start-up logs when a session it cannot set (transaction pooling) runs with JIT on, or
 * undefined: the setting is the role's or the database's there, so the sentence says which to change.
 */
export declare function jitWarning(sql: Sql, pooling: DatabasePooling): Promise<string | undefined>;
