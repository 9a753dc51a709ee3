/**
 * A hot statement whose text is written once per shape, not composed again at every execution.
 *
 * postgres.js composes a tagged template and its fragments (`sql\`...${fragment}...\``) afresh at
 * every call: each fragment is a `Query` (a promise with four closures), and the whole text is
 * concatenated again before its prepared statement is looked up. The plain claim, composed of about
 * twenty fragments, allocated 15 KB a claim that way, and in an idle instance's enqueue → start path
 * (P2, one claim per job) what the scavenger found alive at each young-generation collection grew by
 * half, the pauses with it (bench/RESULTS.md, "The claim written once per shape").
 *
 * `fixedStatement` numbers the parameters in the order the text names them, one `$n` for each
 * occurrence, as postgres.js numbers a tagged template's values: the same text, the same parameter
 * types inferred by PostgreSQL, the same prepared statement and plan. `runFixed` sends it with
 * `sql.unsafe`, prepared unless the pool prepares nothing (behind a transaction pooler).
 */
import type { ParameterOrJSON, PendingQuery, Row, Sql, TransactionSql } from 'postgres'

export interface FixedStatement<Name extends string> {
  text: string
  /** The value of each `$n`, by name, in order. */
  names: readonly Name[]
}

/** `write` returns the text; `param(name)` stands for a value, and may name one value several times. */
export function fixedStatement<Name extends string>(
  write: (param: (name: Name) => string) => string,
): FixedStatement<Name> {
  const names: Name[] = []
  const text = write((name) => {
    names.push(name)
    return `$${names.length}`
  })
  return { text, names }
}

export function runFixed<Name extends string>(
  sql: Sql | TransactionSql,
  { text, names }: FixedStatement<Name>,
  values: Record<Name, ParameterOrJSON<never>>,
): PendingQuery<Row[]> {
  return sql.unsafe(
    text,
    names.map((name) => values[name]),
    { prepare: true },
  )
}

/** A schema name as an identifier in a statement's text (names are checked at start-up: src/config.ts). */
export function quotedIdentifier(name: string): string {
  return `"${name.replaceAll('"', '""')}"`
}
