/**
 * The service's schema (`DATABASE_SCHEMA`) as an SQL identifier, so that every statement names its
 * tables in full: `${schema}.job_runner_jobs`. A connection's search_path is session state, and
 * through a pooler in transaction mode (`DATABASE_POOLING=transaction`: PgBouncer, as Heroku and
 * most managed PostgreSQL run it) the session is not the service's: a startup `search_path` is
 * refused (or, listed in `ignore_startup_parameters`, dropped), and a `SET` would reach whichever
 * client gets that server connection next while this client's next transaction lands on another.
 * Qualified names need no session at all (graphile-worker and pg-boss do the same), and cost
 * nothing: the name is in the statement's text.
 *
 * The name is validated where it is read (src/config.ts) and quoted here all the same.
 */
import type { Helper, Sql } from 'postgres';
export type SchemaIdentifier = Helper<string, []>;
export declare function schemaIdentifier(sql: Sql, schema: string): SchemaIdentifier;
