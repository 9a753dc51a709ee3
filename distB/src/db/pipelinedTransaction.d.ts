/**
 * A transaction of statements that do not wait for one another's answers, in one round trip: BEGIN,
 * the statements and COMMIT are written together on a reserved connection, which postgres.js
 * pipelines. `sql.begin` waits for BEGIN's answer before it sends the first statement, and for the
 * callback's answers before it sends COMMIT: three round trips, each one waiting in turn for an event
 * loop that is busy running jobs when a runner claims (bench/RESULTS.md, "The limited claim's floor,
 * one lease index, one round trip").
 *
 * A statement that fails aborts the transaction: those after it fail as well, and COMMIT ends it as a
 * rollback. The first failure is thrown once every answer is in, so the connection goes back to the
 * pool outside any transaction.
 */
import type { ReservedSql, Sql } from 'postgres';
export declare function pipelinedTransaction<T extends readonly unknown[]>(sql: Sql, statements: (tx: ReservedSql) => {
    readonly [K in keyof T]: PromiseLike<T[K]>;
}): Promise<T>;
