/**
 * Applies pending migrations in one transaction. On a shared PostgreSQL several instances may start
 * at once: a transaction-scoped advisory lock makes them take turns, and the ones that come second
 * find nothing left to do.
 */
import type { Database } from './database.js'
import { migrations as allMigrations, type Migration } from './migrations/index.js'

/** An arbitrary constant that names this service's migration lock among the database's advisory locks. */
const MIGRATION_LOCK_ID = 0x6a6f6272 // "jobr"

export async function migrate(
  db: Database,
  migrations: readonly Migration[] = allMigrations,
): Promise<{ applied: number[] }> {
  return db.sql.begin(async (sql) => {
    if (db.capabilities.sharedAcrossProcesses) await sql`select pg_advisory_xact_lock(${MIGRATION_LOCK_ID})`
    await sql`
      create table if not exists job_runner_migrations (
        version integer primary key,
        name text not null,
        applied_at timestamptz not null default now()
      )`
    const done = new Set(
      (await sql<{ version: number }[]>`select version from job_runner_migrations`).map((r) => r.version),
    )
    const applied: number[] = []
    for (const migration of [...migrations].sort((a, b) => a.version - b.version)) {
      if (done.has(migration.version)) continue
      await sql.unsafe(migration.sql)
      await sql`insert into job_runner_migrations (version, name) values (${migration.version}, ${migration.name})`
      applied.push(migration.version)
    }
    return { applied }
  })
}
