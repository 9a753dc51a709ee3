/**
 * The backends LISTENing on the test's database, other than `admin`'s own: the tests that kill an
 * instance's LISTEN connection (to prove what happens when it comes back) find it here.
 */
import type postgres from 'postgres'

export async function listeningBackends(admin: postgres.Sql): Promise<number[]> {
  const rows = await admin<{ pid: number }[]>`
    select pid from pg_stat_activity
    where datname = current_database() and query ilike 'listen%' and pid <> pg_backend_pid()`
  return rows.map((r) => r.pid)
}
