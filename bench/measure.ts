/** Small measurement helpers shared by the bench workers written in TypeScript. */
import postgres from 'postgres'

/** Commits of the current database and the cluster's WAL position, read on a connection of its own. */
export function dbCounters(databaseUrl: string): { read(): Promise<{ commits: number; walBytes: number }>; close(): Promise<void> } {
  const sql = postgres(databaseUrl, { max: 1, onnotice: () => {} })
  return {
    async read() {
      // Statistics reach pg_stat_database up to a second late (PostgreSQL 15 flushes them lazily).
      await new Promise((r) => setTimeout(r, 1100))
      const [row] = await sql<{ commits: string; wal: string }[]>`
        select xact_commit::text as commits, pg_wal_lsn_diff(pg_current_wal_lsn(), '0/0')::text as wal
        from pg_stat_database where datname = current_database()`
      return { commits: Number(row!.commits), walBytes: Number(row!.wal) }
    },
    close: () => sql.end({ timeout: 1 }),
  }
}

export function percentile(samples: readonly number[], p: number): number {
  const sorted = [...samples].sort((a, b) => a - b)
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!
}

export function rssMb(): number {
  return process.memoryUsage().rss / 1024 / 1024
}
