/**
 * A hot statement whose text is written once per shape, not composed again at every execution.
 *
 * postgres.js composes a tagged template and its fragments (`sql\`...${fragment}...\``) afresh at
 * every call, and each fragment is a `Query`: a promise subclass whose instances the young-generation
 * collector finds alive however briefly they were used (its own `Symbol.species` getter with the
 * resolve function kept in an arrow function; measured in bench/RESULTS.md, "Issue 16's P2 taken
 * apart"). The plain claim, about twenty fragments, made what each scavenge of an idle instance's
 * enqueue → start path (P2, one claim per job) had to copy half as large again, and its pauses, which
 * are that path's p99, as much longer.
 *
 * `fixedStatement` numbers the parameters in the order the text names them, one `$n` for each
 * occurrence, as postgres.js numbers a tagged template's values, so that PostgreSQL infers each one's
 * type from its own place, as before. `runFixed` sends the text with `sql.unsafe`: one `Query` a
 * statement, prepared unless the pool prepares nothing (behind a transaction pooler).
 */
import type { ParameterOrJSON, PendingQuery, Row, Sql, TransactionSql } from 'postgres';
export interface FixedStatement<Name extends string> {
    text: string;
    /** The value of each `$n`, by name, in order. */
    names: readonly Name[];
}
/** `write` returns the text; `param(name)` stands for a value, and may name one value several times. */
export declare function fixedStatement<Name extends string>(write: (param: (name: Name) => string) => string): FixedStatement<Name>;
export declare function runFixed<Name extends string>(sql: Sql | TransactionSql, { text, names }: FixedStatement<Name>, values: Record<Name, ParameterOrJSON<never>>): PendingQuery<Row[]>;
/** A schema name as an identifier in a statement's text (names are checked at start-up: src/config.ts). */
export declare function quotedIdentifier(name: string): string;
