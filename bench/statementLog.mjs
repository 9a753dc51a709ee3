/**
 * A diagnosis, not a figure (`--log-statements`): which statements a drain sends, how many and how
 * long they take, read from PostgreSQL's own log. pg_stat_statements is not loaded on this server
 * (it needs `shared_preload_libraries` and a restart of a server others use), so the bench database
 * alone is told to log every statement with its duration (`log_min_duration_statement = 0`, a setting
 * of that database, for sessions opened afterwards) and, with `--log-plans`, auto_explain's plan of
 * each. Logging every statement slows the drain: a run with it measures what is sent, not how fast.
 *
 * Statements are grouped by their first words (whitespace collapsed), counted and timed between two
 * instants, from the server log at `--pg-log` (Debian's default path; `log_line_prefix` `%m [%p] %q%u@%d `).
 */
import fs from 'node:fs/promises'
import { admin, adminUrl } from './harness.mjs'

const DEFAULT_LOG = '/var/log/postgresql/postgresql-15-main.log'
const ENTRY = /^(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d+ \w+) \[(\d+)\] (\S*)@(\S*) (\w+):\s+(.*)$/

/** Turns statement logging on for `database` (new sessions), and returns how to read what it logged. */
export async function statementLog(database, { logPath = DEFAULT_LOG, plans = false } = {}) {
  const settings = [`log_min_duration_statement = 0`]
  if (plans)
    settings.push(
      `session_preload_libraries = 'auto_explain'`,
      `"auto_explain.log_min_duration" = 0`,
      `"auto_explain.log_nested_statements" = on`,
    )
  await admin(async (c) => {
    for (const setting of settings) await c.query(`alter database ${database} set ${setting}`)
  }, adminUrl)
  const offset = (await fs.stat(logPath)).size
  return {
    /** Statements of `database` logged between `fromMs` and `toMs` (epoch ms), grouped; and the first plan of each group. */
    async read(fromMs, toMs) {
      const handle = await fs.open(logPath)
      const { size } = await handle.stat()
      const buffer = Buffer.alloc(size - offset)
      await handle.read(buffer, 0, buffer.length, offset)
      await handle.close()
      return summarize(parseEntries(buffer.toString('utf8'), database), fromMs, toMs)
    },
    async stop() {
      await admin(async (c) => {
        await c.query(`alter database ${database} reset log_min_duration_statement`)
        if (plans) {
          await c.query(`alter database ${database} reset session_preload_libraries`)
          await c.query(`alter database ${database} reset "auto_explain.log_min_duration"`)
          await c.query(`alter database ${database} reset "auto_explain.log_nested_statements"`)
        }
      }, adminUrl)
    },
  }
}

/** Log entries of one database: a line with the prefix starts one, unprefixed lines continue it. */
function parseEntries(text, database) {
  const entries = []
  let current
  for (const line of text.split('\n')) {
    const m = ENTRY.exec(line)
    if (m) {
      current =
        m[4] === database
          ? { at: Date.parse(m[1].replace(' UTC', 'Z').replace(' ', 'T')), pid: m[2], level: m[5], text: m[6] }
          : undefined
      if (current) entries.push(current)
    } else if (current) current.text += `\n${line}`
  }
  return entries
}

function summarize(entries, fromMs, toMs) {
  const groups = new Map()
  const plans = []
  for (const { at, text } of entries) {
    if (at < fromMs || at > toMs) continue
    const m = /^duration: ([\d.]+) ms {2}(plan|execute [^:]*|statement):\s*([\s\S]*)$/.exec(text)
    if (!m) continue
    const [, ms, kind, rest] = m
    if (kind === 'plan') {
      plans.push(rest.replace(/^\s*Query Text:\s*/, ''))
      continue
    }
    const shape = shapeOf(rest)
    const group = groups.get(shape) ?? { shape, text: rest, count: 0, totalMs: 0, maxMs: 0 }
    group.count += 1
    group.totalMs += Number(ms)
    group.maxMs = Math.max(group.maxMs, Number(ms))
    groups.set(shape, group)
  }
  // auto_explain logs the query's text, then its plan: each statement's distinct plans (the estimates
  // and the values left out) are counted, so that a plan that changes during the drain shows.
  for (const text of plans) {
    const group = [...groups.values()].find((g) => text.startsWith(g.text))
    if (!group) continue
    const structure = text
      .slice(group.text.length)
      .replace(/\s*\(cost=[^)]*\)/g, '')
      // A custom plan shows the values where a generic one shows $n: the same plan either way.
      .replace(/'[^']*'(::[a-z]+)?|\$\d+/g, '?')
      .trim()
    group.plans ??= {}
    group.plans[structure] = (group.plans[structure] ?? 0) + 1
  }
  return [...groups.values()].sort((a, b) => b.totalMs - a.totalMs).map(({ text: _text, ...group }) => group)
}

/** A statement's first words, whitespace collapsed and SQL comments dropped: enough to tell statements apart. */
function shapeOf(sql) {
  return sql
    .replace(/--[^\n]*/g, ' ')
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, 140)
}

/**
 * Lines for the console: each group's count per 1,000 jobs (or per second: `{ seconds }`), time, and
 * its distinct plans.
 */
export function describeStatements(groups, { jobs, seconds, top = 12 }) {
  const rate = (count) =>
    jobs ? `${((count / jobs) * 1000).toFixed(1)}/1000 jobs` : `${(count / seconds).toFixed(2)}/s`
  const lines = []
  for (const g of groups.slice(0, top)) {
    lines.push(
      `  ${rate(g.count)}, ${g.count}×, ${g.totalMs.toFixed(0)} ms total, mean ${(g.totalMs / g.count).toFixed(2)} max ${g.maxMs.toFixed(1)} ms: ${g.shape.slice(0, 100)}`,
    )
    for (const [plan, count] of Object.entries(g.plans ?? {}))
      lines.push(`    plan ×${count}: ${plan.replace(/\s+/g, ' ').slice(0, 600)}`)
  }
  return lines
}

/** The database name of a connection URL. */
export const databaseOf = (url) => new URL(url).pathname.slice(1)
