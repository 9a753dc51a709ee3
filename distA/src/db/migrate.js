import { migrations as allMigrations } from './migrations/index.js';
import * as tablesInOwnSchema from './migrations/015_tables_in_own_schema.js';
/** An arbitrary constant that names this service's migration lock among the database's advisory locks. */
const MIGRATION_LOCK_ID = 0x6a6f6272; // "jobr"
export async function migrate(db, migrations = allMigrations) {
    const schema = db.schema;
    if (!/^[a-z_][a-z0-9_]{0,62}$/.test(schema))
        throw new Error(`invalid schema name ${JSON.stringify(schema)}`);
    // On the direct connection when there is one: DDL holds its locks for the whole transaction, and
    // a pooler's query or transaction timeouts are not made for it.
    return db.session.begin(async (sql) => {
        if (db.capabilities.sharedAcrossProcesses)
            await sql `select pg_advisory_xact_lock(${MIGRATION_LOCK_ID})`;
        await sql.unsafe(`create schema if not exists ${schema}`);
        // Unqualified names are the schema's, for this transaction (connections have it already).
        await sql.unsafe(`set local search_path to ${schema}`);
        if (schema !== 'public') {
            const [found] = await sql `
        select to_regclass('public.job_runner_migrations') is not null as legacy,
               to_regclass(${`${schema}.job_runner_migrations`}) is not null as current`;
            // A database from before migration 015 keeps its tables in public: everything moves first,
            // the record of what is applied included, so the migrations after it find their tables.
            if (found.legacy && !found.current)
                await sql.unsafe(tablesInOwnSchema.sql);
        }
        await sql `
      create table if not exists job_runner_migrations (
        version integer primary key,
        name text not null,
        applied_at timestamptz not null default now()
      )`;
        const done = new Set((await sql `select version from job_runner_migrations`).map((r) => r.version));
        const applied = [];
        for (const migration of [...migrations].sort((a, b) => a.version - b.version)) {
            if (done.has(migration.version))
                continue;
            await sql.unsafe(migration.sql);
            await sql `insert into job_runner_migrations (version, name) values (${migration.version}, ${migration.name})`;
            applied.push(migration.version);
        }
        return { applied };
    });
}
//# sourceMappingURL=migrate.js.map