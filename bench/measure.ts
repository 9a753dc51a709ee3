/** Small measurement helpers shared by the bench workers: ours, the peers (bench/peers.mjs) and run.mjs. */
import { readdirSync, readFileSync } from 'node:fs'
import postgres from 'postgres'
import type { Runner } from '../src/runner/runner.js'

/** Commits of the current database and the cluster's WAL position, read on a connection of its own. */
export function dbCounters(databaseUrl: string): {
  read(): Promise<{ commits: number; walBytes: number }>
  close(): Promise<void>
} {
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

/**
 * Counts a runner's settled jobs until `total` have settled. `drained(capMs)` resolves with false
 * once they have, or with true when `capMs` passed first (the figure is then what settled by the cap).
 */
export function settlementCounter(runner: Runner, total: number) {
  const counts = { settled: 0, succeeded: 0 }
  let finished!: () => void
  const allDone = new Promise<void>((resolve) => (finished = resolve))
  runner.events.on('job:settled', ({ outcome }) => {
    counts.settled += 1
    if (outcome === 'succeeded') counts.succeeded += 1
    if (counts.settled === total) finished()
  })
  const drained = (capMs: number) =>
    Promise.race([allDone.then(() => false), new Promise<boolean>((r) => setTimeout(() => r(true), capMs).unref())])
  return { counts, drained }
}

/**
 * The whole machine's CPU time so far (every process: the worker, PostgreSQL's backends and
 * background writers), and its idle time, in milliseconds, from /proc/stat (Linux; undefined
 * elsewhere). Nothing else runs during a bench, so the difference over a drain is what the drain
 * cost the machine.
 */
export function machineCpuMs(): { busyMs: number; idleMs: number } | undefined {
  try {
    const fields = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0]!.trim().split(/\s+/).slice(1).map(Number)
    const [user = 0, nice = 0, system = 0, idle = 0, iowait = 0, irq = 0, softirq = 0, steal = 0] = fields
    // USER_HZ is 100 on Linux: one tick is 10 ms.
    return { busyMs: (user + nice + system + irq + softirq + steal) * 10, idleMs: (idle + iowait) * 10 }
  } catch {
    return undefined
  }
}

/** What /proc/<pid>/stat says of a process (Linux): its command, its parent, and CPU time in ms. */
export interface ProcessStat {
  command: string
  ppid: number
  /** Its own user + system time. */
  cpuMs: number
  /** What its exited children spent, once it reaped them. */
  childrenCpuMs: number
}

/** `/proc/<pid>/stat` read (stat(5)); undefined when the process is gone or /proc is not there. */
export function processStat(pid: number | string): ProcessStat | undefined {
  let stat: string
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
  } catch {
    return undefined
  }
  // The command may hold spaces and parentheses: it ends at the last ')'. After it: state, ppid, …;
  // utime and stime are fields 14 and 15, cutime and cstime 16 and 17, in ticks of 10 ms.
  const close = stat.lastIndexOf(')')
  const fields = stat.slice(close + 2).split(' ')
  const at = (field: number) => Number(fields[field - 3])
  return {
    command: stat.slice(stat.indexOf('(') + 1, close),
    ppid: at(4),
    cpuMs: (at(14) + at(15)) * 10,
    childrenCpuMs: (at(16) + at(17)) * 10,
  }
}

/**
 * PostgreSQL's CPU time so far on this machine, in milliseconds: every process named `postgres`
 * (backends, writers, autovacuum), and what its exited children spent (the postmaster's
 * cutime/cstime), from /proc (Linux; undefined elsewhere or when no such process is readable).
 */
export function postgresCpuMs(): number | undefined {
  let entries: string[]
  try {
    entries = readdirSync('/proc').filter((entry) => /^\d+$/.test(entry))
  } catch {
    return undefined
  }
  const postgres = new Map<number, ProcessStat>()
  for (const entry of entries) {
    const stat = processStat(entry)
    if (stat?.command === 'postgres') postgres.set(Number(entry), stat)
  }
  if (postgres.size === 0) return undefined
  let ms = 0
  for (const { ppid, cpuMs, childrenCpuMs } of postgres.values()) {
    // The postmaster (its parent is not a postgres process) also carries its reaped children's time.
    ms += postgres.has(ppid) ? cpuMs : cpuMs + childrenCpuMs
  }
  return ms
}

/** The whole machine's CPU per job between two readings (worker and PostgreSQL together), and the share it was idle. */
export function machineCpuPerJob(
  before: ReturnType<typeof machineCpuMs>,
  after: ReturnType<typeof machineCpuMs>,
  jobs: number,
) {
  if (!before || !after) return {}
  const busyMs = after.busyMs - before.busyMs
  const idleMs = after.idleMs - before.idleMs
  return { machineCpuUsPerJob: (busyMs * 1000) / jobs, machineIdleShare: idleMs / (busyMs + idleMs) }
}
