/**
 * A drain measured from the outside, as a user would read it from the jobs' own timestamps: from the
 * first job's `started_at` to the last one's `finished_at` in job_runner_jobs (both the database's
 * `now()`: the claim's and the outcome write's transaction start). The claim sets `started_at`, so a
 * job claimed ahead into the local queue counts from its claim, not from the call of its code.
 *
 * Also the ramp-up: finishes in the first half second against the steady rate (the middle half of
 * the finishes), and the sizes of the first claims (the rows of one claim share its `started_at`).
 * `rampUp` works on any list of finish times, so graphile-worker's (recorded in its task) are read
 * the same way.
 */
import { admin, sleep } from './harness.mjs'

/** Polls until `total` jobs are finished (or `timeoutMs` passes); the end time comes from the rows, not from here. */
export async function waitFinished(url, total, { timeoutMs = 120_000, intervalMs = 250 } = {}) {
  return admin(async (c) => {
    const deadline = Date.now() + timeoutMs
    let polls = 0
    for (;;) {
      const { rows } = await c.query(`select count(*)::int as n from job_runner_jobs where finished_at is not null`)
      polls += 1
      if (rows[0].n >= total) return { polls, finished: rows[0].n, timedOut: false }
      if (Date.now() > deadline) return { polls, finished: rows[0].n, timedOut: true }
      await sleep(intervalMs)
    }
  }, url)
}

/** The finished jobs' start, finish and state, as `drainWindow` reads them (schema-qualified: PGlite sets no search_path). */
export const FINISHED_ROWS_SQL = `select extract(epoch from started_at) * 1000 as started, extract(epoch from finished_at) * 1000 as finished, state
  from job_runner.job_runner_jobs where finished_at is not null`

export async function drainWindow(url) {
  const { rows } = await admin((c) => c.query(FINISHED_ROWS_SQL), url)
  return windowOf(rows)
}

/** The drain window of rows read with FINISHED_ROWS_SQL, from PostgreSQL or from an embedded folder. */
export function windowOf(rows) {
  const starts = rows.map((r) => Number(r.started)).sort((a, b) => a - b)
  const finishes = rows.map((r) => Number(r.finished)).sort((a, b) => a - b)
  const firstStartMs = starts[0]
  const lastFinishMs = finishes.at(-1)
  const elapsedMs = lastFinishMs - firstStartMs
  return {
    jobs: rows.length,
    succeeded: rows.filter((r) => r.state === 'succeeded').length,
    firstStartMs,
    lastFinishMs,
    elapsedMs,
    jobsPerSec: (rows.length / elapsedMs) * 1000,
    rampUp: rampUp(firstStartMs, finishes),
    firstClaims: firstClaims(starts),
  }
}

/**
 * A rate for a log line: `n/a` when there is none, as a drain too short to tell a steady rate leaves
 * (its NaN reaches the parent process as null: JSON has no NaN).
 */
export function formatRate(perSec) {
  return typeof perSec === 'number' && Number.isFinite(perSec) ? perSec.toFixed(0) : 'n/a'
}

/**
 * How fast the drain got going: finishes in the first 500 ms after the first start (as jobs/s), the
 * steady rate over the middle half of the finishes, and the finishes per 100 ms over the first second.
 */
export function rampUp(firstStartMs, sortedFinishes) {
  const n = sortedFinishes.length
  if (n === 0) return undefined
  const within = (ms) => sortedFinishes.filter((t) => t <= firstStartMs + ms).length
  const q25 = sortedFinishes[Math.floor(n * 0.25)]
  const q75 = sortedFinishes[Math.floor(n * 0.75)]
  const per100Ms = Array.from({ length: 10 }, (_, i) => within((i + 1) * 100) - within(i * 100))
  return {
    firstHalfSecondJobsPerSec: within(500) * 2,
    steadyJobsPerSec: q75 > q25 ? ((Math.floor(n * 0.75) - Math.floor(n * 0.25)) / (q75 - q25)) * 1000 : NaN,
    msToFirstFinish: sortedFinishes[0] - firstStartMs,
    msTo1000Finished: n >= 1000 ? sortedFinishes[999] - firstStartMs : NaN,
    per100Ms,
  }
}

/** The first claims: how many rows each took and when (ms after the first), from the shared `started_at`. */
function firstClaims(sortedStarts, count = 12) {
  const claims = []
  for (const t of sortedStarts) {
    const last = claims.at(-1)
    if (last && last.at === t) last.rows += 1
    else if (claims.length === count) break
    else claims.push({ at: t, rows: 1 })
  }
  return claims.map((c) => ({ afterMs: +(c.at - sortedStarts[0]).toFixed(1), rows: c.rows }))
}

/**
 * The indexes of the jobs table and the owner listing: size and, with pgstattuple, leaf density and
 * fragmentation (a freshly built B-tree packs its leaves to 90 %). The extension is created in the
 * bench's own database when the server has it.
 */
export async function indexShape(url) {
  return admin(async (c) => {
    await c.query('create extension if not exists pgstattuple').catch(() => {})
    const hasStats = (await c.query(`select 1 from pg_extension where extname = 'pgstattuple'`)).rowCount > 0
    const { rows } = await c.query(
      `select i.indexrelid::regclass::text as name, pg_relation_size(i.indexrelid)::float8 as bytes
       from pg_index i join pg_class t on t.oid = i.indrelid
       where t.relname in ('job_runner_jobs', 'job_runner_owner_jobs') order by 1`,
    )
    const indexes = {}
    for (const { name, bytes } of rows) {
      const shape = { kB: Math.round(bytes / 1024) }
      if (hasStats) {
        const { rows: s } = await c.query(
          `select avg_leaf_density::float8 as density, leaf_fragmentation::float8 as fragmentation, leaf_pages::int as leaves
           from pgstatindex($1)`,
          [name],
        )
        Object.assign(shape, { leafDensity: s[0].density, leafFragmentation: s[0].fragmentation, leaves: s[0].leaves })
      }
      indexes[name.replace(/^job_runner\./, '')] = shape
    }
    const { rows: table } = await c.query(
      `select pg_relation_size('job_runner_jobs')::float8 / 1024 as "tableKb", n_live_tup::int as live, n_dead_tup::int as dead
       from pg_stat_user_tables where relname = 'job_runner_jobs'`,
    )
    return { ...table[0], tableKb: Math.round(table[0].tableKb), indexes }
  }, url)
}
