/**
 * Issue 24, PgBouncer: the insert and delete triggers' functions (migrations 004 and 007) name the
 * tables they write without a schema, so they found them through the session's search_path, which
 * every connection set at start-up. Behind a pooler in transaction mode a connection has no
 * search_path of the service's (src/db/schemaIdentifier.ts): every job insert then failed in the
 * trigger ("relation job_runner_owner_jobs does not exist"). Each function now carries its own
 * search_path, the service's schema: `from current` takes the migration transaction's (src/db/migrate.ts
 * sets it to `DATABASE_SCHEMA`), so the SQL needs no schema name. Both triggers run once per
 * statement or per deleted row; the setting costs them a save and restore of one variable.
 *
 * A function added later does the same (`set search_path from current` in its `create function`);
 * test/db/pgbouncer.test.ts checks that every function of the schema has one.
 *
 * Number 022: the numbers between belong to parallel work; versions are applied by set (src/db/migrate.ts).
 */
export declare const version = 22;
export declare const name = "functions_own_search_path";
export declare const sql = "\nalter function job_runner_list_inserted_jobs() set search_path from current;\nalter function job_runner_unlist_deleted_job() set search_path from current;\nalter function job_runner_announce_inserted_jobs() set search_path from current;\n";
